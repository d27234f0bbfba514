package import TraceJoinCore

/// Records as the store reads them back whole, made from what is about to be written: `batch` summarises a failed
/// trace from its group in memory (`GroupBatcher`), and it must see exactly what the summary pass reads
/// (`RecordDetail.errorLogAttributes`), or the two would save different summaries.
///
/// Attributes, resources, links and event attributes go through the JSON they are stored as (`AttributeJSON`),
/// texts stored as NULL come back empty, and the origin names its source's path.
package enum StoredForm {
    /// `span` as its row, resource and events read back, from source `path`.
    package static func span(_ span: SpanRecord, path: String) -> SpanRecord {
        var stored = span
        var buffer = JSONBuffer()
        stored.attributes = attributes(span.attributes, &buffer)
        stored.resource = attributes(span.resource, &buffer)
        stored.links =
            AttributeJSON.encode(span.links, into: &buffer)
            ? AttributeJSON.decodeLinks(String(decoding: buffer.bytes, as: UTF8.self)) : []
        stored.events = events(span.events)
        stored.origin.source = path
        return stored
    }

    /// A span's events as `span_events` reads them back.
    package static func events(_ events: [SpanEvent]) -> [SpanEvent] {
        if events.allSatisfy({ $0.attributes.isEmpty }) { return events }
        var buffer = JSONBuffer()
        var stored = events
        for index in stored.indices { stored[index].attributes = attributes(events[index].attributes, &buffer) }
        return stored
    }

    /// Log `row` of `batch` as its row reads back, from source `path`; its attributes only when `withAttributes`.
    package static func log(_ row: LogRow, of batch: RowBatch, path: String, withAttributes: Bool) -> LogRecord {
        LogRecord(
            time: row.time, severity: LogSeverity(rawValue: row.severity) ?? .unspecified,
            severityText: batch.string(row.severityText), message: batch.string(row.message),
            service: batch.string(row.service), serviceFromFileName: row.serviceFromFile,
            spanID: row.spanID.map(SpanID.init), sampled: row.sampled,
            attributes: withAttributes ? AttributeJSON.decode(row.attributes.map(batch.string)) : [],
            origin: InputLocation(source: path, line: row.line, byteOffset: row.byteOffset, ordinal: row.ordinal))
    }

    private static func attributes(_ attributes: [Attribute], _ buffer: inout JSONBuffer) -> [Attribute] {
        AttributeJSON.encode(attributes, into: &buffer)
            ? AttributeJSON.decode(String(decoding: buffer.bytes, as: UTF8.self)) : []
    }
}
