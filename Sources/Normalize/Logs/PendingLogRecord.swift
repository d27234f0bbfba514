import TraceJoinCore

/// A record whose first line was read and that may still receive continuation lines.
///
/// Continuation text is kept as bytes and turned into the message once, when the record is emitted.
struct PendingLogRecord {
    var fields: LogFields
    var origin: InputLocation
    var time: Int64?
    var stream: String?
    var serviceFromFileName = false
    var continuation: [UInt8] = []
    var continuationLines = 0
    /// Set when the message was cut at `maxRecordBytes` (or a partial container line was).
    var truncated = false

    init(fields: consuming LogFields, origin: InputLocation) {
        self.fields = fields
        self.origin = origin
    }

    /// A stack dump once a continuation line joined it, or when its first line opened one.
    var isStackDump: Bool { fields.opensStackDump || continuationLines > 0 }

    /// Appends `\n` + the line, up to the record size limit.
    mutating func appendLine(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, limit: Int) {
        continuationLines += 1
        guard !truncated else { return }
        let room = limit - fields.message.utf8.count - continuation.count - 1
        guard room > 0 else {
            truncated = true
            return
        }
        continuation.append(0x0A)
        if end - start <= room {
            continuation.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        } else {
            let cut = LogBytes.utf8Boundary(bytes, start: start, limit: start + room)
            continuation.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<cut]))
            truncated = true
        }
    }

    /// The finished record, moving the fields out (the slot is reused for the next record);
    /// `tracejoin.truncated` marks a cut message, `log.iostream` the container stream.
    mutating func takeRecord(configuration: LogDecoderConfiguration) -> LogRecord {
        var message = ""
        swap(&message, &fields.message)
        var attributes: [Attribute] = []
        swap(&attributes, &fields.attributes)
        var truncated = self.truncated
        if !continuation.isEmpty {
            message += String(decoding: continuation, as: UTF8.self)
            continuation = []
        }
        if message.utf8.count > configuration.maxRecordBytes {
            var utf8 = Array(message.utf8)
            let cut = utf8.withUnsafeBufferPointer { LogBytes.utf8Boundary($0, start: 0, limit: configuration.maxRecordBytes) }
            utf8.removeSubrange(cut...)
            message = String(decoding: utf8, as: UTF8.self)
            truncated = true
        }
        var record = LogRecord(
            time: time, severity: fields.severity, severityText: fields.severityText, message: message,
            service: fields.service ?? "", serviceFromFileName: serviceFromFileName, trace: fields.trace,
            spanID: fields.spanID, sampled: fields.sampled, attributes: attributes, attributeJSON: fields.attributeJSON,
            origin: origin)
        fields.attributeJSON = nil
        if let stream { record.appendAttribute(Attribute("log.iostream", .string(stream))) }
        if truncated { record.appendAttribute(Attribute("tracejoin.truncated", .bool(true))) }
        return record
    }
}
