/// A key-value pair on a span, event, link, resource or log record.
package struct Attribute: Hashable, Sendable {
    package var key: String
    package var value: AttributeValue

    package init(_ key: String, _ value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

/// Every value kind OTLP's AnyValue can hold.
package enum AttributeValue: Hashable, Sendable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case array([AttributeValue])
    case keyValueList([Attribute])
    case null

    /// The value as plain text, for messages and matching (bytes as base64, lists as JSON).
    package var text: String {
        switch self {
        case .string(let string): string
        case .bool(let bool): bool ? "true" : "false"
        case .int(let int): String(int)
        case .double(let double): JSONWriter.format(double)
        case .bytes(let bytes): Base64.encode(bytes)
        case .array, .keyValueList, .null:
            {
                var writer = JSONWriter()
                writer.write(self)
                return writer.text
            }()
        }
    }
}

extension [Attribute] {
    /// The first attribute with this key.
    package subscript(key key: String) -> AttributeValue? {
        first(where: { $0.key == key })?.value
    }
}
