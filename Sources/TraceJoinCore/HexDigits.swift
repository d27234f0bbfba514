/// Hex parsing and formatting for IDs, on bytes, without Foundation.
package enum HexDigits {
    @inline(__always)
    package static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Up to 16 hex digits as a number; nil on any other byte or on empty input.
    package static func parse64(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var result: UInt64 = 0
        for byte in digits {
            guard let nibble = value(of: byte) else { return nil }
            result = result << 4 | UInt64(nibble)
        }
        return result
    }

    /// Up to 32 hex digits as a trace ID, left-padded.
    package static func parse128(_ digits: ArraySlice<UInt8>) -> TraceID? {
        guard !digits.isEmpty, digits.count <= 32 else { return nil }
        let split = max(digits.startIndex, digits.endIndex - 16)
        guard let low = parse64(digits[split...]) else { return nil }
        var high: UInt64 = 0
        if split > digits.startIndex {
            guard let parsed = parse64(digits[..<split]) else { return nil }
            high = parsed
        }
        return TraceID(high: high, low: low)
    }

    private static let alphabet: [UInt8] = Array("0123456789abcdef".utf8)

    /// 16 lowercase hex digits, zero-padded.
    package static func string(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                let shift = UInt64((15 - index) * 4)
                buffer[index] = alphabet[Int((value >> shift) & 0xF)]
            }
            return 16
        }
    }

    /// Two lowercase hex digits per byte (a digest, an ID as raw bytes).
    package static func string<Bytes: Collection<UInt8>>(bytes: Bytes) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = alphabet[Int(byte >> 4)]
                buffer[index + 1] = alphabet[Int(byte & 0xF)]
                index += 2
            }
            return index
        }
    }
}
