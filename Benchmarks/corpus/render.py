"""Text of every format in the night: log lines of each producer, and span export documents.

Templates are filled with `%`; strings go through `js`, which only calls `json.dumps` when a value
needs escaping, so a gigabyte renders in a couple of minutes.
"""

import json
import re
import time

_needs_escape = re.compile(r'["\\\x00-\x1f]').search
_sec_cache = {}


def js(text):
    """A JSON string literal for `text`."""
    if _needs_escape(text):
        return json.dumps(text, ensure_ascii=False)
    return '"' + text + '"'


def _sec(sec):
    value = _sec_cache.get(sec)
    if value is None:
        value = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
        _sec_cache[sec] = value
    return value


def iso_ms(t):
    sec, ns = divmod(t, 1_000_000_000)
    return "%s.%03dZ" % (_sec(sec), ns // 1_000_000)


def iso_ns(t):
    sec, ns = divmod(t, 1_000_000_000)
    return "%s.%09dZ" % (_sec(sec), ns)


def py_time(t):
    """Python logging's asctime: `2026-11-23 02:13:01,123`."""
    sec, ns = divmod(t, 1_000_000_000)
    return "%s %s,%03d" % (_sec(sec)[:10], _sec(sec)[11:], ns // 1_000_000)


def time_of_day(t):
    """Logback's `%d{HH:mm:ss.SSS}`: no date, no zone (the container wrapper's time is the trustworthy one)."""
    sec, ns = divmod(t, 1_000_000_000)
    return "%s.%03d" % (_sec(sec)[11:], ns // 1_000_000)


def json_value(value):
    if isinstance(value, str):
        return js(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join('"%s":%s' % (k, json_value(v)) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(json_value(v) for v in value) + "]"
    if value is None:
        return "null"
    raise TypeError(type(value))


def json_items(extra):
    """`"k":v,` for each item: the fields a logger adds between its fixed ones."""
    if not extra:
        return ""
    return "".join('"%s":%s,' % (k, json_value(v)) for k, v in extra.items())


# MARK: - log lines (one function per producer; each returns the record's text, lines joined by \n)

PINO_LEVEL = {"debug": 20, "info": 30, "warn": 40, "error": 50}
ZAP_LEVEL = {"debug": "debug", "info": "info", "warn": "warn", "error": "error"}
PY_LEVEL = {"debug": "DEBUG", "info": "INFO", "warn": "WARNING", "error": "ERROR"}
JAVA_LEVEL = {"debug": "DEBUG", "info": "INFO ", "warn": "WARN ", "error": "ERROR"}


def pino(log, host, pid):
    """pino with @opentelemetry/instrumentation-pino: `trace_id`, `span_id`, `trace_flags` beside `msg`."""
    ctx = ""
    if log.hi is not None:
        ctx = '"trace_id":"%016x%016x","span_id":"%016x","trace_flags":"%s",' % (
            log.hi, log.lo, log.sid, "01" if log.sampled else "00")
    return '{"level":%d,"time":%d,"pid":%d,"hostname":"%s","name":"%s",%s%s"msg":%s}' % (
        PINO_LEVEL[log.level], log.t // 1_000_000, pid, host, log.service, json_items(log.extra), ctx, js(log.msg))


def winston(log, host, pid):
    """winston's json format with `defaultMeta: {service}` and the OTel instrumentation's fields."""
    ctx = ""
    if log.hi is not None:
        ctx = ',"trace_id":"%016x%016x","span_id":"%016x","trace_flags":"%s"' % (
            log.hi, log.lo, log.sid, "01" if log.sampled else "00")
    return '{"level":"%s","message":%s,"service":"%s",%s"timestamp":"%s"%s}' % (
        log.level, js(log.msg), log.service, json_items(log.extra), iso_ms(log.t), ctx)


def zap(log, host, pid):
    """Go zap's production JSON encoder (`ts` in float seconds, `caller`), trace fields added by the handler."""
    sec, ns = divmod(log.t, 1_000_000_000)
    ctx = ""
    if log.hi is not None:
        tid = "%016x%016x" % (log.hi, log.lo) if log.hi else "%016x" % log.lo  # legacy jaeger-client: 64-bit
        ctx = ',"trace_id":"%s","span_id":"%016x","trace_flags":"%s"' % (tid, log.sid, "01" if log.sampled else "00")
    extra = json_items(log.extra)
    return '{"level":"%s","ts":%d.%06d,"caller":"%s","msg":%s%s%s}' % (
        ZAP_LEVEL[log.level], sec, ns // 1000, log.caller or "server/handler.go:88", js(log.msg),
        ("," + extra[:-1]) if extra else "", ctx)


def python_otel(log, host, pid):
    """Python logging with opentelemetry-instrumentation-logging's default format; IDs print as 0 outside a span."""
    if log.hi is not None:
        ctx = "trace_id=%016x%016x span_id=%016x resource.service.name=%s trace_sampled=%s" % (
            log.hi, log.lo, log.sid, log.service, "True" if log.sampled else "False")
    else:
        ctx = "trace_id=0 span_id=0 resource.service.name=%s trace_sampled=False" % log.service
    head = "%s %s [%s] [%s] [%s] - %s" % (
        py_time(log.t), PY_LEVEL[log.level], log.logger or "inventory.worker", log.caller or "worker.py:42", ctx, log.msg)
    if log.cont:
        return head + "\n" + "\n".join(log.cont)
    return head


def datadog(log, host, pid):
    """A JSON logger with ddtrace log injection: nested `dd` with decimal lower-64-bit IDs; level in `status`."""
    if log.hi is not None:
        dd = '"dd":{"trace_id":"%d","span_id":"%d","service":"%s","env":"prod","version":"2.3.1"}' % (
            log.lo, log.sid, log.service)
    else:
        dd = '"dd":{"trace_id":"0","span_id":"0","service":"%s","env":"prod","version":"2.3.1"}' % log.service
    return '{"timestamp":"%s","status":"%s","logger":{"name":"%s","thread_name":"MainThread"},"message":%s,%s%s}' % (
        iso_ms(log.t), log.level, log.logger or "checkout.views", js(log.msg), json_items(log.extra), dd)


def logback(log, host, pid):
    """A Spring service's logback pattern with `TraceID:`/`SpanID:` in the text, time of day only."""
    ctx = ""
    if log.hi is not None:
        ctx = "TraceID: %016x%016x SpanID: %016x " % (log.hi, log.lo, log.sid)
    head = "%s %s %s %s%s" % (time_of_day(log.t), JAVA_LEVEL[log.level], log.logger or "c.s.n.NotificationController#57",
                              ctx, log.msg)
    if log.cont:
        return head + "\n" + "\n".join(log.cont)
    return head


DOCKER_SPLIT = 16384  # Docker json-file and containerd split longer lines into 16 KiB pieces


def docker_wrap(text, t):
    """Docker json-file lines for one record: one per text line, long lines split in 16 KiB pieces."""
    out = []
    for i, line in enumerate(text.split("\n")):
        stamp = iso_ns(t + 137_000 + i * 9_000)
        while len(line) > DOCKER_SPLIT:
            out.append('{"log":%s,"stream":"stdout","time":"%s"}' % (js(line[:DOCKER_SPLIT]), stamp))
            line = line[DOCKER_SPLIT:]
        out.append('{"log":%s,"stream":"stdout","time":"%s"}' % (js(line + "\n"), stamp))
    return "\n".join(out), len(out)


def cri_wrap(text, t):
    """CRI (containerd) lines for one record: `<time> stdout F <line>`, long lines as `P` pieces."""
    out = []
    for i, line in enumerate(text.split("\n")):
        stamp = iso_ns(t + 151_000 + i * 7_000)
        while len(line) > DOCKER_SPLIT:
            out.append("%s stdout P %s" % (stamp, line[:DOCKER_SPLIT]))
            line = line[DOCKER_SPLIT:]
        out.append("%s stdout F %s" % (stamp, line))
    return "\n".join(out), len(out)


# MARK: - spans

def _otlp_value(value):
    if isinstance(value, str):
        return '{"stringValue":%s}' % js(value)
    if isinstance(value, bool):
        return '{"boolValue":%s}' % ("true" if value else "false")
    if isinstance(value, int):
        return '{"intValue":"%d"}' % value
    if isinstance(value, float):
        return '{"doubleValue":%r}' % value
    if isinstance(value, (list, tuple)):
        return '{"arrayValue":{"values":[%s]}}' % ",".join(_otlp_value(v) for v in value)
    raise TypeError(type(value))


def otlp_attrs(attrs):
    return ",".join('{"key":"%s","value":%s}' % (k, _otlp_value(v)) for k, v in attrs)


def otlp_span(s):
    """One span in OTLP/JSON (hex IDs, 64-bit times as strings, enums as integers, `{}` for unset status)."""
    parent = '"parentSpanId":"%016x",' % s.pid if s.pid else ""
    events = ""
    if s.events:
        events = '"events":[%s],' % ",".join(
            '{"timeUnixNano":"%d","name":"%s","attributes":[%s]}' % (et, en, otlp_attrs(ea)) for et, en, ea in s.events)
    status = '{"code":2,"message":%s}' % js(s.smsg) if s.status == 2 else "{}"
    return ('{"traceId":"%016x%016x","spanId":"%016x",%s"flags":%d,"name":%s,"kind":%d,"startTimeUnixNano":"%d",'
            '"endTimeUnixNano":"%d","attributes":[%s],%s"status":%s}') % (
        s.hi, s.lo, s.sid, parent, 768 if s.remote_parent else 256, js(s.name), s.kind, s.start, s.end,
        otlp_attrs(s.attrs), events, status)


def otlp_line(resources):
    """One ExportTraceServiceRequest as the Collector's file exporter writes it: one line, many spans.

    `resources` is a list of (resource attributes, [(scope name, scope version, [span json])]).
    """
    blocks = []
    for rattrs, scopes in resources:
        scope_text = ",".join('{"scope":{"name":"%s","version":"%s"},"spans":[%s]}' % (n, v, ",".join(spans))
                              for n, v, spans in scopes)
        blocks.append('{"resource":{"attributes":[%s]},"scopeSpans":[%s],"schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}'
                      % (otlp_attrs(rattrs), scope_text))
    return '{"resourceSpans":[%s]}' % ",".join(blocks)


KIND_NAMES = {1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}


def _jaeger_tag(k, v):
    if isinstance(v, bool):
        return '{"key":"%s","type":"bool","value":%s}' % (k, "true" if v else "false")
    if isinstance(v, int):
        return '{"key":"%s","type":"int64","value":%d}' % (k, v)
    if isinstance(v, float):
        return '{"key":"%s","type":"float64","value":%r}' % (k, v)
    return '{"key":"%s","type":"string","value":%s}' % (k, js(str(v)))


def jaeger_trace_id(s):
    return "%016x%016x" % (s.hi, s.lo) if s.hi else "%016x" % s.lo


def jaeger_span(s):
    """One span in Jaeger's UI/`/api/traces` JSON (microseconds, typed tags, span logs for events)."""
    tid = jaeger_trace_id(s)
    refs = '{"refType":"CHILD_OF","traceID":"%s","spanID":"%016x"}' % (tid, s.pid) if s.pid else ""
    tags = [_jaeger_tag(k, v) for k, v in s.attrs]
    tags.append('{"key":"span.kind","type":"string","value":"%s"}' % KIND_NAMES[s.kind])
    if s.status == 2:
        # Old jaeger-client writes the error tag as a string, the OTel bridge as a bool: both occur.
        tags.append('{"key":"error","type":"string","value":"true"}' if s.hi == 0 else
                    '{"key":"error","type":"bool","value":true}')
        tags.append('{"key":"otel.status_code","type":"string","value":"ERROR"}')
        tags.append('{"key":"otel.status_description","type":"string","value":%s}' % js(s.smsg))
    logs = ",".join('{"timestamp":%d,"fields":[{"key":"event","type":"string","value":"%s"},%s]}'
                    % (et // 1000, en, ",".join(_jaeger_tag(k, v) for k, v in ea)) for et, en, ea in s.events)
    return ('{"traceID":"%s","spanID":"%016x","flags":1,"operationName":%s,"references":[%s],"startTime":%d,'
            '"duration":%d,"tags":[%s],"logs":[%s],"processID":"p1","warnings":null}') % (
        tid, s.sid, js(s.name), refs, s.start // 1000, (s.end - s.start) // 1000, ",".join(tags), logs)


def jaeger_trace(spans, process_tags):
    """One element of `data`: a trace's spans from one process."""
    return '{"traceID":"%s","spans":[%s],"processes":{"p1":{"serviceName":"%s","tags":[%s]}},"warnings":null}' % (
        jaeger_trace_id(spans[0]), ",".join(jaeger_span(s) for s in spans), spans[0].service,
        ",".join(_jaeger_tag(k, v) for k, v in process_tags))


def jaeger_document(traces):
    return '{"data":[%s],"total":0,"limit":0,"offset":0,"errors":null}\n' % ",".join(traces)


ZIPKIN_KIND = {2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}


def zipkin_span(s, ipv4):
    """One span in Zipkin v2 JSON (microseconds, string tags, `error` tag for failures)."""
    parent = '"parentId":"%016x",' % s.pid if s.pid else ""
    kind = '"kind":"%s",' % ZIPKIN_KIND[s.kind] if s.kind in ZIPKIN_KIND else ""
    tags = ['"%s":%s' % (k, js(v if isinstance(v, str) else json.dumps(v))) for k, v in s.attrs]
    if s.status == 2:
        tags.append('"otel.status_code":"ERROR"')
        tags.append('"error":%s' % js(s.smsg))
    annotations = ""
    if s.events:
        annotations = ',"annotations":[%s]' % ",".join(
            '{"timestamp":%d,"value":%s}' % (et // 1000, js(en)) for et, en, ea in s.events)
    return ('{"traceId":"%016x%016x",%s"id":"%016x",%s"name":%s,"timestamp":%d,"duration":%d,'
            '"localEndpoint":{"serviceName":"%s","ipv4":"%s"},"tags":{%s}%s}') % (
        s.hi, s.lo, parent, s.sid, kind, js(s.name), s.start // 1000, max(1, (s.end - s.start) // 1000),
        s.service, ipv4, ",".join(tags), annotations)
