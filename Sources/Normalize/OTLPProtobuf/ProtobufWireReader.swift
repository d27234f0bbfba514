import TraceJoinCore

/// Reads protobuf wire format from a byte buffer: tags, varints, fixed-width numbers, length-delimited
/// fields, each checked against the end of the buffer or of the enclosing message.
///
/// Just enough of the wire format for ``OTLPTraceWireDecoder``, which reads span exports straight into
/// records. Anything it does not expect is `ProtobufWireReader.Unexpected`, and the caller hands the body
/// to swift-protobuf, which knows the rest of the format and names the fault.
/// — source: https://protobuf.dev/programming-guides/encoding/
struct ProtobufWireReader {
    /// Something this reader does not handle: malformed or truncated input, or a shape (groups, a
    /// field with another wire type than its declaration's) that only swift-protobuf decodes faithfully.
    struct Unexpected: Error {}

    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private let base: UnsafePointer<UInt8>
    private(set) var position: Int
    let end: Int

    /// Reads `bytes[range]`; the caller keeps the buffer alive while the reader is used.
    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type.
    mutating func field() throws(Unexpected) -> (number: UInt64, type: WireType) {
        let tag = try varint()
        // Field numbers run from 1 to 2^29 - 1; swift-protobuf refuses others as malformed.
        guard let type = WireType(rawValue: UInt8(tag & 7)), tag >> 3 != 0, tag >> 3 < 1 << 29 else {
            throw Unexpected()
        }
        return (tag >> 3, type)
    }

    mutating func varint() throws(Unexpected) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let byte = base[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
            guard shift < 70 else { throw Unexpected() }
        }
        throw Unexpected()
    }

    mutating func fixed64() throws(Unexpected) -> UInt64 {
        guard end - position >= 8 else { throw Unexpected() }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    mutating func fixed32() throws(Unexpected) -> UInt32 {
        guard end - position >= 4 else { throw Unexpected() }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// Where a length-delimited field's payload is; the reader moves past it.
    mutating func lengthDelimited() throws(Unexpected) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Unexpected() }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// Moves past a field this reader does not use.
    mutating func skip(_ type: WireType) throws(Unexpected) {
        switch type {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .lengthDelimited: _ = try lengthDelimited()
        case .fixed32: _ = try fixed32()
        }
    }

    /// Calls `body` with the payload of every `number` field (a repeated message) up to the end, and moves past
    /// every other field: the shape of a message whose only field of interest is one repeated message.
    mutating func forEachMessage(
        inField number: UInt64, _ body: (Range<Int>) throws(Unexpected) -> Void
    ) throws(Unexpected) {
        while !isAtEnd {
            let (field, type) = try field()
            guard field == number else {
                try skip(type)
                continue
            }
            try expect(.lengthDelimited, type)
            try body(lengthDelimited())
        }
    }

    /// The payload of a field, checked to be of `type` (else swift-protobuf would treat it otherwise).
    func expect(_ type: WireType, _ actual: WireType) throws(Unexpected) {
        guard type == actual else { throw Unexpected() }
    }

    /// A string field's payload; invalid UTF-8 is swift-protobuf's error to report.
    func string(_ range: Range<Int>) throws(Unexpected) -> String {
        guard !range.isEmpty else { return "" }
        let bytes = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
        // ASCII needs no validation; `String(validating:as:)` is generic over the encoding and its
        // unspecialised path (metadata lookups) showed in profiles, so it is kept for the rest.
        if Self.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Unexpected() }
        return text
    }

    /// No byte has its high bit set; eight bytes at a time.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var highBits: UInt64 = 0
        var offset = 0
        while offset + 8 <= raw.count {
            highBits |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < raw.count {
            highBits |= UInt64(raw[offset])
            offset += 1
        }
        return highBits & 0x8080_8080_8080_8080 == 0
    }

    /// A bytes field's payload as its own array.
    func bytes(_ range: Range<Int>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// A trace ID: exactly 16 bytes, not all zero, as ``OTLPProtobufDecoder/traceID(_:)`` requires.
    func traceID(_ range: Range<Int>) -> TraceID? {
        guard range.count == 16 else { return nil }
        let raw = UnsafeRawPointer(base + range.lowerBound)
        let id = TraceID(
            high: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
            low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        return id.isZero ? nil : id
    }

    /// A span ID: exactly 8 bytes, not all zero; nil otherwise (an empty parent is a root's).
    func spanID(_ range: Range<Int>) -> SpanID? {
        guard range.count == 8 else { return nil }
        let id = SpanID(UInt64(bigEndian: UnsafeRawPointer(base + range.lowerBound).loadUnaligned(as: UInt64.self)))
        return id.isZero ? nil : id
    }
}
