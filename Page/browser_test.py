#!/usr/bin/env python3
"""Drives the built-in page of `tracejoin ui` in a real Chromium (Debian's /usr/bin/chromium and chromedriver,
through Selenium), as a user would: list incidents, filter them, group them into problems, open a failing trace
by its traceparent, read its waterfall and the root cause, click a log for its attributes, list the logs that
joined no trace, fail to open an unknown trace, and see a log line full of markup as text.

    browser_test.py --url http://127.0.0.1:PORT --facts JSON [--token TOKEN] [--screenshots DIR]

`--facts` says what the database holds, as the CLI printed it (see Tests/CLITests/PageBrowserTests.swift).
Prints each check and exits 1 if any failed.
"""
import argparse
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

failures = []


def check(condition, what):
    print(("ok      " if condition else "FAILED  ") + what)
    if not condition:
        failures.append(what)


def loads(driver, table):
    return int(driver.find_element(By.ID, table).get_attribute("data-loads") or 0)


def rows(driver, table, attribute):
    return driver.execute_script(
        "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')].map((row) => row.dataset[arguments[1]]);",
        table, attribute)


def submit(driver, wait, form, table):
    before = loads(driver, table)
    driver.find_element(By.CSS_SELECTOR, "#%s button" % form).click()
    wait.until(lambda d: loads(d, table) > before)


def run(driver, url, facts, token, screenshots):
    wait = WebDriverWait(driver, 30)
    driver.set_window_size(1400, 1000)
    driver.get(url + "/")
    if token:
        wait.until(lambda d: d.find_element(By.ID, "token-form").is_displayed())
        check(True, "without a token the page asks for one")
        driver.get_log("browser")  # the 401 that made it ask
        driver.find_element(By.ID, "token").send_keys(token)
        driver.find_element(By.CSS_SELECTOR, "#token-form button").click()

    # Incidents, newest first, as `tracejoin incidents --format json` lists them.
    wait.until(lambda d: loads(d, "incidents") > 0)
    listed = rows(driver, "incidents", "traceId")
    check(listed == facts["incidentIDs"], "the incident list is the CLI's (%d incidents)" % len(listed))
    check(driver.find_element(By.ID, "incident-count").text.startswith("%d incident" % len(listed)), "with its count")
    if screenshots:
        driver.save_screenshot(os.path.join(screenshots, "page-incidents.png"))

    # Filtered by service and class.
    Select(driver.find_element(By.ID, "service")).select_by_visible_text(facts["causeService"])
    Select(driver.find_element(By.ID, "class")).select_by_visible_text(facts["errorClass"])
    submit(driver, wait, "incidents-form", "incidents")
    filtered = rows(driver, "incidents", "traceId")
    check(filtered == facts["filteredIDs"], "%s + %s lists what the CLI lists: %s" % (
        facts["causeService"], facts["errorClass"], filtered))

    # Grouped into problems, as `incidents --group`.
    driver.find_element(By.ID, "grouped").click()
    submit(driver, wait, "incidents-form", "problems")
    problem = driver.find_element(By.CSS_SELECTOR, '#problems tbody tr[data-fingerprint="%s"]' % facts["fingerprint"])
    check(problem.find_element(By.TAG_NAME, "td").text == str(facts["problemCount"]),
          "the problem of the trace counts %d incidents" % facts["problemCount"])
    driver.find_element(By.ID, "grouped").click()

    # The failing trace by its traceparent: the waterfall in time order, logs under their spans.
    box = driver.find_element(By.ID, "trace-id")
    box.clear()
    box.send_keys(facts["traceparent"])
    driver.find_element(By.CSS_SELECTOR, "#open-form button").click()
    wait.until(lambda d: d.find_element(By.ID, "trace-view").is_displayed())
    check(facts["traceID"] in driver.find_element(By.ID, "trace-title").text, "the traceparent opens the trace")
    lines = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#waterfall li")]
    check(len(lines) == facts["entryCount"], "every entry of `show` is drawn (%d)" % len(lines))
    positions = []
    for text in facts["inOrder"]:
        found = [index for index, line in enumerate(lines) if text in line]
        positions.append(found[0] if found else -1)
    check(-1 not in positions and positions == sorted(positions), "in order: %s at %s" % (facts["inOrder"], positions))
    facts_text = driver.find_element(By.ID, "trace-facts").text
    for word in (facts["errorClass"], facts["classRule"], facts["causeService"]):
        check(word in facts_text, "the trace names %s" % word)
    causes = driver.find_elements(By.CSS_SELECTOR, "#waterfall li.cause")
    check(len(causes) == 1 and facts["causeName"] in causes[0].text and facts["errorClass"] in causes[0].text,
          "the root cause (%s) is highlighted with its class" % facts["causeName"])
    log = next(item for item in driver.find_elements(By.CSS_SELECTOR, "#waterfall li") if facts["logMessage"] in item.text)
    log.click()
    wait.until(lambda d: d.find_element(By.ID, "details").is_displayed())
    check(facts["logAttribute"] in driver.find_element(By.ID, "details-attributes").text,
          "clicking a log shows its attributes (%s)" % facts["logAttribute"])
    if screenshots:
        driver.save_screenshot(os.path.join(screenshots, "page-trace.png"))

    # The logs that joined no trace.
    driver.find_element(By.CSS_SELECTOR, 'nav a[href="#/logs"]').click()
    wait.until(lambda d: loads(d, "logs") > 0)
    Select(driver.find_element(By.ID, "log-service")).select_by_visible_text(facts["logService"])
    submit(driver, wait, "logs-form", "logs")
    logs_text = driver.find_element(By.ID, "logs").text
    check(facts["uncorrelatedMessage"] in logs_text, "the logs view lists %r" % facts["uncorrelatedMessage"])

    # A log line made of markup stays text.
    driver.get(url + "/#/trace/" + facts["markupTraceID"])
    wait.until(lambda d: d.find_element(By.ID, "trace-view").is_displayed()
               and facts["markupTraceID"] in d.find_element(By.ID, "trace-title").text)
    waterfall = driver.find_element(By.ID, "waterfall")
    check(facts["markupMessage"] in waterfall.text, "the markup log is shown as its text")
    check(not waterfall.find_elements(By.TAG_NAME, "img"), "no element was made from it")
    check("pwned" not in driver.title, "none of its script ran (title %r)" % driver.title)

    problems = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(not problems, "the browser reported no error: %s" % problems)

    # An unknown trace says so.
    driver.get(url + "/#/trace/" + "f" * 32)
    wait.until(lambda d: "not found" in d.find_element(By.ID, "status").text)
    check(not driver.find_element(By.ID, "trace-view").is_displayed(), "an unknown trace says 'not found'")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--facts", required=True)
    parser.add_argument("--token")
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        run(driver, args.url, json.loads(args.facts), args.token, args.screenshots)
    except Exception as error:  # a wait that timed out, an element that is missing: the page failed
        failures.append("%s: %s" % (type(error).__name__, error))
        print("FAILED  %s: %s" % (type(error).__name__, error))
        print(driver.find_element(By.TAG_NAME, "body").text[:2000])
    finally:
        driver.quit()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
