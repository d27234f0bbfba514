package import TraceJoinCore

/// Jaeger key-value tags (span tags, process tags, log fields): `{"key", "type", "value"}` with types
/// `string`, `bool`, `int64`, `float64` and `binary`.
/// — source: jaegertracing/jaeger `model/json/model.go` (`KeyValue`, `ValueType`)
package enum JaegerTags {
    /// Integers beyond ±2^53 are written as strings: a JavaScript reader would round them.
    static let largestExactInteger: Int64 = 1 << 53

    package static func write(_ tags: [Attribute], to writer: inout JSONWriter) {
        writer.raw("[")
        for (index, tag) in tags.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"key\":")
            writer.string(tag.key)
            writer.raw(",\"type\":")
            switch tag.value {
            case .string(let text):
                writer.raw("\"string\",\"value\":")
                writer.string(text)
            case .bool(let bool):
                writer.raw("\"bool\",\"value\":\(bool)")
            case .int(let int):
                writer.raw("\"int64\",\"value\":")
                if int.magnitude <= largestExactInteger.magnitude {
                    writer.raw(String(int))
                } else {
                    writer.string(String(int))
                }
            case .double(let double):
                writer.raw("\"float64\",\"value\":")
                writer.raw(JSONWriter.format(double))  // NaN and infinities as strings
            case .bytes(let bytes):
                writer.raw("\"binary\",\"value\":")
                writer.string(Base64.encode(bytes))
            case .array, .keyValueList, .null:
                // Jaeger's OTLP translator writes lists and maps as their JSON text.
                writer.raw("\"string\",\"value\":")
                writer.string(tag.value.text)
            }
            writer.raw("}")
        }
        writer.raw("]")
    }
}
