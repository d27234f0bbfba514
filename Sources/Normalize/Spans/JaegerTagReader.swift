package import TraceJoinCore

/// Reads Jaeger's typed tags (`{"key", "type", "value"}`) as attributes.
///
/// Jaeger's JSON model writes `int64` values as strings when they exceed JavaScript's safe range
/// (`"9223372036854775222"`), `binary` values as base64, and some producers write a `bool` as the
/// string `"true"`; all of them are read to their typed value here.
/// — source: https://github.com/jaegertracing/jaeger/blob/main/model/json/model.go
package enum JaegerTagReader {
    /// A JSON array of tags (or span-log fields) as attributes, in order.
    package static func attributes(_ json: JSONValue?) -> [Attribute] {
        guard case .array(let elements)? = json else { return [] }
        var result: [Attribute] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard case .object(let object) = element else { continue }
            var key: String?
            var type = ""
            var raw = JSONValue.null
            for member in object.members {
                switch member.key {
                case "key": key = member.value.string
                case "type", "vType": type = member.value.string ?? ""
                case "value": raw = member.value
                default: continue
                }
            }
            if let key { result.append(Attribute(key, value(raw, type: type))) }
        }
        return result
    }

    /// A tag value of a declared Jaeger type; a value that does not fit its type keeps its JSON kind.
    package static func value(_ raw: JSONValue, type: String) -> AttributeValue {
        switch type.lowercased() {
        case "string":
            return .string(raw.text ?? "")
        case "bool":
            if let bool = raw.bool { return .bool(bool) }
        case "int64":
            if let int = raw.int64 { return .int(int) }
        case "float64":
            if let double = raw.double { return .double(double) }
        case "binary":
            if case .string(let text) = raw, let bytes = Base64.decode(text) { return .bytes(bytes) }
        default:
            break
        }
        return AttributeValue(json: raw)
    }
}
