/// A trace as the read APIs show it (issue #17): spans, each carrying the span events and log records that sit
/// on it, and the verdict on the trace. Made by `Pipeline` from the same assembled timeline `show` prints, so
/// the query server and the CLI cannot disagree; encoded by `Query` (Jaeger JSON).
package struct TraceView: Sendable {
    package var traceID: TraceID
    /// In timeline order (by start); never empty: a trace without spans gets synthetic ones.
    package var spans: [SpanView]
    package var summary: TraceSummary
    /// The classification rule that decided `summary.errorClass`; nil when none matched or the trace is fine.
    package var classRule: String?

    /// The span that carries the verdict on the trace: its root (or first synthetic span), else its first span.
    package var rootSpan: SpanView? { spans.first { $0.isTraceRoot } ?? spans.first }

    package init(traceID: TraceID, spans: [SpanView], summary: TraceSummary, classRule: String?) {
        self.traceID = traceID
        self.spans = spans
        self.summary = summary
        self.classRule = classRule
    }
}

/// One span of a ``TraceView``, with the logs placed on it.
package struct SpanView: Sendable {
    /// The span as stored (events, links, resource and all); a made-up record for a synthetic span.
    package var record: SpanRecord
    /// The span's ID in the view, unique in the trace: a Zipkin shared server half, which shares its client
    /// half's ID, gets one of its own (as Jaeger's span-ID deduplication does).
    package var spanID: SpanID
    /// The parent span's ID in the view; nil for a root (or where a parent loop was cut).
    package var parentSpanID: SpanID?
    /// The span that carries the verdict on the trace (its root, or the first synthetic span).
    package var isTraceRoot: Bool
    /// The root-cause entry is this span, one of its events, or a log joined to it.
    package var isRootCause: Bool
    /// Names a parent the trace does not hold.
    package var isOrphan: Bool
    /// Made up for a trace whose spans were not exported: one per service that logged.
    package var isSynthetic: Bool
    /// Logs placed on this span, in time order.
    package var logs: [PlacedLog]

    package init(
        record: SpanRecord, spanID: SpanID, parentSpanID: SpanID?, isTraceRoot: Bool = false,
        isRootCause: Bool = false, isOrphan: Bool = false, isSynthetic: Bool = false, logs: [PlacedLog] = []
    ) {
        self.record = record
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.isTraceRoot = isTraceRoot
        self.isRootCause = isRootCause
        self.isOrphan = isOrphan
        self.isSynthetic = isSynthetic
        self.logs = logs
    }
}

/// How a log came to sit on its span in a ``TraceView``.
package enum LogPlacement: String, Sendable, Equatable {
    /// It carries the span's ID (or its service's synthetic span).
    case joined
    /// It joins no span of the trace; the span covering its time holds it (as `show` places it).
    case time
    /// It joins no span and no span covers its time: the trace's root holds it.
    case root
}

/// A log record on a span of a ``TraceView``.
package struct PlacedLog: Sendable {
    package var log: LogRecord
    /// Its time in the timeline (a log without a time is placed at its span's or the trace's start).
    package var time: Int64
    /// Its service as the timeline names it (a joined log takes its span's service).
    package var service: String
    /// The level as written (`WARNING`), or the level's name.
    package var level: String
    /// The attributes as the timeline shows them (`tracejoin.time_inferred` added for a log without a time).
    package var attributes: [Attribute]
    package var placement: LogPlacement
    /// This log is the trace's root-cause entry.
    package var isRootCause: Bool

    package init(
        log: LogRecord, time: Int64, service: String, level: String, attributes: [Attribute],
        placement: LogPlacement, isRootCause: Bool = false
    ) {
        self.log = log
        self.time = time
        self.service = service
        self.level = level
        self.attributes = attributes
        self.placement = placement
        self.isRootCause = isRootCause
    }
}
