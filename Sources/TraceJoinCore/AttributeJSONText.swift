/// Attributes held as the JSON object text the store keeps them as (`Store.AttributeJSON`'s form), when the
/// decoder could copy them from the input as they arrived: compact, strings without escapes or control
/// characters, integers of at most 12 digits and doubles written as Swift spells them, no `$` keys. A record that
/// carries its attributes this way is not turned into an `[Attribute]` list unless something asks for one
/// (``attributes``): the scrubber reads the text in place and the writer stores it as it is.
package struct AttributeJSONText: Sendable, Equatable {
    /// The object's text, `{` to `}`, with at least one member.
    package private(set) var bytes: [UInt8]

    /// Trusts `bytes` to be in the stored form described above (the decoder's copier checks it).
    package init(trusting bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The attributes the text stands for, as a list. The decoder's copier keeps the text within 64 levels of
    /// nesting, so it always reads back (`JSONParser` stops at 512); text it could not read would give none.
    package var attributes: [Attribute] {
        guard let json = try? JSONParser.parse(bytes), let object = json.object else { return [] }
        return Self.attributes(object)
    }

    /// Adds an attribute at the end when its key and value need no escaping and its value is a string or a bool;
    /// false (and nothing added) otherwise.
    package mutating func append(_ attribute: Attribute) -> Bool {
        guard JSONBuffer.needsNoEscapes(attribute.key.utf8), !attribute.key.hasPrefix("$") else { return false }
        var value: [UInt8]
        switch attribute.value {
        case .bool(let flag): value = Array((flag ? "true" : "false").utf8)
        case .string(let text):
            guard JSONBuffer.needsNoEscapes(text.utf8) else { return false }
            value = [UInt8(ascii: "\"")] + Array(text.utf8) + [UInt8(ascii: "\"")]
        default: return false
        }
        bytes.removeLast()  // the closing brace
        bytes.append(contentsOf: Array(",\"".utf8))
        bytes.append(contentsOf: attribute.key.utf8)
        bytes.append(contentsOf: Array("\":".utf8))
        bytes.append(contentsOf: value)
        bytes.append(UInt8(ascii: "}"))
        return true
    }

    // MARK: - The stored form read back

    /// The attributes of a stored JSON object. Bytes, NaN and infinities, and a list whose only key is one of
    /// the tags come back from their tagged forms (`{"$bytes": …}`, `{"$double": …}`, `{"$kvlist": …}`).
    package static func attributes(_ object: JSONObject) -> [Attribute] {
        object.members.map { Attribute($0.key, value($0.value)) }
    }

    package static func value(_ json: JSONValue) -> AttributeValue {
        switch json {
        case .null: return .null
        case .bool(let bool): return .bool(bool)
        case .number(let literal):
            if let int = Int64(literal) { return .int(int) }
            if let double = Double(literal) { return .double(double) }
            return .string(literal)
        case .string(let string): return .string(string)
        case .array(let values): return .array(values.map(value))
        case .object(let object):
            if object.members.count == 1 {
                let member = object.members[0]
                switch (member.key, member.value) {
                case ("$bytes", .string(let text)): return .bytes(Base64.decode(text) ?? [])
                case ("$double", .string(let text)): return .double(Double(text) ?? .nan)
                case ("$kvlist", .object(let inner)): return .keyValueList(attributes(inner))
                default: break
                }
            }
            return .keyValueList(attributes(object))
        }
    }
}
