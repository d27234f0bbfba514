import TraceJoinCore

/// The fields of one log record as read from its first line, before its time is resolved
/// against the container wrapper and before continuation lines are joined.
struct LogFields {
    var time: ParsedLogTime?
    var severity: LogSeverity = .unspecified
    var severityText: String = ""
    var message: String = ""
    var service: String?
    var trace: TraceReference?
    var spanID: SpanID?
    var sampled: Bool?
    var attributes: [Attribute] = []
    /// The line's attributes as stored JSON instead (see `AttributeJSONCopier`); `attributes` then holds only
    /// what comes after them (a container wrapper's own members), and `LogRecord` makes one list of both.
    var attributeJSON: AttributeJSONText?
    /// True when the record opens a stack dump (`panic:`, `Traceback …`), so that unindented
    /// frame lines after it count as continuation (see `ContinuationRule`).
    var opensStackDump = false

    /// Fills trace context (and a missing service) from the text patterns, when the fields had none.
    mutating func applyTextPatterns(_ scanner: TraceContextScanner, to text: String) {
        guard trace == nil, !text.isEmpty else { return }
        var text = text
        let match = text.withUTF8 { bytes in scanner.scan(bytes, from: 0, to: bytes.count) }
        guard let match else { return }
        apply(match)
    }

    mutating func apply(_ match: TraceContextMatch) {
        if service == nil, let name = match.service, !name.isEmpty { service = name }
        guard let trace = match.trace else { return }
        self.trace = trace
        if spanID == nil { spanID = match.spanID }
        if sampled == nil { sampled = match.sampled }
    }
}
