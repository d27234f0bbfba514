"""The engine: services and their files, trace construction, rendering into sinks, ground truth."""

import random

from . import render
from .model import Log, Span, Trace
from .sinks import DocumentFiles, LogFile, OTLPFile, Stats
from .values import Values

HOUR = 3600 * 1_000_000_000
ORDER, USER, PAY, WORKER, CHECKOUT, NOTIFY = (
    "order-service", "user-service", "payment-service", "inventory-worker", "checkout-api", "notification-service")
POD_NAMES = ["notification-service-6f7c9d8b5-x2k4p", "notification-service-6f7c9d8b5-q9z7m"]
CONTAINER_IDS = ["4f1c2b7e9a0d3c5f8e6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6",
                 "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"]

RESOURCES = {
    ORDER: [("service.name", ORDER), ("service.version", "3.14.2"), ("service.namespace", "shop"),
            ("deployment.environment", "prod"), ("telemetry.sdk.language", "nodejs"),
            ("telemetry.sdk.name", "opentelemetry"), ("telemetry.sdk.version", "1.26.0"),
            ("host.name", "order-service-7d9f8c6b5-m4kzq"), ("k8s.namespace.name", "shop")],
    USER: [("service.name", USER), ("service.version", "1.9.0"), ("service.namespace", "shop"),
           ("deployment.environment", "prod"), ("telemetry.sdk.language", "nodejs"),
           ("telemetry.sdk.name", "opentelemetry"), ("telemetry.sdk.version", "1.26.0"),
           ("host.name", "user-service-5c8b7f9d4-2wq8r"), ("k8s.namespace.name", "shop")],
    CHECKOUT: [("service.name", CHECKOUT), ("service.version", "2.3.1"), ("deployment.environment", "prod"),
               ("telemetry.sdk.language", "python"), ("telemetry.sdk.name", "datadog"),
               ("telemetry.sdk.version", "2.14.2"), ("host.name", "checkout-api-84c6d5b7f-t5n2v")],
    PAY: [("service.name", PAY), ("service.version", "v1.22.7"), ("deployment.environment", "prod"),
          ("telemetry.sdk.language", "go"), ("telemetry.sdk.name", "opentelemetry"), ("telemetry.sdk.version", "1.28.0"),
          ("host.name", "payment-service-6b9c8d7f5-kx7jw")],
    NOTIFY: [("service.name", NOTIFY), ("service.version", "1.8.0"), ("deployment.environment", "prod"),
             ("telemetry.sdk.language", "java"), ("telemetry.sdk.name", "opentelemetry"),
             ("telemetry.sdk.version", "1.42.1"), ("telemetry.distro.name", "opentelemetry-java-instrumentation"),
             ("k8s.namespace.name", "shop"), ("k8s.container.name", NOTIFY)],
}
BRIDGE = "go.opentelemetry.io/otel/bridge/opentracing"
SCOPE_VERSIONS = {
    BRIDGE: "1.28.0",
    "@opentelemetry/instrumentation-http": "0.52.1", "@opentelemetry/instrumentation-pg": "0.43.0",
    "@opentelemetry/instrumentation-amqplib": "0.40.0", "@opentelemetry/instrumentation-express": "0.41.0",
    "ddtrace": "2.14.2", "io.opentelemetry.tomcat-10.0": "2.8.0-alpha", "io.opentelemetry.spring-webmvc-6.0": "2.8.0-alpha",
    "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16": "2.8.0-alpha",
}
JAEGER_PROCESS = [("hostname", "payment-service-6b9c8d7f5-kx7jw"), ("ip", "10.0.5.7"), ("client-uuid", "3f2a9c1b7d4e5f60"),
                  ("jaeger.version", "Go-2.30.0")]
WORKER_IP = "10.0.4.21"
LOG_FORMATS = {ORDER: render.pino, USER: render.winston, PAY: render.zap, WORKER: render.python_otel,
               CHECKOUT: render.datadog, NOTIFY: render.logback}
HOSTS = {ORDER: ("order-service-7d9f8c6b5-m4kzq", 1), USER: ("user-service-5c8b7f9d4-2wq8r", 1),
         PAY: ("payment-service-6b9c8d7f5-kx7jw", 1), WORKER: ("inventory-worker-0", 7),
         CHECKOUT: ("checkout-api-84c6d5b7f-t5n2v", 1), NOTIFY: ("", 1)}


class Night:
    """Builds traces with `span`/`log`, then `finish` renders them into the night's files."""

    def __init__(self, out, seed, small, night_start, night_hours=6):
        self.out = out
        self.rng = random.Random(seed)
        self.values = Values(self.rng, record=small)
        self.small = small
        self.start = night_start
        self.hours = night_hours
        self.stats = Stats()
        self.truth = []
        self.counts = {"traces": 0, "incidents": 0, "unsampled": 0}
        self.passwords = {}
        self.produced = 0  # bytes rendered so far (logs + spans), to stop at the requested size
        self._open_files()

    # MARK: - files

    def _open_files(self):
        s, st, root = self.start, self.stats, self.out
        end = s + 100 * HOUR
        self.logs = {
            ORDER: LogFile(root, [(s + 2 * HOUR, "logs/order-service/order-service.log.2.gz", True, None),
                                  (s + 4 * HOUR, "logs/order-service/order-service.log.1.gz", True, None),
                                  (end, "logs/order-service/order-service.log", False, None)], st),
            USER: LogFile(root, [(s + 3 * HOUR, "logs/user-service/user-service.log.1.gz", True, 90 * 60 * 1_000_000_000),
                                 (end, "logs/user-service/user-service.log", False, None)], st),
            PAY: LogFile(root, [(s + 3 * HOUR, "logs/payment-service/payment-service.log.1.gz", True, None),
                                (end, "logs/payment-service/payment-service.log", False, None)], st),
            WORKER: LogFile(root, [(end, "logs/inventory-worker/inventory-worker.log", False, None)], st,
                            strip_final_newline=True),
            CHECKOUT: LogFile(root, [(end, "logs/checkout-api/checkout-api.log", False, None)], st),
        }
        self.pods = [
            LogFile(root, [(end, "k8s/var/log/containers/%s_shop_%s-%s.log" % (POD_NAMES[i], NOTIFY, CONTAINER_IDS[i]),
                            False, None)], st)
            for i in range(2)]
        big = not self.small
        self.otlp = OTLPFile(root, "spans/otel-collector/traces-%03d.jsonl", st,
                             spans_per_line=160 if big else 14, max_bytes=(96 << 20) if big else (1 << 30))
        self.jaeger = DocumentFiles(root, "spans/jaeger/payment-service-%03d.json", st,
                                    (4 << 20) if big else 24000, '{"data":[', ",",
                                    '],"total":0,"limit":0,"offset":0,"errors":null}')
        self.zipkin = DocumentFiles(root, "spans/zipkin/inventory-worker-%03d.json", st,
                                    (4 << 20) if big else 8000, "[", ",", "]")

    def all_log_files(self):
        return list(self.logs.values()) + self.pods

    def flush(self, watermark):
        for f in self.all_log_files():
            f.flush(watermark)

    def close(self):
        for f in self.all_log_files():
            f.close()
        self.otlp.close()
        self.jaeger.close()
        self.zipkin.close()

    # MARK: - building traces

    def new_id(self):
        return self.rng.getrandbits(64) | 1

    def new_trace(self, t, flow, sampled=True, datadog=False, legacy64=False):
        r = self.rng
        if legacy64:
            hi = 0
        elif datadog:
            hi = (t // 1_000_000_000) << 32  # Datadog 128-bit IDs: epoch seconds, 32 zero bits, 64 random
        else:
            hi = r.getrandbits(64) | (1 << 63 if r.random() < 0.5 else 0)
        return Trace(hi, self.new_id(), sampled, flow)

    def span(self, tr, service, name, kind, parent, start, attrs=None, scope=""):
        s = Span(tr.hi, tr.lo, self.new_id(), parent.sid if parent else 0, service, name, kind, start,
                 attrs if attrs is not None else [], scope, parent is not None and parent.service != service)
        tr.spans.append(s)
        return s

    def end(self, s, t, status=0, message="", code=None):
        s.end = t
        if code is not None:
            s.attrs.append(("http.response.status_code", code))
        if status:
            s.status, s.smsg = status, message

    def exception(self, s, t, etype, message, stack=None):
        attrs = [("exception.type", etype), ("exception.message", message)]
        if stack:
            attrs.append(("exception.stacktrace", stack))
        s.events.append((t, "exception", attrs))

    def log(self, tr, service, t, level, msg, span, extra=None, cont=None, logger=None, caller=None):
        tr.logs.append(Log(service, t, level, msg, tr.hi, tr.lo, span.sid if span else self.new_id(), tr.sampled,
                           extra, cont, logger, caller))

    def password(self, service):
        pw = self.passwords.get(service)
        if pw is None:
            pw = self.passwords[service] = self.values.password()
        return pw

    # MARK: - rendering

    def _emit_log(self, log, pod):
        if log.service == NOTIFY:
            text = render.logback(log, "", 1)
            if pod == 0:
                text, n = render.docker_wrap(text, log.t)
            else:
                text, n = render.cri_wrap(text, log.t)
            self.pods[pod].add(log.t, text, n)
        else:
            host, pid = HOSTS[log.service]
            text = LOG_FORMATS[log.service](log, host, pid)
            self.logs[log.service].add(log.t, text, text.count("\n") + 1 if log.cont else 1)
        self.produced += len(text) + 1
        self.stats.log_records += 1

    def uncorrelated(self, service, t, level, msg, extra=None, cont=None, logger=None, caller=None, pod=0):
        self._emit_log(Log(service, t, level, msg, None, None, 0, False, extra, cont, logger, caller), pod)
        self.stats.uncorrelated += 1

    def malformed(self, service, t, level, msg, cut_after, extra=None, pod=0, reason="truncated JSON (line cut mid-write)"):
        """A record cut off mid-write (crash, full disk): counted as one reject, never as a record."""
        fake = Log(service, t, level, msg, self.rng.getrandbits(64), self.new_id(), self.new_id(), True, extra,
                   None, None, None)
        if service == NOTIFY:
            text, _ = render.docker_wrap(render.logback(fake, "", 1), t)
            self.pods[pod].add(t, text[: text.index(cut_after) + len(cut_after)], 1, reject=reason)
        else:
            host, pid = HOSTS[service]
            text = LOG_FORMATS[service](fake, host, pid)
            self.logs[service].add(t, text[: text.index(cut_after) + len(cut_after)], 1, reject=reason)

    def finish(self, tr):
        for log in tr.logs:
            self._emit_log(log, tr.pod)
        if tr.sampled:
            pay, worker = [], []
            for s in tr.spans:
                if s.service == PAY:
                    pay.append(s)
                elif s.service == WORKER:
                    worker.append(render.zipkin_span(s, WORKER_IP))
                    self.produced += len(worker[-1]) + 1
                else:
                    text = render.otlp_span(s)
                    self.produced += len(text) + 1
                    self.otlp.add(s.service, RESOURCES[s.service], s.scope, SCOPE_VERSIONS[s.scope], text)
            if pay:
                text = render.jaeger_trace(pay, JAEGER_PROCESS)
                self.produced += len(text) + 1
                self.jaeger.add(text, len(pay))
                if tr.dual_export:
                    # Mid-migration from jaeger-client to OpenTelemetry: the same spans in two formats.
                    for s in pay:
                        self.otlp.add(PAY, RESOURCES[PAY], BRIDGE, SCOPE_VERSIONS[BRIDGE], render.otlp_span(s))
            if worker:
                self.zipkin.add(",".join(worker), len(worker))
            self.stats.spans += len(tr.spans)
        self.counts["traces"] += 1
        if tr.error_class:
            self.counts["incidents"] += 1
        if not tr.sampled:
            self.counts["unsampled"] += 1
        if self.small:
            self.truth.append(self._truth(tr))

    # MARK: - ground truth

    def file_table(self):
        """Every file with its format and what it holds (records = log records or spans, not counting rejects)."""
        formats = {ORDER: "pino JSON lines", USER: "winston JSON lines", PAY: "zap JSON lines",
                   WORKER: "Python OTel logging text", CHECKOUT: "Datadog JSON lines (dd.trace_id decimal)"}
        rows = []
        for service, f in self.logs.items():
            for seg in f.segments:
                if seg.raw is not None:
                    rows.append({"path": seg.rel, "format": formats[service] + (" (gzip)" if seg.compress else ""),
                                 "service": service, "logRecords": seg.records, "lines": seg.line})
        for i, f in enumerate(self.pods):
            seg = f.segments[0]
            rows.append({"path": seg.rel, "format": ("Docker json-file", "CRI")[i] + " wrapping logback text",
                         "service": NOTIFY, "logRecords": seg.records, "lines": seg.line})
        for f in self.otlp.files:
            rows.append({"path": f.rel, "format": "OTLP JSON lines (Collector file exporter)", "spans": f.records, "lines": f.line})
        for f in self.jaeger.files:
            rows.append({"path": f.rel, "format": "Jaeger JSON {data:[...]}", "spans": f.records, "lines": f.line})
        for f in self.zipkin.files:
            rows.append({"path": f.rel, "format": "Zipkin v2 JSON array", "spans": f.records, "lines": f.line})
        if self.logs[WORKER].strip_final_newline:
            for row in rows:
                if row["path"].endswith("inventory-worker.log"):
                    row["note"] = "no final newline"
        return rows

    def _truth(self, tr):
        spans = tr.spans if tr.sampled else []
        by_id = {s.sid: s for s in spans}
        depth = {}

        def depth_of(s):
            d = depth.get(s.sid)
            if d is None:
                parent = by_id.get(s.pid)
                d = 0 if parent is None else depth_of(parent) + 1
                depth[s.sid] = d
            return d

        errors = []  # (depth, time, service, span name)
        for s in spans:
            if s.status == 2 or s.events:
                errors.append((depth_of(s), s.start, s.service, s.name))
        for log in tr.logs:
            if log.level == "error":
                s = by_id.get(log.sid)
                errors.append((depth_of(s) if s else 0, log.t, log.service, s.name if s else None))
        status = "error" if errors else "ok"
        root = None
        if errors:
            deepest = max(e[0] for e in errors)
            first = min((e for e in errors if e[0] == deepest), key=lambda e: e[1])
            root = (first[2], first[3])
            if len({(e[2], e[3]) for e in errors if e[0] == deepest}) > 1:
                # Keep the truth independent of how a reader breaks ties (span start or end, log time).
                raise AssertionError("trace %s: several different deepest errors" % tr.trace_id)
        if (status == "error") != (tr.error_class is not None) or (root != tr.root):
            raise AssertionError("trace %s (%s): computed %s %s, meant %s %s" % (
                tr.trace_id, tr.flow, status, root, tr.error_class, tr.root))
        services = sorted({s.service for s in spans} | {log.service for log in tr.logs})
        entry = {
            "traceId": tr.trace_id,
            "flow": tr.flow,
            "scenario": "%s/%s" % (tr.flow, tr.variant or "ok"),
            "services": services,
            "spanCount": len(spans),
            "logCount": len(tr.logs),
            "eventCount": sum(len(s.events) for s in spans),
            "status": status,
            "sampled": tr.sampled,
            "errorClass": tr.error_class,
            "rootCause": {"service": root[0], "spanName": root[1]} if root else None,
            "start": render.iso_ns(min([s.start for s in spans] + [log.t for log in tr.logs])),
        }
        if tr.hi == 0:
            entry["traceIdAsWritten"] = "%016x" % tr.lo
        if any(log.service == CHECKOUT for log in tr.logs):
            entry["datadogTraceId"] = str(tr.lo)
        if tr.showcase:
            entry["showcase"] = True
        return entry
