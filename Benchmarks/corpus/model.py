"""The records the generator builds before rendering them: spans, log records, traces."""

SERVER, CLIENT, INTERNAL, PRODUCER, CONSUMER = 2, 3, 1, 4, 5


class Span:
    __slots__ = ("hi", "lo", "sid", "pid", "service", "name", "kind", "start", "end", "status", "smsg", "attrs",
                 "events", "scope", "remote_parent")

    def __init__(self, hi, lo, sid, pid, service, name, kind, start, attrs, scope, remote_parent):
        self.hi, self.lo, self.sid, self.pid = hi, lo, sid, pid
        self.service, self.name, self.kind = service, name, kind
        self.start, self.end = start, start
        self.status, self.smsg = 0, ""
        self.attrs = attrs
        self.events = []
        self.scope = scope
        self.remote_parent = remote_parent


class Log:
    __slots__ = ("service", "t", "level", "msg", "hi", "lo", "sid", "sampled", "extra", "cont", "logger", "caller")

    def __init__(self, service, t, level, msg, hi, lo, sid, sampled, extra, cont, logger, caller):
        self.service, self.t, self.level, self.msg = service, t, level, msg
        self.hi, self.lo, self.sid, self.sampled = hi, lo, sid, sampled
        self.extra, self.cont, self.logger, self.caller = extra, cont, logger, caller


class Trace:
    """One request or job: its spans and logs, and what the generator meant it to be (the ground truth)."""

    __slots__ = ("hi", "lo", "sampled", "spans", "logs", "flow", "variant", "error_class", "root", "pod", "showcase",
                 "long_line", "dual_export")

    def __init__(self, hi, lo, sampled, flow):
        self.hi, self.lo, self.sampled, self.flow = hi, lo, sampled, flow
        self.variant = None       # the failure variant the flow was asked for (None: success)
        self.spans = []
        self.logs = []
        self.error_class = None
        self.root = None          # (service, span name or None) the failure began in
        self.pod = 0              # which notification-service pod served it (0 Docker, 1 CRI)
        self.showcase = False
        self.long_line = False
        self.dual_export = False  # payment-service spans also sent through the Collector (OTLP) beside Jaeger

    @property
    def trace_id(self):
        return "%016x%016x" % (self.hi, self.lo)

    def fail(self, error_class, service, span_name):
        self.error_class = error_class
        self.root = (service, span_name)
