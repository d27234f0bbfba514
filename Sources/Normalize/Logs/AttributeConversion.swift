import TraceJoinCore

/// Member values as attribute values: integers stay integers, objects become key-value lists.
enum AttributeConversion {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    static func key(_ bytes: Buffer, _ member: RawMember) -> String {
        RawJSONScanner.string(bytes, member.keyStart, member.keyEnd, escaped: member.keyEscaped)
    }

    static func value(_ bytes: Buffer, _ member: RawMember) -> AttributeValue {
        let start = member.valueStart
        let end = member.valueEnd
        switch member.kind {
        case .string: return .string(RawJSONScanner.string(bytes, start, end, escaped: member.valueEscaped))
        case .bool: return .bool(bytes[start] == UInt8(ascii: "t"))
        case .null: return .null
        case .number: return number(bytes, start, end)
        case .object:
            var nested: [RawMember] = []
            guard RawJSONScanner.scanObject(bytes, start, end, into: &nested) else { return .null }
            return .keyValueList(nested.map { Attribute(key(bytes, $0), value(bytes, $0)) })
        case .array:
            guard let parsed = try? JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[start..<end])) else {
                return .null
            }
            return value(parsed)
        }
    }

    /// An integer when the literal is one that fits 64 bits; a double when it has a fraction or
    /// exponent; otherwise (an integer beyond 64 bits, as Datadog IDs written as numbers) its digits.
    private static func number(_ bytes: Buffer, _ start: Int, _ end: Int) -> AttributeValue {
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var magnitude: UInt64 = 0
        var integral = index < end
        while index < end {
            let byte = bytes[index]
            guard LogBytes.isDigit(byte) else {
                integral = false
                break
            }
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte &- 0x30))
            if overflow1 || overflow2 {
                integral = false
                break
            }
            magnitude = sum
            index += 1
        }
        if integral {
            if !negative, magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
            if negative, magnitude <= UInt64(Int64.max) + 1 { return .int(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)) }
        }
        let text = LogBytes.string(bytes, start..<end)
        if bytes[start..<end].contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
            let double = Double(text)
        {
            return .double(double)
        }
        return .string(text)
    }

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
            return .string(literal)
        case .array(let elements): return .array(elements.map(value))
        case .object(let object): return .keyValueList(object.members.map { Attribute($0.key, value($0.value)) })
        }
    }
}
