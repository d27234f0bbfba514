// tracejoin's built-in page: incidents (or problems), one trace's waterfall with its logs, and the logs that joined
// no trace. It reads the JSON the CLI prints (`incidents`, `incidents --group`, `show`, `logs` with
// `--format json`), served under /api/tracejoin/, so the page and the CLI cannot disagree. Stored values reach the
// page only through textContent, never as HTML: a log line may hold anything a service or an exporter wrote.
"use strict";

const $ = (id) => document.getElementById(id);
const tokenKey = "tracejoin.token";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function option(value, label) {
  const node = element("option", null, label === undefined ? value : label);
  node.value = value;
  return node;
}

function setStatus(text, isError) {
  $("status").textContent = text || "";
  $("status").className = isError ? "error" : "";
}

class Unauthorized extends Error {}
class NotFound extends Error {}

async function api(path) {
  const headers = {};
  const token = sessionStorage.getItem(tokenKey);
  if (token) headers["Authorization"] = "Bearer " + token;
  const response = await fetch(path, { headers });
  if (response.status === 401) throw new Unauthorized("this server needs a token");
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.errors && body.errors.length ? body.errors[0].msg : response.statusText;
    throw response.status === 404 ? new NotFound(message) : new Error(message || "HTTP " + response.status);
  }
  return body;
}

function failed(error) {
  // A refused filter must not leave the previous results looking like its answer.
  for (const id of ["incidents", "problems", "logs"]) $(id).tBodies[0].replaceChildren();
  for (const id of ["incident-count", "log-count"]) $(id).textContent = "";
  if (error instanceof Unauthorized) {
    $("token-form").hidden = false;
    setStatus("Enter the token to read this database.", true);
  } else {
    setStatus(error.message, true);
  }
}

// Times are RFC 3339 in UTC, as the CLI prints them; shown to the millisecond.
function shortTime(text) {
  return text ? text.replace("T", " ").replace(/(\.\d{3})\d*Z$/, "$1") + " UTC" : "unknown";
}

function formatMs(ms) {
  if (ms === null || ms === undefined) return "";
  if (ms < 1) return Math.round(ms * 1000) + " µs";
  if (ms < 1000) return ms.toFixed(ms < 10 ? 2 : 0) + " ms";
  if (ms < 60000) return (ms / 1000).toFixed(2) + " s";
  const minutes = Math.round(ms / 60000);
  return minutes < 60 ? minutes + " min" : Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
}

function causeText(cause) {
  if (!cause) return "";
  return cause.service + " " + (cause.name || "") + (cause.message ? ": " + cause.message : "");
}

function show(view) {
  for (const id of ["incidents-view", "trace-view", "logs-view"]) $(id).hidden = id !== view;
}

// Counts the lists shown, so a test (or a script) can tell a new result from the previous one.
function shown(table) {
  table.dataset.loads = String(Number(table.dataset.loads || 0) + 1);
}

// MARK: incidents and problems

async function loadFilters() {
  const services = (await api("api/services")).data;
  const classes = (await api("api/tracejoin/classes")).data;
  for (const id of ["service", "log-service"]) {
    const selected = $(id).value;
    $(id).replaceChildren(option("", "all"), ...services.map((name) => option(name)));
    $(id).value = selected;
  }
  const selected = $("class").value;
  $("class").replaceChildren(option("", "all"), ...classes.map((name) => option(name)));
  $("class").value = selected;
}

function incidentParameters() {
  const parameters = new URLSearchParams();
  for (const [name, id] of [["service", "service"], ["class", "class"], ["since", "since"], ["until", "until"]]) {
    const value = $(id).value.trim();
    if (value) parameters.set(name, value);
  }
  parameters.set("limit", $("limit").value || "100");
  if ($("grouped").checked) parameters.set("group", "true");
  return parameters;
}

async function loadIncidents() {
  show("incidents-view");
  document.title = "tracejoin: incidents";
  setStatus("Loading…");
  const grouped = $("grouped").checked;
  const rows = await api("api/tracejoin/incidents?" + incidentParameters().toString());
  $("incidents").hidden = grouped;
  $("problems").hidden = !grouped;
  const body = (grouped ? $("problems") : $("incidents")).tBodies[0];
  body.replaceChildren();
  for (const row of rows) {
    const tr = element("tr", "link");
    if (grouped) {
      tr.dataset.fingerprint = row.fingerprint || "";
      tr.dataset.traceId = row.exampleTraceId;
      tr.append(
        element("td", null, row.count),
        element("td", null, row.errorClass || ""),
        Object.assign(element("td", "clip", causeText(row.rootCause)), { title: causeText(row.rootCause) }),
        Object.assign(element("td", "clip narrow", (row.services || []).join(", ")), { title: (row.services || []).join(", ") }),
        element("td", null, shortTime(row.firstSeen)),
        element("td", null, shortTime(row.lastSeen)),
        element("td", "id", row.exampleTraceId),
      );
    } else {
      tr.dataset.traceId = row.traceId;
      tr.append(
        element("td", null, shortTime(row.start)),
        element("td", "id", row.traceId),
        element("td", null, row.errorClass || ""),
        Object.assign(element("td", "clip", causeText(row.rootCause)), { title: causeText(row.rootCause) }),
        Object.assign(element("td", "clip narrow", (row.services || []).join(", ")), { title: (row.services || []).join(", ") }),
        element("td", null, formatMs(row.start && row.end ? Date.parse(row.end) - Date.parse(row.start) : null)),
        element("td", null, row.spanCount),
        element("td", null, row.logCount),
      );
    }
    tr.addEventListener("click", () => { location.hash = "#/trace/" + encodeURIComponent(tr.dataset.traceId); });
    body.append(tr);
  }
  const total = grouped ? rows.reduce((sum, row) => sum + row.count, 0) : rows.length;
  $("incident-count").textContent = grouped
    ? rows.length + " problem(s), " + total + " incident(s)"
    : rows.length + " incident(s)";
  shown(grouped ? $("problems") : $("incidents"));
  setStatus("");
}

// MARK: one trace

// The entry the verdict names: the span it gives by ID and name, else the log or event of that service with that
// name and message.
function isCause(entry, cause) {
  if (!cause || entry.service !== cause.service || entry.name !== cause.name) return false;
  if (entry.kind === "span") return Boolean(cause.spanId) && entry.spanId === cause.spanId;
  return entry.message === cause.message && (!cause.spanId || entry.spanId === cause.spanId);
}

function select(item, entry) {
  for (const other of document.querySelectorAll("#waterfall .selected")) other.classList.remove("selected");
  item.classList.add("selected");
  $("details").hidden = false;
  $("details-title").textContent = entry.kind + ": " + (entry.kind === "log" ? entry.message : entry.name);
  const facts = $("details-facts");
  facts.replaceChildren();
  for (const [term, value] of [
    ["Time", shortTime(entry.time)], ["Service", entry.service], ["Span", entry.spanId],
    ["Parent", entry.parentSpanId], ["Duration", formatMs(entry.durationMs)], ["Level", entry.severity],
    ["Status", entry.status], ["Message", entry.message],
  ]) {
    if (value) facts.append(element("dt", null, term), element("dd", null, value));
  }
  $("details-attributes").textContent = JSON.stringify(entry.attributes || {}, null, 2);
}

function drawEntry(entry, trace, range) {
  const item = element("li", "entry kind-" + entry.kind + (entry.severity ? " level-" + entry.severity : ""));
  if (entry.kind === "span" && entry.status === "error") item.classList.add("error");
  if (entry.spanId) item.dataset.spanId = entry.spanId;
  item.dataset.kind = entry.kind;
  const start = Date.parse(entry.time);
  item.append(element("span", "offset", isNaN(start) ? "" : "+" + formatMs(start - range.start)));
  const what = element("div", "what");
  what.style.paddingLeft = (entry.depth || 0) * 1.1 + "em";
  if (entry.kind === "span") {
    what.append(element("span", "service", entry.service), " " + entry.name + " ",
      element("span", "note", formatMs(entry.durationMs)));
  } else {
    what.append(element("span", "level", entry.severity || entry.kind), " ", element("span", "service", entry.service),
      entry.kind === "event" ? " " + entry.name : "");
  }
  if (isCause(entry, trace.rootCause)) {
    item.classList.add("cause");
    what.append(element("span", "cause-mark", "root cause: " + (trace.errorClass || "error")));
  }
  item.append(what);
  if (entry.kind === "span") {
    const track = element("div", "track");
    const bar = element("div", "bar");
    const total = Math.max(1, range.end - range.start);
    bar.style.left = (((isNaN(start) ? range.start : start) - range.start) / total) * 100 + "%";
    bar.style.width = ((entry.durationMs || 0) / total) * 100 + "%";
    track.append(bar);
    item.append(track);
  } else {
    item.append(element("span", "message", entry.message));
  }
  item.addEventListener("click", () => select(item, entry));
  return item;
}

async function openTrace(id) {
  show(null);
  $("details").hidden = true;
  setStatus("Opening " + id + "…");
  let traces;
  try {
    traces = await api("api/tracejoin/traces/" + encodeURIComponent(id));
  } catch (error) {
    if (error instanceof NotFound) {
      setStatus("Trace " + id + " not found.", true);
      return;
    }
    throw error;
  }
  const trace = traces[0];
  $("trace-title").textContent = "Trace " + trace.traceId;
  const facts = $("trace-facts");
  facts.replaceChildren();
  const fact = (term, value) => {
    if (value !== null && value !== undefined && value !== "") facts.append(element("dt", null, term), element("dd", null, value));
  };
  fact("Start", shortTime(trace.start));
  fact("Duration", formatMs(trace.durationMs));
  fact("Status", trace.status);
  fact("Class", trace.errorClass);
  fact("Rule", trace.classRule);
  fact("Decided by", trace.classEntry);
  fact("Root cause", causeText(trace.rootCause));
  fact("Services", (trace.services || []).join(", "));
  fact("Spans", trace.spanCount);
  fact("Logs", trace.logCount);
  fact("Fingerprint", trace.fingerprint);
  const range = { start: Date.parse(trace.start), end: Date.parse(trace.end) };
  if (isNaN(range.start)) range.start = 0;
  if (isNaN(range.end)) range.end = range.start;
  $("waterfall").replaceChildren(...trace.entries.map((entry) => drawEntry(entry, trace, range)));
  show("trace-view");
  shown($("waterfall"));
  setStatus(traces.length > 1 ? traces.length + " traces have this ID; the first is shown." : "");
  document.title = "tracejoin: " + trace.traceId;
}

// MARK: logs without a trace

async function loadLogs() {
  show("logs-view");
  document.title = "tracejoin: logs";
  const parameters = new URLSearchParams();
  for (const [name, id] of [["service", "log-service"], ["since", "log-since"], ["until", "log-until"]]) {
    const value = $(id).value.trim();
    if (value) parameters.set(name, value);
  }
  parameters.set("limit", $("log-limit").value || "200");
  const logs = await api("api/tracejoin/logs?" + parameters.toString());
  const body = $("logs").tBodies[0];
  body.replaceChildren();
  for (const log of logs) {
    const row = element("tr", "level-" + log.severity);
    row.append(
      element("td", null, shortTime(log.time)), element("td", "level", log.severity), element("td", null, log.service),
      element("td", "mono", log.message), element("td", "note", log.source),
    );
    body.append(row);
  }
  $("log-count").textContent = logs.length + " log(s) without trace context";
  shown($("logs"));
  setStatus("");
}

// MARK: navigation

async function route() {
  try {
    const trace = location.hash.match(/^#\/trace\/(.+)$/);
    if (trace) await openTrace(decodeURIComponent(trace[1]));
    else if (location.hash === "#/logs") await loadLogs();
    else await loadIncidents();
  } catch (error) {
    failed(error);
  }
}

async function loadAndRoute() {
  try {
    await loadFilters();
  } catch (error) {
    failed(error);
    return;
  }
  await route();
}

$("open-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const id = $("trace-id").value.trim();
  if (id) location.hash = "#/trace/" + encodeURIComponent(id);
});
$("incidents-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (location.hash !== "#/incidents") location.hash = "#/incidents";
  else loadIncidents().catch(failed);
});
$("logs-form").addEventListener("submit", (event) => {
  event.preventDefault();
  loadLogs().catch(failed);
});
$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(tokenKey, $("token").value);
  $("token-form").hidden = true;
  loadAndRoute();
});
window.addEventListener("hashchange", route);
loadAndRoute();
