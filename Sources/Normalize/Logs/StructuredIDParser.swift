import TraceJoinCore

/// Reads trace-context values from JSON/logfmt fields.
enum StructuredIDParser {
    enum Outcome<Value> {
        case value(Value)
        /// An all-zero ID or `0`: the producer logged outside a span.
        case none
        case invalid
    }

    /// 1 to 32 hex digits (OTel writes 32; Jaeger-era producers 16; some drop leading zeros).
    static func traceHex(_ value: JSONValue) -> Outcome<TraceReference> {
        guard case .string(var text) = value else {
            if case .number(let literal) = value, literal == "0" { return .none }
            return .invalid
        }
        return text.withUTF8 { bytes in
            guard let id = LogBytes.hex128(bytes, 0, bytes.count) else { return .invalid }
            return id.isZero ? .none : .value(.full(id))
        }
    }

    /// Datadog's `dd.trace_id`: the lower 64 bits in decimal (string or number); 32 hex is accepted too.
    static func traceDecimal(_ value: JSONValue) -> Outcome<TraceReference> {
        switch decimal(value) {
        case .value(let low): return .value(.lower64(low))
        case .none: return .none
        case .invalid:
            guard case .string(var text) = value, text.utf8.count == 32 else { return .invalid }
            return text.withUTF8 { bytes in
                guard let id = LogBytes.hex128(bytes, 0, 32) else { return .invalid }
                return id.isZero ? .none : .value(.full(id))
            }
        }
    }

    static func spanHex(_ value: JSONValue) -> Outcome<SpanID> {
        guard case .string(var text) = value else {
            if case .number(let literal) = value, literal == "0" { return .none }
            return .invalid
        }
        return text.withUTF8 { bytes in
            guard let id = LogBytes.hex64(bytes, 0, bytes.count) else { return .invalid }
            return id == 0 ? .none : .value(SpanID(id))
        }
    }

    static func spanDecimal(_ value: JSONValue) -> Outcome<SpanID> {
        switch decimal(value) {
        case .value(let id): .value(SpanID(id))
        case .none: .none
        case .invalid: .invalid
        }
    }

    /// Up to 20 decimal digits that fit 64 bits, as a string or a number literal.
    private static func decimal(_ value: JSONValue) -> Outcome<UInt64> {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let literal): text = literal
        default: return .invalid
        }
        guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy(LogBytes.isDigit), let parsed = UInt64(text)
        else { return .invalid }
        return parsed == 0 ? .none : .value(parsed)
    }

    static func traceparent(_ text: String) -> (TraceID, SpanID?, Bool)? {
        var text = text
        return text.withUTF8 { bytes in
            let end = LogBytes.trimmedEnd(bytes, from: 0, to: bytes.count)
            guard end == 55 else { return nil }
            return TraceContextScanner.parseTraceparent(bytes, 0, end)
        }
    }

    /// W3C trace flags as hex text (`"01"`) or a number.
    static func flags(_ value: JSONValue) -> UInt64? {
        switch value {
        case .string(var text): text.withUTF8 { bytes in LogBytes.hex64(bytes, 0, bytes.count) }
        case .number(let literal): UInt64(literal)
        default: nil
        }
    }

    /// `true`/`false` as JSON, or `"True"`/`"false"`/`"1"`/`"0"` as Python and logfmt write them.
    static func bool(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): flag
        case .number(let literal): literal == "1" ? true : literal == "0" ? false : nil
        case .string(let text):
            switch text {
            case "true", "True", "TRUE", "1": true
            case "false", "False", "FALSE", "0": false
            default: nil
            }
        default: nil
        }
    }
}

/// JSON values as attribute values: integers stay integers, objects become key-value lists.
enum AttributeConversion {
    static func value(_ json: JSONValue) -> AttributeValue {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let literal):
            if let int = Int64(literal) { return .int(int) }
            if literal.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
                let double = Double(literal)
            {
                return .double(double)
            }
            return .string(literal)  // an integer beyond 64 bits (Datadog IDs as numbers): keep its digits
        case .array(let elements): return .array(elements.map(value))
        case .object(let object): return .keyValueList(object.members.map { Attribute($0.key, value($0.value)) })
        }
    }
}
