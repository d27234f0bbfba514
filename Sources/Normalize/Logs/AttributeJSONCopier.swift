import TraceJoinCore

/// Copies members of a JSON log line into the stored JSON form of attributes (``AttributeJSONText``) straight
/// from the line's bytes, so that a record's attributes are never made into `Attribute`s and encoded again.
///
/// It copies only what the list path (`AttributeConversion`, then `Store.AttributeJSON`) would write as the
/// same bytes, whitespace aside: keys and strings without escapes, control characters or invalid UTF-8, keys not
/// starting with `$` (the stored form's tags), integers of at most 12 digits written without a sign on zero or
/// leading zeros (13 digits and more are scanned as text by the scrubber), and doubles written as Swift spells
/// them. Anything else makes the copy fail, and the decoder makes the list as before. The line was already
/// checked to be valid JSON (`RawJSONScanner`), so only that form is checked here.
struct AttributeJSONCopier {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    let bytes: Buffer
    /// How deep the copied text may nest (the attributes' object is 1). Deeper values take the list path, so that
    /// the text always reads back (`JSONParser` stops at 512 levels; the line scanner does not count strings).
    static let maxDepth = 64
    private(set) var out: [UInt8] = []
    private var count = 0

    init(bytes: Buffer, capacity: Int) {
        self.bytes = bytes
        out.reserveCapacity(capacity + 2)
        out.append(UInt8(ascii: "{"))
    }

    /// The object written so far, closed; nil when no member was added.
    mutating func finish() -> AttributeJSONText? {
        guard count > 0 else { return nil }
        out.append(UInt8(ascii: "}"))
        return AttributeJSONText(trusting: out)
    }

    /// Adds a whole member; false when it is not in stored form (what was written is then meaningless).
    mutating func add(_ member: RawMember) -> Bool {
        // Most lines are compact: the member's bytes, `"key":value`, are then copied in one go.
        let start = member.keyStart - 1
        let end = member.kind == .string ? member.valueEnd + 1 : member.valueEnd
        if isStoredForm(start, end) {
            if count > 0 { out.append(UInt8(ascii: ",")) }
            count += 1
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            return true
        }
        guard key(member) else { return false }
        if member.kind == .string {
            guard !member.valueEscaped, plain(member.valueStart, member.valueEnd) else { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[member.valueStart..<member.valueEnd]))
            out.append(UInt8(ascii: "\""))
            return true
        }
        var index = member.valueStart
        return value(&index, member.valueEnd, depth: 1)
    }

    /// Whether `bytes[start..<end]` (one valid member, `"key":value`) is already stored form, as it is: no
    /// whitespace, no escape or control character in a string, no `$` key, numbers as `isStoredNumber` wants them,
    /// valid UTF-8.
    private func isStoredForm(_ start: Int, _ end: Int) -> Bool {
        var index = start
        var ascii = true
        var depth = 1
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let open = index
                index += 1
                while index < end {
                    let inner = bytes[index]
                    if inner == UInt8(ascii: "\"") { break }
                    if inner < 0x20 || inner == UInt8(ascii: "\\") { return false }
                    if inner >= 0x80 { ascii = false }
                    index += 1
                }
                index += 1
                // A key (a string followed by `:`) must not look like one of the stored form's tags.
                if index < end, bytes[index] == UInt8(ascii: ":"), open + 1 < index - 1,
                    bytes[open + 1] == UInt8(ascii: "$")
                {
                    return false
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard Self.isStoredNumber(numberLiteral(&index, end)) else { return false }
            case UInt8(ascii: "t"), UInt8(ascii: "n"): index += 4
            case UInt8(ascii: "f"): index += 5
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= Self.maxDepth else { return false }
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                index += 1
            default:
                return false  // whitespace
            }
        }
        return ascii || String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) != nil
    }

    /// Adds an object member with only some of its members (`add` adds them between the two calls).
    mutating func open(_ member: RawMember) -> (mark: Int, count: Int)? {
        let mark = (out.count, count)
        guard key(member) else { return nil }
        out.append(UInt8(ascii: "{"))
        count = 0
        return mark
    }

    /// Closes what `open` began; a member whose members were all left out is taken back out, as the list
    /// path leaves it out.
    mutating func close(_ mark: (mark: Int, count: Int)) {
        if count == 0 {
            out.removeSubrange(mark.mark...)
            count = mark.count
            return
        }
        out.append(UInt8(ascii: "}"))
        count = mark.count + 1
    }

    private mutating func key(_ member: RawMember) -> Bool {
        guard !member.keyEscaped, member.keyEnd == member.keyStart || bytes[member.keyStart] != UInt8(ascii: "$"),
            plain(member.keyStart, member.keyEnd)
        else { return false }
        if count > 0 { out.append(UInt8(ascii: ",")) }
        count += 1
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd]))
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        return true
    }

    /// String content that is stored as it is: no control character (no quote or backslash either, for a
    /// range known to have no escapes), and valid UTF-8.
    private func plain(_ start: Int, _ end: Int) -> Bool {
        var ascii = true
        for index in start..<end {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\\") { return false }
            if byte >= 0x80 { ascii = false }
        }
        return ascii || String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) != nil
    }

    @inline(__always)
    private func skipWhitespace(_ index: inout Int, _ end: Int) {
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    /// Copies the value at `index` (a nested one too) and moves past it.
    private mutating func value(_ index: inout Int, _ end: Int, depth: Int) -> Bool {
        skipWhitespace(&index, end)
        guard index < end else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let start = index + 1
            var close = start
            while close < end, bytes[close] != UInt8(ascii: "\"") { close += 1 }
            guard close < end, plain(start, close) else { return false }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index...close]))
            index = close + 1
            return true
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { return false }
            out.append(UInt8(ascii: "{"))
            index += 1
            skipWhitespace(&index, end)
            if index < end, bytes[index] == UInt8(ascii: "}") {
                out.append(UInt8(ascii: "}"))
                index += 1
                return true
            }
            while true {
                skipWhitespace(&index, end)
                guard index < end, bytes[index] == UInt8(ascii: "\""), index + 1 < end,
                    bytes[index + 1] != UInt8(ascii: "$")
                else { return false }
                guard value(&index, end, depth: depth) else { return false }  // the key, a plain string
                skipWhitespace(&index, end)
                guard index < end, bytes[index] == UInt8(ascii: ":") else { return false }
                out.append(UInt8(ascii: ":"))
                index += 1
                guard value(&index, end, depth: depth + 1),
                    let closed = separator(&index, end, closing: UInt8(ascii: "}"))
                else {
                    return false
                }
                if closed { return true }
            }
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { return false }
            out.append(UInt8(ascii: "["))
            index += 1
            skipWhitespace(&index, end)
            if index < end, bytes[index] == UInt8(ascii: "]") {
                out.append(UInt8(ascii: "]"))
                index += 1
                return true
            }
            while true {
                guard value(&index, end, depth: depth + 1),
                    let closed = separator(&index, end, closing: UInt8(ascii: "]"))
                else {
                    return false
                }
                if closed { return true }
            }
        case UInt8(ascii: "t"): return literal(&index, 4)
        case UInt8(ascii: "n"): return literal(&index, 4)
        case UInt8(ascii: "f"): return literal(&index, 5)
        default: return number(&index, end)
        }
    }

    /// After a member or element: copies `,` (false) or the closing byte (true); nil when it is neither.
    private mutating func separator(_ index: inout Int, _ end: Int, closing: UInt8) -> Bool? {
        skipWhitespace(&index, end)
        guard index < end else { return nil }
        let byte = bytes[index]
        guard byte == UInt8(ascii: ",") || byte == closing else { return nil }
        out.append(byte)
        index += 1
        return byte == closing
    }

    private mutating func literal(_ index: inout Int, _ length: Int) -> Bool {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
        index += length
        return true
    }

    /// Copies a number that is in stored form (see `isStoredNumber`).
    private mutating func number(_ index: inout Int, _ end: Int) -> Bool {
        let literal = numberLiteral(&index, end)
        guard Self.isStoredNumber(literal) else { return false }
        out.append(contentsOf: literal)
        return true
    }

    /// The number literal at `index` (digits and `.eE+-`, as `RawJSONScanner` takes them); moves past it.
    private func numberLiteral(_ index: inout Int, _ end: Int) -> Buffer {
        let start = index
        scan: while index < end {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"),
                UInt8(ascii: "E"), UInt8(ascii: "+"):
                index += 1
            default: break scan
            }
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    /// An integer of at most 12 digits as `String(Int64)` writes it, or a finite double as `String(Double)` does.
    private static func isStoredNumber(_ literal: Buffer) -> Bool {
        let fractional = literal.contains {
            $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "+")
        }
        if fractional {
            // Short literals make small strings (no allocation); a longer one is rarely written as Swift would.
            guard literal.count <= 24, let double = Double(String(decoding: literal, as: UTF8.self)), double.isFinite
            else { return false }
            return String(double).utf8.elementsEqual(literal)
        }
        let digits = literal.first == UInt8(ascii: "-") ? literal.dropFirst() : literal[...]
        guard let first = digits.first, digits.count <= 12, !digits.contains(UInt8(ascii: "-")) else { return false }
        // No leading zero, and no `-0`.
        return first != UInt8(ascii: "0") || (digits.count == 1 && literal.count == 1)
    }
}
