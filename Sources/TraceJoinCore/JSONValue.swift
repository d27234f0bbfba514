/// A parsed JSON value. Object members keep their order and duplicates, as the input had them.
///
/// Numbers keep their literal text so that 64-bit IDs and nanosecond times survive exactly
/// (protobuf-JSON writes them as strings or numbers, and Datadog IDs exceed `Int64.max`).
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member with this key, when this is an object.
    package subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    package var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    package var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The string, or nil for any other kind.
    package var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// A string, or a number or bool written as text.
    package var text: String? {
        switch self {
        case .string(let string): string
        case .number(let literal): literal
        case .bool(let bool): bool ? "true" : "false"
        default: nil
        }
    }

    /// An integer from a number or a numeric string (protobuf-JSON writes int64 as strings).
    package var int64: Int64? {
        switch self {
        case .number(let literal), .string(let literal):
            if let value = Int64(literal) { return value }
            if let double = Double(literal), double.isFinite, double.rounded() == double,
                double >= -9.2e18, double <= 9.2e18
            {
                return Int64(double)
            }
            return nil
        case .bool(let bool): return bool ? 1 : 0
        default: return nil
        }
    }

    /// An unsigned integer from a number or a numeric string.
    package var uint64: UInt64? {
        switch self {
        case .number(let literal), .string(let literal): UInt64(literal)
        default: nil
        }
    }

    package var double: Double? {
        switch self {
        case .number(let literal), .string(let literal): Double(literal)
        default: nil
        }
    }

    /// A bool from `true`/`false` or the strings `"true"`/`"false"` in any case.
    package var bool: Bool? {
        switch self {
        case .bool(let bool): bool
        case .string(let string):
            switch string.lowercased() {
            case "true": true
            case "false": false
            default: nil
            }
        default: nil
        }
    }
}

/// A JSON object's members in input order.
package struct JSONObject: Sendable, Equatable {
    package var members: [(key: String, value: JSONValue)]

    package init(members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    /// The first member with this key.
    package subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// The first of several spellings present (`traceId`, `trace_id`).
    package func first(_ keys: String...) -> JSONValue? {
        for key in keys { if let value = self[key] { return value } }
        return nil
    }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
