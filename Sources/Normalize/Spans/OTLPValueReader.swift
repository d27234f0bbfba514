package import TraceJoinCore

/// Converts OTLP/JSON `AnyValue`s, key-value lists and enums into Core values.
///
/// Accepts both field spellings the Collector accepts (`stringValue` and `string_value`), and
/// 64-bit integers as JSON strings (the protobuf-JSON mapping) or as numbers (what some SDKs write).
/// — source: https://protobuf.dev/programming-guides/json/
package enum OTLPValueReader {
    /// An `AnyValue` object as an attribute value; `{}` and unknown kinds are `.null`.
    package static func value(_ json: JSONValue) -> AttributeValue {
        guard case .object(let object) = json else { return .null }
        for member in object.members {
            switch member.key {
            case "stringValue", "string_value":
                return .string(member.value.text ?? "")
            case "boolValue", "bool_value":
                return .bool(member.value.bool ?? false)
            case "intValue", "int_value":
                if let int = member.value.int64 { return .int(int) }
                return .string(member.value.text ?? "")
            case "doubleValue", "double_value":
                return .double(member.value.double ?? .nan)
            case "bytesValue", "bytes_value":
                guard let text = member.value.string else { return .null }
                if let bytes = Base64.decode(text) { return .bytes(bytes) }
                return .string(text)
            case "arrayValue", "array_value":
                guard let values = member.value["values"]?.array else { return .array([]) }
                return .array(values.map(value))
            case "kvlistValue", "kvlist_value":
                guard let values = member.value["values"] else { return .keyValueList([]) }
                return .keyValueList(attributes(values))
            default:
                continue
            }
        }
        return .null
    }

    /// A JSON array of `{"key", "value"}` objects as attributes, in order; entries without a key are skipped.
    package static func attributes(_ json: JSONValue) -> [Attribute] {
        guard case .array(let elements) = json else { return [] }
        var result: [Attribute] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard case .object(let object) = element else { continue }
            var key: String?
            var attributeValue = AttributeValue.null
            for member in object.members {
                switch member.key {
                case "key": key = member.value.string
                case "value": attributeValue = value(member.value)
                default: continue
                }
            }
            if let key { result.append(Attribute(key, attributeValue)) }
        }
        return result
    }

    /// An `AnyValue` as message text: a string as itself, anything else as `AttributeValue.text`.
    package static func text(_ json: JSONValue) -> String {
        switch value(json) {
        case .string(let string): string
        case .null: ""
        case let other: other.text
        }
    }

    /// A span kind from its number (`2`) or its name (`SPAN_KIND_SERVER`, also bare `SERVER`).
    package static func spanKind(_ json: JSONValue) -> SpanKind {
        switch json {
        case .number(let literal): return Int(literal).flatMap(SpanKind.init(rawValue:)) ?? .unspecified
        case .string(let name):
            if let number = Int(name) { return SpanKind(rawValue: number) ?? .unspecified }
            return spanKind(named: name)
        default: return .unspecified
        }
    }

    /// A kind name in any case, with or without the `SPAN_KIND_` prefix (Jaeger and Zipkin write `server`, `SERVER`).
    package static func spanKind(named name: String) -> SpanKind {
        var name = name.uppercased()
        if name.hasPrefix("SPAN_KIND_") { name.removeFirst(10) }
        switch name {
        case "INTERNAL": return .internal
        case "SERVER": return .server
        case "CLIENT": return .client
        case "PRODUCER": return .producer
        case "CONSUMER": return .consumer
        default: return .unspecified
        }
    }

    /// A status code from its number (`2`) or its name (`STATUS_CODE_ERROR`).
    package static func statusCode(_ json: JSONValue) -> SpanStatus {
        switch json {
        case .number(let literal): return Int(literal).flatMap(SpanStatus.init(rawValue:)) ?? .unset
        case .string(let name):
            if let number = Int(name) { return SpanStatus(rawValue: number) ?? .unset }
            switch name.uppercased() {
            case "STATUS_CODE_OK", "OK": return .ok
            case "STATUS_CODE_ERROR", "ERROR": return .error
            default: return .unset
            }
        default: return .unset
        }
    }

    /// A severity number from its number (`13`) or its name (`SEVERITY_NUMBER_WARN`, `SEVERITY_NUMBER_WARN2`).
    package static func severityNumber(_ json: JSONValue) -> Int? {
        switch json {
        case .number(let literal): return Int(literal)
        case .string(let name):
            if let number = Int(name) { return number }
            var name = name.uppercased()
            if name.hasPrefix("SEVERITY_NUMBER_") { name.removeFirst(16) }
            var step = 0
            if let last = name.utf8.last, last >= UInt8(ascii: "2"), last <= UInt8(ascii: "4") {
                step = Int(last - UInt8(ascii: "1"))
                name.removeLast()
            }
            let base: Int
            switch name {
            case "TRACE": base = 1
            case "DEBUG": base = 5
            case "INFO": base = 9
            case "WARN": base = 13
            case "ERROR": base = 17
            case "FATAL": base = 21
            default: return nil
            }
            return base + step
        default: return nil
        }
    }

    /// A severity from the producer's text when no number was given (`WARN`, Python's `WARNING`, `Information`).
    package static func severity(text: String) -> LogSeverity {
        switch text.lowercased() {
        case "trace", "finest", "finer": .trace
        case "debug", "fine", "config": .debug
        case "info", "information", "informational", "notice": .info
        case "warn", "warning": .warn
        case "error", "err", "severe": .error
        case "fatal", "critical", "crit", "alert", "emergency", "panic": .fatal
        default: .unspecified
        }
    }

    /// A non-negative 64-bit nanosecond time from a string or number; nil when missing or out of range.
    package static func nanos(_ json: JSONValue?) -> Int64? {
        guard let json, let value = json.int64, value >= 0 else { return nil }
        return value
    }
}
