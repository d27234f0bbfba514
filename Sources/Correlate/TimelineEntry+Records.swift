package import TraceJoinCore

/// Attribute keys the Correlate stage adds to entries, so a reader sees what it inferred.
package enum CorrelateAttributeKey {
    /// On a span whose parent is not in the trace (or whose parent chain looped): `true`.
    package static let orphan = "tracejoin.orphan"
    /// On the span where a parent loop was cut: `true`.
    package static let cycle = "tracejoin.cycle"
    /// On a log record that carried no time and was placed at its span's start or the trace start: `true`.
    package static let timeInferred = "tracejoin.time_inferred"
    /// On a log whose span is not in the trace, placed by its time under the innermost span open then
    /// (see `LogPlacer`): that span's ID, as hex.
    package static let placedUnder = "tracejoin.placed_under"
}

/// Making timeline entries from records.
///
/// Only span entries carry `parentSpanID`; an event or a log carries the span ID of the span it sits
/// under and is placed one level below it. `status` is empty for events and logs that are not errors.
extension TimelineEntry {
    /// The entry of a span at `depth` in its tree.
    package init(span: SpanRecord, depth: Int, isOrphan: Bool = false, isCycleBreak: Bool = false) {
        var attributes = span.attributes
        if isOrphan { attributes.append(Attribute(CorrelateAttributeKey.orphan, .bool(true))) }
        if isCycleBreak { attributes.append(Attribute(CorrelateAttributeKey.cycle, .bool(true))) }
        self.init(
            kind: .span, time: span.startTime, service: span.service, spanID: span.spanID,
            parentSpanID: span.parentSpanID, depth: depth, name: span.name, durationNanos: span.durationNanos,
            severity: nil, message: span.statusMessage, status: span.status.name, isError: span.status == .error,
            attributes: attributes)
    }

    /// The entry of one event of `span`, which sits at `spanDepth`.
    ///
    /// An event without a time (0) is placed at its span's start rather than in 1970.
    package init(event: SpanEvent, of span: SpanRecord, spanDepth: Int) {
        let isError = event.isError
        self.init(
            kind: .event, time: event.time > 0 ? event.time : span.startTime, service: span.service,
            spanID: span.spanID, parentSpanID: nil, depth: spanDepth + 1, name: event.name,
            durationNanos: nil, severity: nil, message: Self.message(of: event), status: isError ? "error" : "",
            isError: isError, attributes: event.attributes)
    }

    /// The entry of a log record, placed at `time`, under the span it joins (if any).
    ///
    /// A log that joins a span takes that span's service: the resource `service.name` is the service's
    /// identity, while the log's own idea of it (a logger name, a file name) stays on the record. A zero
    /// span ID (Python's OTel logging prints `span_id=0` outside a span) means no span.
    package init(log: LogRecord, time: Int64, joining span: SpanRecord?, spanDepth: Int?) {
        let isError = log.severity >= .error
        var attributes = log.attributes
        if log.time == nil { attributes.append(Attribute(CorrelateAttributeKey.timeInferred, .bool(true))) }
        self.init(
            kind: .log, time: time, service: span?.service ?? log.service,
            spanID: log.spanID.flatMap { $0.isZero ? nil : $0 }, parentSpanID: nil,
            depth: spanDepth.map { $0 + 1 } ?? 0, name: Self.levelName(of: log),
            durationNanos: nil, severity: log.severity, message: log.message, status: isError ? "error" : "",
            isError: isError, attributes: attributes)
    }

    /// The entry of a log that joins no span, placed by its time under `span` at `depth` (see `LogPlacer`).
    ///
    /// It keeps its own service and span ID: the span it sits under is where it happened, not whose it is.
    package init(log: LogRecord, time: Int64, placedUnder span: SpanRecord, depth: Int) {
        self.init(log: log, time: time, joining: nil, spanDepth: depth - 1)
        attributes.append(Attribute(CorrelateAttributeKey.placedUnder, .string(span.spanID.hex)))
    }

    /// A log entry's name: its level as written (`WARNING`), or the level's name when it was written as a number
    /// (pino's `30`, bunyan's `50`) or not at all.
    static func levelName(of log: LogRecord) -> String {
        let text = log.severityText
        return text.isEmpty || text.allSatisfy(\.isNumber) ? log.severity.name : text
    }

    /// What an event says: the exception message, else a `message` attribute (Jaeger span logs), else its name.
    package static func message(of event: SpanEvent) -> String {
        for key in ["exception.message", "message"] {
            if let value = event.attributes[key: key], case let text = value.text, !text.isEmpty { return text }
        }
        return event.name
    }
}
