/// A 128-bit trace identifier, the key every span and log record is joined on.
///
/// Stored as two 64-bit halves so that the Datadog form (the lower 64 bits in decimal)
/// can be matched against a full ID. The canonical text form is 32 lowercase hex digits.
package struct TraceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var high: UInt64
    package var low: UInt64

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// All-zero IDs are invalid in W3C Trace Context and OTLP; producers write them outside a span.
    package var isZero: Bool { high == 0 && low == 0 }

    /// 32 lowercase hex digits.
    package var hex: String { HexDigits.string(high) + HexDigits.string(low) }

    package var description: String { hex }

    /// Parses 1 to 32 hex digits in any case; shorter IDs are left-padded with zeros
    /// (Zipkin and Jaeger write 64-bit IDs, and some producers drop leading zeros).
    package init?(hex text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard let value = HexDigits.parse128(utf8[...]) else { return nil }
        self = value
    }

    /// Parses the 16 raw bytes of an ID (as base64-decoded from protobuf-JSON).
    package init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        // Contiguous bytes (arrays, protobuf's `Data`) are read as two big-endian words: the generic
        // path below iterates `Data` a byte at a time, which showed in receiver profiles.
        if let words = bytes.withContiguousStorageIfAvailable({ buffer in
            (UInt64(bigEndian: UnsafeRawBufferPointer(buffer).loadUnaligned(as: UInt64.self)),
             UInt64(bigEndian: UnsafeRawBufferPointer(buffer).loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }) {
            self.init(high: words.0, low: words.1)
            return
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    package static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// A trace reference as a record carries it: usually the full ID, but Datadog's
/// `dd.trace_id` carries only the lower 64 bits (in decimal).
package enum TraceReference: Hashable, Sendable {
    case full(TraceID)
    case lower64(UInt64)

    package var lower64Bits: UInt64 {
        switch self {
        case .full(let id): id.low
        case .lower64(let low): low
        }
    }

    /// This reference, or nil for an all-zero ID: what producers print outside a span, which joins no trace. The
    /// writer and the grouping by trace (issue #16) both go by it, so they agree on which logs have a trace.
    package var correlating: TraceReference? {
        switch self {
        case .full(let id): id.isZero ? nil : self
        case .lower64(let low): low == 0 ? nil : self
        }
    }
}
