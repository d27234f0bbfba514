import TraceJoinCore

/// What a JSON answer may look like, as an upstream project defines it: the member names an object may have (no
/// others: Grafana's Tempo decoder rejects unknown fields) and must have, and the JSON type of each value.
indirect enum JSONShape: Sendable {
    case string
    /// A string of decimal digits, perhaps after a minus sign: a 64-bit integer in the proto3 JSON mapping.
    case decimalString
    /// A string of hexadecimal digits of this length (trace and span IDs).
    case hex(length: Int)
    /// One of these strings.
    case oneOf(Set<String>)
    case number
    case bool
    /// Any JSON value (an attribute value, whose own shape is checked by the other half of the contract).
    case any
    case array(JSONShape)
    /// An object with only these members, of which `required` must be present.
    case object([String: JSONShape], required: Set<String> = [])
    /// An object whose member names are data (Jaeger's `processes`), each value of the shape.
    case map(JSONShape)
    case nullable(JSONShape)

    /// An object whose members are all required.
    static func all(_ members: [String: JSONShape]) -> JSONShape { .object(members, required: Set(members.keys)) }

    /// Where `value` departs from the shape, as `path: what`; empty when it conforms.
    func violations(of value: JSONValue, at path: String = "$") -> [String] {
        switch (self, value) {
        case (.any, _):
            return []
        case (.nullable, .null):
            return []
        case (.nullable(let shape), _):
            return shape.violations(of: value, at: path)
        case (.string, .string):
            return []
        case (.decimalString, .string(let text)):
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit) ? [] : ["\(path): \"\(text)\" is not decimal digits"]
        case (.hex(let length), .string(let text)):
            return text.count == length && text.allSatisfy(\.isHexDigit)
                ? [] : ["\(path): \"\(text)\" is not \(length) hex digits"]
        case (.oneOf(let allowed), .string(let text)):
            return allowed.contains(text) ? [] : ["\(path): \"\(text)\" is none of \(allowed.sorted())"]
        case (.number, .number), (.bool, .bool):
            return []
        case (.array(let element), .array(let items)):
            return items.enumerated().flatMap { element.violations(of: $1, at: "\(path)[\($0)]") }
        case (.object(let members, let required), .object(let object)):
            var found: [String] = []
            let present = Set(object.members.map(\.key))
            for name in required.subtracting(present).sorted() { found.append("\(path): no member \"\(name)\"") }
            for (key, member) in object.members {
                guard let shape = members[key] else {
                    found.append("\(path): unknown member \"\(key)\"")
                    continue
                }
                found += shape.violations(of: member, at: "\(path).\(key)")
            }
            return found
        case (.map(let shape), .object(let object)):
            return object.members.flatMap { shape.violations(of: $0.value, at: "\(path).\($0.key)") }
        default:
            return ["\(path): \(value.kindName) where \(self.kindName) belongs"]
        }
    }

    private var kindName: String {
        switch self {
        case .string, .oneOf: "a string"
        case .decimalString: "a decimal string"
        case .hex: "a hex string"
        case .number: "a number"
        case .bool: "a boolean"
        case .any: "anything"
        case .array: "an array"
        case .object, .map: "an object"
        case .nullable(let shape): shape.kindName + " or null"
        }
    }
}

extension JSONValue {
    fileprivate var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
