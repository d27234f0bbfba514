/// A 64-bit span identifier; canonical text form is 16 lowercase hex digits.
package struct SpanID: Hashable, Sendable, CustomStringConvertible {
    package var value: UInt64

    package init(_ value: UInt64) { self.value = value }

    /// Parses 1 to 16 hex digits in any case, left-padding shorter IDs (Zipkin writes `"2"`).
    package init?(hex text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= 16, let value = HexDigits.parse64(utf8[...]) else { return nil }
        self.value = value
    }

    /// Parses the 8 raw bytes of an ID (as base64-decoded from protobuf-JSON).
    package init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 8 else { return nil }
        if let word = bytes.withContiguousStorageIfAvailable({
            UInt64(bigEndian: UnsafeRawBufferPointer($0).loadUnaligned(as: UInt64.self))
        }) {
            self.value = word
            return
        }
        self.value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    package var isZero: Bool { value == 0 }
    package var hex: String { HexDigits.string(value) }
    package var description: String { hex }
}
