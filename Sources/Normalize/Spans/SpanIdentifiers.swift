package import TraceJoinCore

/// Reads trace and span IDs as span exports write them: hex in any case, or base64 of the raw bytes.
///
/// OTLP/JSON writes IDs as hex, but generic protobuf→JSON converters follow the plain protobuf
/// mapping and write `bytes` fields as base64 (`"YUMtSIxXQHea1DTgS+G2zg=="`). The two are told
/// apart by length and alphabet: 32 (trace) or 16 (span) hex digits are hex; otherwise base64 is
/// tried for 16 or 8 bytes; otherwise up to 32/16 hex digits are read left-padded (Zipkin and
/// Jaeger write `"2"` or 15-digit IDs).
/// — source: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
package enum SpanIdentifiers {
    /// The trace ID in `text`, or nil when it is empty, malformed or all zeros.
    package static func traceID(_ text: String) -> TraceID? {
        let utf8 = text.utf8
        let count = utf8.count
        if count == 32 || count == 16, let id = hex128(utf8) { return id.isZero ? nil : id }
        if count == 24 || count == 22, let bytes = Base64.decode(text), let id = TraceID(bytes: bytes) {
            return id.isZero ? nil : id
        }
        guard count > 0, count <= 32, let id = hex128(utf8) else { return nil }
        return id.isZero ? nil : id
    }

    /// The span ID in `text`, or nil when it is empty, malformed or all zeros.
    package static func spanID(_ text: String) -> SpanID? {
        let utf8 = text.utf8
        let count = utf8.count
        if count == 16, let value = hex64(utf8) { return value == 0 ? nil : SpanID(value) }
        if count == 12 || count == 11, let bytes = Base64.decode(text), let id = SpanID(bytes: bytes) {
            return id.isZero ? nil : id
        }
        guard count > 0, count <= 16, let value = hex64(utf8) else { return nil }
        return value == 0 ? nil : SpanID(value)
    }

    /// A trace ID of 1 to 32 hex digits only (Jaeger and Zipkin, which never write base64: an
    /// 11-digit Zipkin ID is also valid base64, so the general rule would misread it).
    package static func traceID(hex text: String) -> TraceID? {
        guard let id = hex128(text.utf8), !id.isZero else { return nil }
        return id
    }

    /// A span ID of 1 to 16 hex digits only; see `traceID(hex:)`.
    package static func spanID(hex text: String) -> SpanID? {
        guard let value = hex64(text.utf8), value != 0 else { return nil }
        return SpanID(value)
    }

    /// Up to 16 hex digits, without copying the string.
    @inline(__always)
    static func hex64(_ utf8: String.UTF8View) -> UInt64? {
        var result: UInt64 = 0
        var count = 0
        for byte in utf8 {
            guard let nibble = HexDigits.value(of: byte) else { return nil }
            result = result << 4 | UInt64(nibble)
            count += 1
        }
        return count > 0 && count <= 16 ? result : nil
    }

    /// Up to 32 hex digits, left-padded.
    static func hex128(_ utf8: String.UTF8View) -> TraceID? {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0
        for byte in utf8 {
            guard let nibble = HexDigits.value(of: byte) else { return nil }
            high = high << 4 | low >> 60
            low = low << 4 | UInt64(nibble)
            count += 1
        }
        return count > 0 && count <= 32 ? TraceID(high: high, low: low) : nil
    }
}
