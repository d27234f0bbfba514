/// Attribute keys as key rules see them: camelCase split with `_`, lowercased
/// (`accessToken` → `access_token`, `X-Api-Key` → `x-api-key`), so one pattern with word
/// boundaries covers every spelling without matching inside `input_tokens` or `sessionless`.
package enum KeyNormalizer {
    package static func normalize(_ key: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(key.utf8.count + 4)
        var previousWasLower = false
        for byte in key.utf8 {
            let isUpper = byte >= 0x41 && byte <= 0x5A
            if isUpper && previousWasLower { output.append(UInt8(ascii: "_")) }
            output.append(isUpper ? byte | 0x20 : byte)
            previousWasLower = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Keys whose values are never scrubbed: trace context, which the join needs intact.
package enum ProtectedKeys {
    static let keys: Set<String> = [
        "trace_id", "span_id", "parent_id", "parent_span_id", "traceId", "spanId", "parentSpanId", "traceID",
        "spanID", "trace.id", "span.id", "dd.trace_id", "dd.span_id", "otelTraceID", "otelSpanID",
        "traceparent", "tracestate", "trace_flags", "otelTraceSampled", "otelServiceName",
    ]

    package static func contains(_ key: String) -> Bool { keys.contains(key) }
}
