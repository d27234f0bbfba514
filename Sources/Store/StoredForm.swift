package import TraceJoinCore

/// Records as ``IncidentStore/records(traceKeys:detail:)`` reads them back, made from what is about to be written:
/// `batch` summarises a trace from its group in memory (`GroupBatcher`), and it must see exactly what the summary
/// pass reads with the same ``RecordDetail``, or the two would save different summaries.
///
/// Attributes, resources, links and event attributes go through the JSON they are stored as (`AttributeJSON`),
/// texts stored as NULL come back empty, and the origin names its source's path; what `detail` leaves out comes back
/// empty.
package enum StoredForm {
    /// `span` as its row, resource and events read back with `detail`, from source `path` (`.summary` reads no path).
    package static func span(_ span: SpanRecord, path: String, detail: RecordDetail) -> SpanRecord {
        var stored = span
        stored.events = events(span.events)
        switch detail {
        case .summary:
            stored.name = ""
            stored.statusMessage = ""
            stored.attributes = []
            stored.resource = []
            stored.scope = ""
            stored.links = []
            stored.origin.source = ""
        case .full, .errorLogAttributes:
            var buffer = JSONBuffer()
            stored.attributes = attributes(span.attributes, &buffer)
            stored.resource = attributes(span.resource, &buffer)
            stored.links =
                AttributeJSON.encode(span.links, into: &buffer)
                ? AttributeJSON.decodeLinks(String(decoding: buffer.bytes, as: UTF8.self)) : []
            stored.origin.source = path
        }
        return stored
    }

    /// A span's events as `span_events` reads them back (whole, whatever the detail).
    package static func events(_ events: [SpanEvent]) -> [SpanEvent] {
        if events.allSatisfy({ $0.attributes.isEmpty }) { return events }
        var buffer = JSONBuffer()
        var stored = events
        for index in stored.indices { stored[index].attributes = attributes(events[index].attributes, &buffer) }
        return stored
    }

    /// Log `row` of `batch` as its row reads back with `detail`, from source `path` (`.summary` reads no path).
    package static func log(_ row: LogRow, of batch: RowBatch, path: String, detail: RecordDetail) -> LogRecord {
        let severity = LogSeverity(rawValue: row.severity) ?? .unspecified
        let whole = detail != .summary
        let withAttributes =
            switch detail {
            case .full: true
            case .errorLogAttributes: severity >= .error
            case .summary: false
            }
        return LogRecord(
            time: row.time, severity: severity, severityText: whole ? batch.string(row.severityText) : "",
            message: whole ? batch.string(row.message) : "", service: batch.string(row.service),
            serviceFromFileName: row.serviceFromFile, spanID: row.spanID.map(SpanID.init), sampled: row.sampled,
            attributes: withAttributes ? AttributeJSON.decode(row.attributes.map(batch.string)) : [],
            origin: InputLocation(
                source: whole ? path : "", line: row.line, byteOffset: row.byteOffset, ordinal: row.ordinal))
    }

    private static func attributes(_ attributes: [Attribute], _ buffer: inout JSONBuffer) -> [Attribute] {
        AttributeJSON.encode(attributes, into: &buffer)
            ? AttributeJSON.decode(String(decoding: buffer.bytes, as: UTF8.self)) : []
    }
}
