#!/usr/bin/env python3
"""Drives the built-in page of `tracejoin ui` in a real Chromium (Debian's /usr/bin/chromium and chromedriver,
through Selenium), as a user would: search incidents, open one, read its timeline, open it by another form of
its ID, fail to open an unknown one, and see a log line full of markup as text.

    browser_test.py --url http://127.0.0.1:PORT --facts JSON [--token TOKEN]

`--facts` says what the database holds (see Tests/CLITests/PageBrowserTests.swift). Prints each check and
exits 1 if any failed.
"""
import argparse
import json
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


def ancestors_with_span_ids(driver, element):
    return driver.execute_script(
        "const ids = []; let node = arguments[0].parentElement;"
        "while (node) { if (node.dataset && node.dataset.spanId) ids.push(node.dataset.spanId);"
        " node = node.parentElement; } return ids;",
        element,
    )


def result_ids(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#results tbody tr')].map((row) => row.dataset.traceId);")


def searches(driver):
    return int(driver.find_element(By.ID, "results").get_attribute("data-searches") or 0)


def search_for(driver, wait, service):
    before = searches(driver)
    Select(driver.find_element(By.ID, "service")).select_by_visible_text(service)
    driver.find_element(By.CSS_SELECTOR, "#search-form button").click()
    wait.until(lambda d: searches(d) > before)
    return result_ids(driver)


def open_by_box(driver, wait, text):
    box = driver.find_element(By.ID, "trace-id")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.CSS_SELECTOR, "#open-form button").click()


def run(driver, url, facts, token):
    wait = WebDriverWait(driver, 30)
    driver.get(url + "/")
    if token:
        wait.until(lambda d: d.find_element(By.ID, "token-form").is_displayed())
        check(True, "without a token the page asks for one")
        driver.get_log("browser")  # the 401 that made it ask
        driver.find_element(By.ID, "token").send_keys(token)
        driver.find_element(By.CSS_SELECTOR, "#token-form button").click()

    wait.until(lambda d: len(Select(d.find_element(By.ID, "service")).options) > 1)
    services = [option.text for option in Select(driver.find_element(By.ID, "service")).options]
    check(facts["causeService"] in services, "the service list holds " + facts["causeService"])

    # The first view lists incidents.
    wait.until(lambda d: searches(d) > 0)
    ids = result_ids(driver)
    check(facts["traceID"] in ids, "the incident list holds trace %s (%d rows)" % (facts["traceID"], len(ids)))
    row = driver.find_element(By.CSS_SELECTOR, '#results tbody tr[data-trace-id="%s"]' % facts["traceID"])
    check(facts["errorClass"] in row.text, "its row names the failure class " + facts["errorClass"])

    # Searching by service narrows the list.
    narrowed = search_for(driver, wait, facts["otherService"])
    check(narrowed and facts["traceID"] not in narrowed,
          "searching %s lists %d others, not the trace" % (facts["otherService"], len(narrowed)))
    check(facts["traceID"] in search_for(driver, wait, facts["causeService"]),
          "searching %s finds it" % facts["causeService"])

    # Its timeline: spans nested under their parents, logs under their spans.
    driver.find_element(By.CSS_SELECTOR, '#results tbody tr[data-trace-id="%s"]' % facts["traceID"]).click()
    wait.until(lambda d: d.find_element(By.ID, "trace-view").is_displayed())
    timeline = driver.find_element(By.ID, "timeline").text
    for operation in facts["operations"]:
        check(operation in timeline, "the timeline shows span " + operation)
    for message in facts["messages"]:
        check(message in timeline, "the timeline shows log " + repr(message))
    child = driver.find_element(By.CSS_SELECTOR, 'li[data-span-id="%s"]' % facts["deepSpan"])
    check(facts["rootSpan"] in ancestors_with_span_ids(driver, child), "the deepest span is drawn inside the root")
    cause = driver.find_element(By.CSS_SELECTOR, 'li[data-span-id="%s"]' % facts["causeSpan"])
    check("error" in cause.get_attribute("class"), "the failing span is marked as an error")
    check("cause" in cause.get_attribute("class").split() and "root cause" in cause.text,
          "the root-cause span is marked as such")
    facts_text = driver.find_element(By.ID, "trace-facts").text
    check(facts["causeService"] in facts_text, "the root cause names " + facts["causeService"])
    check(driver.current_url.endswith("#/trace/" + facts["traceID"]), "the trace has a link of its own")

    # The same trace by another form of its ID (the box takes what `show` takes).
    for form in facts["otherForms"]:
        driver.get(url + "/#")
        wait.until(lambda d: d.find_element(By.ID, "search-view").is_displayed())
        open_by_box(driver, wait, form)
        wait.until(lambda d: d.find_element(By.ID, "trace-view").is_displayed())
        title = driver.find_element(By.ID, "trace-title").text
        check(facts["traceID"] in title, "%s opens trace %s" % (form, facts["traceID"]))

    # A log line made of markup stays text.
    driver.get(url + "/#/trace/" + facts["markupTraceID"])
    wait.until(lambda d: d.find_element(By.ID, "trace-view").is_displayed())
    timeline = driver.find_element(By.ID, "timeline")
    check(facts["markupMessage"] in timeline.text, "the markup log is shown as its text")
    check(not timeline.find_elements(By.TAG_NAME, "img"), "no element was made from it")
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
    args = parser.parse_args()
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        run(driver, args.url, json.loads(args.facts), args.token)
    except Exception as error:  # a wait that timed out, an element that is missing: the page failed
        failures.append("%s: %s" % (type(error).__name__, error))
        print("FAILED  %s: %s" % (type(error).__name__, error))
        print(driver.find_element(By.TAG_NAME, "body").text[:2000])
    finally:
        driver.quit()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
