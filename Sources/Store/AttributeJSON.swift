import TraceJoinCore

/// Attributes as stored in `attributes`, `links` and `resources` columns: a plain JSON object,
/// readable with SQLite's `json_extract`, that reads back as the same `AttributeValue` kinds.
///
/// Plain JSON loses three distinctions, so those values are tagged:
/// bytes as `{"$bytes": "<base64>"}`, NaN and infinities as `{"$double": "nan"}`, and a key-value
/// list whose only key is one of these tags as `{"$kvlist": {…}}`. Finite doubles are always written
/// with a fraction or exponent (`3.0`), so they do not come back as integers.
enum AttributeJSON {
    /// The attributes as JSON bytes; nil for none, which the store keeps as NULL.
    static func encode(_ attributes: [Attribute]) -> [UInt8]? {
        var buffer = JSONBuffer()
        return encode(attributes, into: &buffer) ? buffer.bytes : nil
    }

    /// Writes the attributes into a reused buffer (cleared first); false for none.
    static func encode(_ attributes: [Attribute], into buffer: inout JSONBuffer) -> Bool {
        buffer.bytes.removeAll(keepingCapacity: true)
        if attributes.isEmpty { return false }
        write(attributes, to: &buffer)
        return true
    }

    static func write(_ attributes: [Attribute], to buffer: inout JSONBuffer) {
        buffer.byte(UInt8(ascii: "{"))
        // Through the buffer, so each attribute is borrowed rather than copied (a retain and release per field).
        attributes.withUnsafeBufferPointer { attributes in
            for index in attributes.indices {
                if index > 0 { buffer.byte(UInt8(ascii: ",")) }
                buffer.string(attributes[index].key)
                buffer.byte(UInt8(ascii: ":"))
                write(attributes[index].value, to: &buffer)
            }
        }
        buffer.byte(UInt8(ascii: "}"))
    }

    private static let tags: Set<String> = ["$bytes", "$double", "$kvlist"]

    static func write(_ value: AttributeValue, to buffer: inout JSONBuffer) {
        switch value {
        case .string(let string): buffer.string(string)
        case .bool(let bool): buffer.raw(bool ? "true" : "false")
        case .int(let int): buffer.integer(int)
        case .double(let double):
            if double.isFinite {
                buffer.raw(String(double))  // "3.0", "1e+300": never read back as an integer
            } else {
                buffer.raw("{\"$double\":")
                buffer.string(double.isNaN ? "nan" : (double > 0 ? "inf" : "-inf"))
                buffer.byte(UInt8(ascii: "}"))
            }
        case .bytes(let bytes):
            buffer.raw("{\"$bytes\":")
            buffer.string(Base64.encode(bytes))
            buffer.byte(UInt8(ascii: "}"))
        case .null: buffer.raw("null")
        case .array(let values):
            buffer.byte(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { buffer.byte(UInt8(ascii: ",")) }
                write(element, to: &buffer)
            }
            buffer.byte(UInt8(ascii: "]"))
        case .keyValueList(let attributes):
            if attributes.count == 1, tags.contains(attributes[0].key) {
                buffer.raw("{\"$kvlist\":")
                write(attributes, to: &buffer)
                buffer.byte(UInt8(ascii: "}"))
            } else {
                write(attributes, to: &buffer)
            }
        }
    }

    /// Attributes read back from a column; NULL or unreadable text gives none.
    static func decode(_ text: String?) -> [Attribute] {
        guard let text, let json = try? JSONParser.parse(text), let object = json.object else { return [] }
        return AttributeJSONText.attributes(object)
    }

    // MARK: - Links

    /// Span links as a JSON array of `{traceId, spanId, kind, attributes}`; nil for none.
    static func encode(_ links: [SpanLink]) -> [UInt8]? {
        var buffer = JSONBuffer()
        return encode(links, into: &buffer) ? buffer.bytes : nil
    }

    /// Writes the links into a reused buffer (cleared first); false for none.
    static func encode(_ links: [SpanLink], into buffer: inout JSONBuffer) -> Bool {
        buffer.bytes.removeAll(keepingCapacity: true)
        if links.isEmpty { return false }
        buffer.byte(UInt8(ascii: "["))
        for (index, link) in links.enumerated() {
            if index > 0 { buffer.byte(UInt8(ascii: ",")) }
            buffer.raw("{\"traceId\":")
            buffer.string(link.traceID.hex)
            buffer.raw(",\"spanId\":")
            buffer.string(link.spanID.hex)
            buffer.raw(",\"kind\":")
            buffer.string(link.kind)
            buffer.raw(",\"attributes\":")
            write(link.attributes, to: &buffer)
            buffer.byte(UInt8(ascii: "}"))
        }
        buffer.byte(UInt8(ascii: "]"))
        return true
    }

    static func decodeLinks(_ text: String?) -> [SpanLink] {
        guard let text, let json = try? JSONParser.parse(text), let array = json.array else { return [] }
        return array.compactMap { element in
            guard let traceHex = element["traceId"]?.string, let traceID = TraceID(hex: traceHex),
                let spanHex = element["spanId"]?.string, let spanID = SpanID(hex: spanHex)
            else { return nil }
            let attributes = element["attributes"]?.object.map(AttributeJSONText.attributes) ?? []
            return SpanLink(
                traceID: traceID, spanID: spanID, kind: element["kind"]?.string ?? "link", attributes: attributes)
        }
    }
}
