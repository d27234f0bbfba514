import TraceJoinCore

/// A log row as spill bytes (issue #16, the trace-grouped write path): what an external sort by trace writes to
/// its runs and reads back in the merge.
///
/// The row's values go in a fixed header and its four text columns follow as the bytes the writer binds, so
/// reading a row back into a ``RowBatch`` is one copy of its text and no `String`, array or attribute per field:
/// the merge of the sorter that re-made records cost 4–6 µs a record (docs/grouped-store.md).
///
/// Layout, little-endian: flags (UInt16), trace high and low (UInt64 each), span ID (UInt64), time (Int64),
/// severity (Int32), source ID, line, byte offset, ordinal (Int64 each), the byte counts of severity text,
/// message, service and attribute JSON (UInt32 each), then those bytes in that order.
extension RowBatch {
    /// Where a spill stops making sense: the run was cut short or is not spill bytes.
    package struct SpillDamage: Error, Equatable {
        /// The offset of the row that could not be read.
        package var offset: Int

        package init(offset: Int) { self.offset = offset }
    }

    static let spillHeaderSize = 2 + 8 * 4 + 4 + 8 * 4 + 4 * 4

    private struct SpillFlags: OptionSet {
        let rawValue: UInt16
        static let trace = SpillFlags(rawValue: 1 << 0)
        static let lower64 = SpillFlags(rawValue: 1 << 1)
        static let spanID = SpillFlags(rawValue: 1 << 2)
        static let time = SpillFlags(rawValue: 1 << 3)
        static let serviceFromFile = SpillFlags(rawValue: 1 << 4)
        static let sampledKnown = SpillFlags(rawValue: 1 << 5)
        static let sampled = SpillFlags(rawValue: 1 << 6)
        static let attributes = SpillFlags(rawValue: 1 << 7)
    }

    /// Appends `row`, a log row of this batch, to `out` as spill bytes.
    package func spill(_ row: LogRow, into out: inout [UInt8]) {
        var flags: SpillFlags = []
        var high: UInt64 = 0
        var low: UInt64 = 0
        switch row.trace {
        case .full(let id)?:
            flags.insert(.trace)
            (high, low) = (id.high, id.low)
        case .lower64(let bits)?:
            flags.formUnion([.trace, .lower64])
            low = bits
        case nil: break
        }
        if row.spanID != nil { flags.insert(.spanID) }
        if row.time != nil { flags.insert(.time) }
        if row.serviceFromFile { flags.insert(.serviceFromFile) }
        if let sampled = row.sampled { flags.formUnion(sampled ? [.sampledKnown, .sampled] : [.sampledKnown]) }
        if row.attributes != nil { flags.insert(.attributes) }
        let attributes = row.attributes ?? TextRange(start: 0, count: 0)
        // The header is made in place on the stack and appended at once: appending each field on its own cost
        // half the row's spill time.
        withUnsafeTemporaryAllocation(byteCount: Self.spillHeaderSize, alignment: 8) { header in
            var cursor = 0
            func put<T: FixedWidthInteger>(_ value: T) {
                header.storeBytes(of: value.littleEndian, toByteOffset: cursor, as: T.self)
                cursor += MemoryLayout<T>.size
            }
            put(flags.rawValue)
            put(high)
            put(low)
            put(row.spanID ?? 0)
            put(row.time ?? 0)
            put(Int32(truncatingIfNeeded: row.severity))
            put(row.sourceID)
            put(Int64(row.line))
            put(row.byteOffset)
            put(Int64(row.ordinal))
            put(UInt32(row.severityText.count))
            put(UInt32(row.message.count))
            put(UInt32(row.service.count))
            put(UInt32(attributes.count))
            out.append(contentsOf: UnsafeRawBufferPointer(header))
        }
        appendText(row.severityText, to: &out)
        appendText(row.message, to: &out)
        appendText(row.service, to: &out)
        appendText(attributes, to: &out)
    }

    private func appendText(_ range: TextRange, to out: inout [UInt8]) {
        guard range.count > 0 else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: text.base + range.start, count: range.count))
    }

    /// Reads the spilled log row at `offset` of `bytes`, appends it to this batch and moves `offset` past it.
    package mutating func appendSpilledLog(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) throws(SpillDamage) {
        let start = offset
        guard bytes.count - start >= Self.spillHeaderSize else { throw SpillDamage(offset: start) }
        var cursor = start
        func take<T: FixedWidthInteger>(_: T.Type) -> T {
            defer { cursor += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: cursor, as: T.self))
        }
        let flags = SpillFlags(rawValue: take(UInt16.self))
        let high = take(UInt64.self)
        let low = take(UInt64.self)
        let spanID = take(UInt64.self)
        let time = take(Int64.self)
        let severity = Int(take(Int32.self))
        let sourceID = take(Int64.self)
        let line = Int(take(Int64.self))
        let byteOffset = take(Int64.self)
        let ordinal = Int(take(Int64.self))
        let severityTextCount = Int(take(UInt32.self))
        let messageCount = Int(take(UInt32.self))
        let serviceCount = Int(take(UInt32.self))
        let attributesCount = Int(take(UInt32.self))
        let textCount = severityTextCount + messageCount + serviceCount + attributesCount
        guard bytes.count - cursor >= textCount else { throw SpillDamage(offset: start) }
        // One copy of the row's four text columns; each range is a slice of it.
        var next = text.append(
            UnsafeBufferPointer(
                start: bytes.baseAddress.map { ($0 + cursor).assumingMemoryBound(to: UInt8.self) }, count: textCount)
        ).start
        func slice(_ count: Int) -> TextRange {
            defer { next += count }
            return TextRange(start: next, count: count)
        }
        let severityText = slice(severityTextCount)
        let message = slice(messageCount)
        let service = slice(serviceCount)
        let attributes = slice(attributesCount)
        offset = cursor + textCount
        let trace: TraceReference? =
            !flags.contains(.trace) ? nil
            : flags.contains(.lower64) ? .lower64(low) : .full(TraceID(high: high, low: low))
        entries.append(
            .log(
                LogRow(
                    trace: trace, spanID: flags.contains(.spanID) ? spanID : nil,
                    time: flags.contains(.time) ? time : nil, severity: severity, severityText: severityText,
                    message: message, service: service, serviceFromFile: flags.contains(.serviceFromFile),
                    sampled: flags.contains(.sampledKnown) ? flags.contains(.sampled) : nil,
                    attributes: flags.contains(.attributes) ? attributes : nil, sourceID: sourceID, line: line,
                    byteOffset: byteOffset, ordinal: ordinal)))
    }
}
