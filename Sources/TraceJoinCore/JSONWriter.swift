/// Builds compact JSON text, for attributes stored in the database and for `--format json` output.
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A JSON string literal with the required escapes, and with the characters a terminal would act on escaped
    /// too (DEL, C1 controls, bidi embeddings, overrides and isolates, as `TerminalText` lists them): JSON output
    /// is read on terminals (`show --format json`, `curl`), and `\u009b` parses back to the same string.
    package mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: Self.mayNeedEscape) {
            bytes.append(contentsOf: text.utf8)
        } else {
            for scalar in text.unicodeScalars {
                switch scalar.value {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: escape(scalar.value)
                default: UTF8.encode(scalar) { bytes.append($0) }
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A byte that is, or starts, a character `string(_:)` escapes: most text has none and is copied as it is.
    private static func mayNeedEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2 || byte == 0xE2
    }

    /// `\u` and the four hex digits of `value`.
    private mutating func escape(_ value: UInt32) {
        bytes.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in [12, 8, 4, 0] as [UInt32] { bytes.append(Self.hex[Int((value >> shift) & 0xF)]) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// An array of strings.
    package mutating func write(strings: [String]) {
        array(strings) { $0.string($1) }
    }

    /// A JSON array of `elements`, each written by `element`, commas between them.
    package mutating func array<Elements: Sequence>(
        _ elements: Elements, _ element: (inout JSONWriter, Elements.Element) -> Void
    ) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A string, or `null` when there is none.
    package mutating func string(orNull text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// Doubles as JSON numbers; NaN and infinities (not JSON) as strings.
    package static func format(_ value: Double) -> String {
        if !value.isFinite { return value.isNaN ? "\"NaN\"" : (value > 0 ? "\"Infinity\"" : "\"-Infinity\"") }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    package mutating func write(_ value: AttributeValue) {
        switch value {
        case .string(let string): self.string(string)
        case .bool(let bool): raw(bool ? "true" : "false")
        case .int(let int): raw(String(int))
        case .double(let double): raw(Self.format(double))
        case .bytes(let data): self.string(Base64.encode(data))
        case .null: raw("null")
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .keyValueList(let attributes): write(attributes)
        }
    }

    /// Attributes as one JSON object, keys in order.
    package mutating func write(_ attributes: [Attribute]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, attribute) in attributes.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(attribute.key)
            bytes.append(UInt8(ascii: ":"))
            write(attribute.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    package mutating func write(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let bool): raw(bool ? "true" : "false")
        case .number(let literal): raw(literal)
        case .string(let string): self.string(string)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

extension AttributeValue {
    /// A JSON value as an attribute value: integers stay integers, objects become key-value lists.
    package init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .number(let literal):
            if let int = Int64(literal) {
                self = .int(int)
            } else if let double = Double(literal) {
                self = .double(double)
            } else {
                self = .string(literal)
            }
        case .string(let string): self = .string(string)
        case .array(let values): self = .array(values.map(AttributeValue.init(json:)))
        case .object(let object):
            self = .keyValueList(object.members.map { Attribute($0.key, AttributeValue(json: $0.value)) })
        }
    }
}
