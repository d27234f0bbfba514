import Correlate
import TraceJoinCore
import TraceJoinTesting

/// Test-only builders on top of `TraceJoinTesting.Samples`, for what its `span(...)` does not take.
enum TestRecords {
    /// Nanoseconds at `milliseconds` after a fixed moment (2026-11-23T10:00:00Z).
    static func t(_ milliseconds: Int64) -> Int64 { 1_795_428_000_000_000_000 + milliseconds * 1_000_000 }

    static func span(
        id: UInt64, parent: UInt64? = nil, service: String = "svc", name: String = "op", at start: Int64 = 0,
        lasting duration: Int64 = 10, status: SpanStatus = .unset, statusMessage: String = "",
        shared: Bool = false, events: [SpanEvent] = [], attributes: [Attribute] = []
    ) -> SpanRecord {
        var span = Samples.span(
            id: id, parent: parent, service: service, name: name, start: t(start),
            durationNanos: duration * 1_000_000, status: status)
        span.statusMessage = statusMessage
        span.isSharedServerHalf = shared
        span.events = events
        span.attributes = attributes
        return span
    }

    static func log(
        _ message: String, at time: Int64?, severity: LogSeverity = .info, severityText: String = "",
        service: String = "", span: UInt64? = nil, line: Int = 1
    ) -> LogRecord {
        LogRecord(
            time: time.map(t), severity: severity, severityText: severityText, message: message, service: service,
            trace: .full(Samples.traceA), spanID: span.map(SpanID.init),
            origin: InputLocation(source: "app.log", line: line))
    }

    static func exception(_ type: String, _ message: String, at time: Int64) -> SpanEvent {
        SpanEvent(
            time: t(time), name: "exception",
            attributes: [Attribute("exception.type", .string(type)), Attribute("exception.message", .string(message))])
    }

    static func assemble(spans: [SpanRecord] = [], logs: [LogRecord] = []) -> TraceTimeline {
        TraceAssembler.assemble(traceID: Samples.traceA, spans: spans, logs: logs)
    }
}

extension TimelineEntry {
    /// A short label for comparing orders in tests: `span:gateway`, `event:exception`, `log:text`.
    var label: String { kind.rawValue + ":" + (kind == .log ? message : name) }

    func has(_ key: String) -> Bool { attributes[key: key] == .bool(true) }
}
