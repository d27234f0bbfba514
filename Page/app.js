// tracejoin's built-in page: searches incidents and draws one trace's timeline, spans and their logs, from the
// Jaeger query API the same server answers (/api/...). Stored values reach the page only through textContent,
// never as HTML: a log line may hold anything a service or an exporter wrote.
"use strict";

const $ = (id) => document.getElementById(id);
const tokenKey = "tracejoin.token";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
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
  const message = body && body.errors && body.errors.length ? body.errors[0].msg : response.statusText;
  if (response.status === 404) throw new NotFound(message);
  if (!response.ok) throw new Error(message || "HTTP " + response.status);
  return body.data;
}

function failed(error) {
  if (error instanceof Unauthorized) {
    $("token-form").hidden = false;
    setStatus("Enter the token to read this database.", true);
  } else {
    setStatus(error.message, true);
  }
}

// Times: the API gives microseconds since the epoch; shown in UTC, to the millisecond.
function formatTime(micros) {
  return new Date(micros / 1000).toISOString().replace("T", " ").replace("Z", " UTC");
}

function formatDuration(micros) {
  if (micros < 1000) return micros + " µs";
  if (micros < 1000000) return (micros / 1000).toFixed(micros < 10000 ? 2 : 0) + " ms";
  if (micros < 60000000) return (micros / 1000000).toFixed(2) + " s";
  const minutes = Math.round(micros / 60000000);
  return minutes < 60 ? minutes + " min" : Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
}

function tagMap(tags) {
  const map = new Map();
  for (const tag of tags || []) map.set(tag.key, tag.value);
  return map;
}

// One trace of the API, with the facts the page shows.
function describe(trace) {
  const ids = new Set(trace.spans.map((span) => span.spanID));
  const parentOf = (span) => {
    const reference = (span.references || []).find((ref) => ids.has(ref.spanID));
    return reference ? reference.spanID : null;
  };
  let start = Infinity;
  let end = -Infinity;
  let logs = 0;
  for (const span of trace.spans) {
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.startTime + span.duration);
    for (const log of span.logs || []) {
      start = Math.min(start, log.timestamp);
      end = Math.max(end, log.timestamp);
      logs += 1;
    }
  }
  const roots = trace.spans.filter((span) => parentOf(span) === null).sort((a, b) => a.startTime - b.startTime);
  const root = roots[0];
  const rootTags = tagMap(root ? root.tags : []);
  const service = (span) => (trace.processes[span.processID] || {}).serviceName || "?";
  return {
    trace, parentOf, service, start, end, logs, root,
    errorClass: rootTags.get("tracejoin.error_class"),
    causeService: rootTags.get("tracejoin.root_cause.service"),
    causeSpan: rootTags.get("tracejoin.root_cause.span_id"),
    causeMessage: rootTags.get("tracejoin.root_cause.message"),
    synthetic: trace.spans.filter((span) => tagMap(span.tags).get("tracejoin.synthetic") === true).length,
  };
}

// MARK: search

async function loadServices() {
  const services = await api("api/services");
  const select = $("service");
  select.replaceChildren(Object.assign(element("option", null, "all"), { value: "" }));
  for (const name of services) {
    const option = element("option", null, name);
    option.value = name;
    select.append(option);
  }
}

async function loadOperations() {
  const select = $("operation");
  select.replaceChildren(Object.assign(element("option", null, "all"), { value: "" }));
  const service = $("service").value;
  if (!service) return;
  const names = await api("api/services/" + encodeURIComponent(service) + "/operations");
  for (const name of names) {
    const option = element("option", null, name);
    option.value = name;
    select.append(option);
  }
}

async function search() {
  const parameters = new URLSearchParams();
  if ($("service").value) parameters.set("service", $("service").value);
  if ($("operation").value) parameters.set("operation", $("operation").value);
  if ($("errors-only").checked) parameters.set("tags", JSON.stringify({ error: "true" }));
  if ($("lookback").value) {
    const end = Date.now() * 1000;
    parameters.set("end", String(end));
    parameters.set("start", String(end - Number($("lookback").value) * 1000000));
  }
  parameters.set("limit", $("limit").value || "50");
  setStatus("Searching…");
  const traces = await api("api/traces?" + parameters.toString());
  const body = $("results").tBodies[0];
  body.replaceChildren();
  for (const trace of traces) {
    const facts = describe(trace);
    const row = element("tr");
    row.dataset.traceId = trace.traceID;
    const rootName = facts.root ? facts.service(facts.root) + " " + facts.root.operationName : "";
    const failure = facts.errorClass
      ? facts.errorClass + (facts.causeService ? " in " + facts.causeService : "") +
        (facts.causeMessage ? ": " + facts.causeMessage : "")
      : "";
    row.append(
      element("td", null, formatTime(facts.start)),
      element("td", "id", trace.traceID),
      element("td", null, rootName),
      Object.assign(element("td", "failure", failure), { title: failure }),
      element("td", null, formatDuration(facts.end - facts.start)),
      element("td", null, trace.spans.length - facts.synthetic),
      element("td", null, facts.logs),
    );
    row.addEventListener("click", () => { location.hash = "#/trace/" + encodeURIComponent(trace.traceID); });
    body.append(row);
  }
  setStatus(traces.length === 0 ? "No traces match." : traces.length + " trace(s).");
  // Counts the searches shown, so a test (or a script) can tell a new result from the previous one.
  $("results").dataset.searches = String(Number($("results").dataset.searches || 0) + 1);
}

// MARK: one trace

function drawLogs(span, depth, facts) {
  const list = element("ol", "logs");
  list.style.paddingLeft = depth * 1.2 + "em";
  const logs = [...(span.logs || [])].sort((a, b) => a.timestamp - b.timestamp);
  for (const log of logs) {
    const fields = tagMap(log.fields);
    const level = String(fields.get("level") || "");
    const item = element("li", "log level-" + level.toLowerCase());
    const offset = "+" + formatDuration(Math.max(0, log.timestamp - facts.start));
    item.append(
      element("span", "offset", offset),
      element("span", "level", level),
      element("span", "service", fields.get("service") || facts.service(span)),
      element("span", "message", fields.get("message") || fields.get("event") || ""),
    );
    const placed = fields.get("tracejoin.placed");
    if (placed) item.append(element("span", "note", "placed by " + placed));
    list.append(item);
  }
  return list;
}

function drawSpan(span, depth, facts, children) {
  const tags = tagMap(span.tags);
  const item = element("li", "span" + (tags.get("error") === true ? " error" : ""));
  item.dataset.spanId = span.spanID;
  const head = element("div", "span-head");
  const name = element("div", "span-name");
  name.style.paddingLeft = depth * 1.2 + "em";
  name.append(element("span", "service", facts.service(span)), " ", span.operationName, " ",
    element("span", "note", formatDuration(span.duration)));
  if (tags.get("tracejoin.synthetic") === true) name.append(" ", element("span", "note", "(no spans exported)"));
  if (span.spanID === facts.causeSpan) {
    item.classList.add("cause");
    name.append(" ", element("span", "cause-mark", "root cause"));
  }
  const track = element("div", "track");
  const bar = element("div", "bar");
  const total = Math.max(1, facts.end - facts.start);
  bar.style.left = ((span.startTime - facts.start) / total) * 100 + "%";
  bar.style.width = (span.duration / total) * 100 + "%";
  track.append(bar);
  head.append(name, track);
  item.append(head);
  if ((span.logs || []).length) item.append(drawLogs(span, depth, facts));
  const nested = element("ol", "children");
  nested.style.listStyle = "none";
  nested.style.padding = "0";
  for (const child of children.get(span.spanID) || []) nested.append(drawSpan(child, depth + 1, facts, children));
  if (nested.childElementCount) item.append(nested);
  return item;
}

async function openTrace(id) {
  $("search-view").hidden = true;
  $("trace-view").hidden = true;
  setStatus("Opening " + id + "…");
  let traces;
  try {
    traces = await api("api/traces/" + encodeURIComponent(id));
  } catch (error) {
    if (error instanceof NotFound) {
      setStatus("Trace " + id + " not found.", true);
      return;
    }
    throw error;
  }
  const facts = describe(traces[0]);
  const children = new Map();
  const roots = [];
  for (const span of [...facts.trace.spans].sort((a, b) => a.startTime - b.startTime)) {
    const parent = facts.parentOf(span);
    if (parent === null) roots.push(span);
    else children.set(parent, [...(children.get(parent) || []), span]);
  }
  $("trace-title").textContent = "Trace " + facts.trace.traceID;
  const list = $("trace-facts");
  list.replaceChildren();
  const fact = (term, value) => { if (value) list.append(element("dt", null, term), element("dd", null, value)); };
  fact("Start", formatTime(facts.start));
  fact("Duration", formatDuration(facts.end - facts.start));
  fact("Failure", facts.errorClass);
  fact("Root cause", facts.causeService ? facts.causeService + (facts.causeMessage ? ": " + facts.causeMessage : "") : "");
  fact("Spans", String(facts.trace.spans.length - facts.synthetic));
  fact("Logs", String(facts.logs));
  $("timeline").replaceChildren(...roots.map((span) => drawSpan(span, 0, facts, children)));
  $("trace-view").hidden = false;
  setStatus(traces.length > 1 ? traces.length + " traces have this ID; the first is shown." : "");
  document.title = "tracejoin: " + facts.trace.traceID;
}

// MARK: navigation

async function route() {
  try {
    const match = location.hash.match(/^#\/trace\/(.+)$/);
    if (match) {
      await openTrace(decodeURIComponent(match[1]));
    } else {
      document.title = "tracejoin";
      $("trace-view").hidden = true;
      $("search-view").hidden = false;
      await search();
    }
  } catch (error) {
    failed(error);
  }
}

async function start() {
  $("open-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = $("trace-id").value.trim();
    if (id) location.hash = "#/trace/" + encodeURIComponent(id);
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (location.hash.startsWith("#/trace/")) location.hash = "#";
    search().catch(failed);
  });
  $("service").addEventListener("change", () => loadOperations().catch(failed));
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(tokenKey, $("token").value);
    $("token-form").hidden = true;
    loadAndRoute();
  });
  window.addEventListener("hashchange", route);
  loadAndRoute();
}

async function loadAndRoute() {
  try {
    await loadServices();
  } catch (error) {
    failed(error);
    return;
  }
  await route();
}

start();
