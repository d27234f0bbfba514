/// What a timeline entry is.
package enum TimelineEntryKind: String, Sendable {
    case span, log, event
}

/// One line of a trace's story: a span, a log record, or a span event, in time order.
package struct TimelineEntry: Sendable {
    package var kind: TimelineEntryKind
    package var time: Int64
    package var service: String
    package var spanID: SpanID?
    package var parentSpanID: SpanID?
    /// Depth in the span tree (root = 0); a log or event sits one below its span.
    package var depth: Int
    package var name: String
    package var durationNanos: Int64?
    package var severity: LogSeverity?
    package var message: String
    /// `error`, `ok` or `unset` for spans; `error` for error events and error-level logs.
    package var status: String
    package var isError: Bool
    package var attributes: [Attribute]

    package init(
        kind: TimelineEntryKind, time: Int64, service: String, spanID: SpanID?, parentSpanID: SpanID?, depth: Int,
        name: String, durationNanos: Int64?, severity: LogSeverity?, message: String, status: String, isError: Bool,
        attributes: [Attribute]
    ) {
        self.kind = kind
        self.time = time
        self.service = service
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.depth = depth
        self.name = name
        self.durationNanos = durationNanos
        self.severity = severity
        self.message = message
        self.status = status
        self.isError = isError
        self.attributes = attributes
    }
}

/// Where a failure began: the deepest, earliest error in the trace.
package struct RootCause: Sendable, Equatable {
    package var service: String
    package var spanID: SpanID?
    package var name: String
    package var message: String

    package init(service: String, spanID: SpanID?, name: String, message: String) {
        self.service = service
        self.spanID = spanID
        self.name = name
        self.message = message
    }
}

/// The per-trace facts kept in the `traces` table and listed by `incidents`.
package struct TraceSummary: Sendable, Equatable {
    package var traceID: TraceID
    package var services: [String]
    /// First and last moment of the trace; both 0 when none of its records has a time (only logs without one).
    package var start: Int64
    package var end: Int64
    package var isError: Bool
    /// False when the trace has logs but no spans (a ratio sampler dropped it).
    package var sampled: Bool
    package var spanCount: Int
    package var logCount: Int
    package var eventCount: Int
    package var errorClass: String?
    package var rootCause: RootCause?

    package init(
        traceID: TraceID, services: [String], start: Int64, end: Int64, isError: Bool, sampled: Bool,
        spanCount: Int, logCount: Int, eventCount: Int, errorClass: String? = nil, rootCause: RootCause? = nil
    ) {
        self.traceID = traceID
        self.services = services
        self.start = start
        self.end = end
        self.isError = isError
        self.sampled = sampled
        self.spanCount = spanCount
        self.logCount = logCount
        self.eventCount = eventCount
        self.errorClass = errorClass
        self.rootCause = rootCause
    }

    package var durationNanos: Int64 { max(0, end &- start) }
}

/// A whole trace: its summary and its entries in time order.
package struct TraceTimeline: Sendable {
    package var summary: TraceSummary
    package var entries: [TimelineEntry]

    package init(summary: TraceSummary, entries: [TimelineEntry]) {
        self.summary = summary
        self.entries = entries
    }
}

/// The few fields of a log record that the summary of a trace without spans needs.
package struct LogOutline: Sendable, Equatable {
    package var time: Int64?
    package var severity: LogSeverity
    package var service: String

    package init(time: Int64?, severity: LogSeverity, service: String) {
        self.time = time
        self.severity = severity
        self.service = service
    }
}
