/// Reads a trace ID in any of the forms users paste: 32 or 16 hex digits in any case,
/// a W3C `traceparent`, base64 of the 16 bytes, an AWS X-Ray ID, or a Datadog decimal ID.
package enum TraceIDText {
    /// The trace a piece of text names, or nil when it is none of the known forms.
    package static func parse(_ raw: String) -> TraceReference? {
        let text = raw.trimmingWhitespace()
        let utf8 = Array(text.utf8)
        if utf8.isEmpty { return nil }

        // W3C traceparent: version-traceid-parentid-flags, e.g. 00-<32>-<16>-01.
        let dashParts = utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        if dashParts.count == 4, dashParts[0].count == 2, dashParts[1].count == 32, dashParts[2].count == 16,
            dashParts[3].count == 2, let id = HexDigits.parse128(dashParts[1]), !id.isZero
        {
            return .full(id)
        }
        // AWS X-Ray: 1-<8 hex epoch>-<24 hex>.
        if dashParts.count == 3, dashParts[0] == [UInt8(ascii: "1")], dashParts[1].count == 8, dashParts[2].count == 24,
            let id = HexDigits.parse128(dashParts[1] + dashParts[2])
        {
            return .full(id)
        }
        // 32 or 16 hex digits (16 = upper half zero).
        if utf8.count == 32 || utf8.count == 16, let id = HexDigits.parse128(utf8[...]), !id.isZero {
            // All-decimal 16-digit strings are ambiguous; hex wins, as every tracing UI treats them.
            return .full(id)
        }
        // Datadog: the lower 64 bits in decimal, up to 20 digits.
        if utf8.count <= 20, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let low = UInt64(text), low != 0
        {
            return .lower64(low)
        }
        // base64 of the 16 bytes (24 characters with padding, 22 without).
        if let bytes = Base64.decode(text), bytes.count == 16, let id = TraceID(bytes: bytes), !id.isZero {
            return .full(id)
        }
        return nil
    }

    /// Every trace the text may name, most likely first: `parse`'s reading, then for 16 decimal digits
    /// (hex by `parse`, but also a Datadog ID: about one in 2,000 of those has 16 digits) the decimal one.
    package static func readings(_ raw: String) -> [TraceReference] {
        guard let first = parse(raw) else { return [] }
        let text = raw.trimmingWhitespace()
        if text.utf8.count == 16, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let low = UInt64(text), low != 0
        {
            return [first, .lower64(low)]
        }
        return [first]
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    package func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
