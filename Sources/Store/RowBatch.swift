package import TraceJoinCore

/// Scrubbed records made into the rows the writer binds, before they reach the writer thread (issue #16).
///
/// A log record is a dozen heap objects (its strings, its attribute array and every key and value in it). The
/// writer used to encode the attributes as JSON, bind each string through a copy and free all of them: a third
/// of its CPU on the 1 GB night, on the one thread that every record passes. A batch made on the threads that
/// scrubbed the records instead holds each log as a ``LogRow`` of plain values, with its text columns (severity
/// text, message, service, attribute JSON) in one buffer that the writer binds in place. Spans and rejects (a
/// tenth of the records) stay records.
package struct RowBatch: Sendable {
    package enum Entry: Sendable {
        case log(LogRow)
        case record(SourcedRecord)
    }

    package internal(set) var entries: [Entry] = []
    /// Summaries of traces whose rows are all in this batch, made from them in memory (issue #16): the writer
    /// stores such a trace summarised if it creates it, so the summary pass need not read it back.
    package var summaries: [TraceID: GroupSummary] = [:]
    let text: RowText
    /// Scratch space for one record's attribute JSON, reused from record to record.
    private var json = JSONBuffer()

    /// Room for `capacity` records, and for the text of `logs` log records (about 256 bytes each).
    package init(capacity: Int = 0, logs: Int? = nil) {
        entries.reserveCapacity(capacity)
        text = RowText(capacity: max((logs ?? capacity) * 256, 256))
    }

    /// The records, in order.
    package init(_ records: some Collection<SourcedRecord>) {
        self.init(capacity: records.count, logs: Self.logCount(records))
        for record in records { append(record) }
    }

    package var count: Int { entries.count }

    /// How many of `records` are logs: the records a batch reserves text for.
    package static func logCount(_ records: some Collection<SourcedRecord>) -> Int {
        records.withContiguousStorageIfAvailable(logCount) ?? Array(records).withUnsafeBufferPointer(logCount)
    }

    /// Looks at each record in place: iterating a sequence copies each element, which retains and releases
    /// every field of every record (1.5 % of `batch`'s CPU on the 1 GB night).
    package static func logCount(_ records: UnsafeBufferPointer<SourcedRecord>) -> Int {
        var count = 0
        for index in records.indices where records[index].record.isLog { count += 1 }
        return count
    }

    /// Adds one record.
    package mutating func append(_ sourced: consuming SourcedRecord) {
        guard case .log(let log) = sourced.record else {
            entries.append(.record(sourced))
            return
        }
        let attributes: TextRange?
        if let stored = log.attributeJSON {
            attributes = stored.bytes.withUnsafeBufferPointer { text.append($0) }
        } else {
            attributes =
                AttributeJSON.encode(log.attributes, into: &json)
                ? json.bytes.withUnsafeBufferPointer { text.append($0) } : nil
        }
        entries.append(
            .log(
                LogRow(
                    trace: log.trace, spanID: log.spanID?.value, time: log.time, severity: log.severity.rawValue,
                    severityText: text.append(log.severityText), message: text.append(log.message),
                    service: text.append(log.service), serviceFromFile: log.serviceFromFileName, sampled: log.sampled,
                    attributes: attributes, sourceID: sourced.sourceID, line: log.origin.line,
                    byteOffset: log.origin.byteOffset, ordinal: log.origin.ordinal)))
    }

    /// Adds `row`, a log row of `other`, with its text copied into this batch.
    package mutating func appendLog(_ row: LogRow, from other: RowBatch) {
        var copy = row
        let source = other.text.base
        func move(_ range: TextRange) -> TextRange {
            text.append(UnsafeBufferPointer(start: source + range.start, count: range.count))
        }
        copy.severityText = move(row.severityText)
        copy.message = move(row.message)
        copy.service = move(row.service)
        copy.attributes = row.attributes.map(move)
        entries.append(.log(copy))
    }

    /// The text of `range`, as stored (for tests and diagnostics; the writer binds the bytes in place).
    package func string(_ range: TextRange) -> String {
        String(decoding: UnsafeBufferPointer(start: text.base + range.start, count: range.count), as: UTF8.self)
    }
}

/// A trace's summary made from its rows in memory, with its classification when it failed: what the summary pass
/// would save for it.
package struct GroupSummary: Sendable {
    package var summary: TraceSummary
    package var classification: TraceClassification?

    package init(_ summary: TraceSummary, classification: TraceClassification? = nil) {
        self.summary = summary
        self.classification = classification
    }
}

/// One log row, as the writer binds it: plain values and ranges of its batch's text.
package struct LogRow: Sendable {
    package var trace: TraceReference?
    package var spanID: UInt64?
    package var time: Int64?
    package var severity: Int
    package var severityText: TextRange
    package var message: TextRange
    package var service: TextRange
    package var serviceFromFile: Bool
    package var sampled: Bool?
    /// The attributes as JSON; nil for none (NULL).
    package var attributes: TextRange?
    package var sourceID: Int64
    package var line: Int
    package var byteOffset: Int64
    package var ordinal: Int
}

/// Where a text column's UTF-8 bytes are in their batch's buffer.
package struct TextRange: Sendable {
    package var start: Int
    package var count: Int
}

/// The text bytes of one batch, at an address that stays put once the batch is made, so SQLite can bind them
/// without a copy (`SQLITE_STATIC`) for as long as the batch is alive.
final class RowText: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var used = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    func append(_ string: String) -> TextRange {
        if let range = string.utf8.withContiguousStorageIfAvailable({ append($0) }) { return range }
        var copy = string
        return copy.withUTF8 { append($0) }
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> TextRange {
        if used + bytes.count > capacity { grow(toHold: used + bytes.count) }
        if let source = bytes.baseAddress, !bytes.isEmpty { (base + used).update(from: source, count: bytes.count) }
        defer { used += bytes.count }
        return TextRange(start: used, count: bytes.count)
    }

    private func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: used)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}

extension Record {
    /// Whether this is a log, without copying it out.
    fileprivate var isLog: Bool {
        if case .log = self { true } else { false }
    }
}
