#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

import TraceJoinCore

/// The kind of a JSON value found by `RawJSONScanner`.
enum RawValueKind: UInt8 {
    case string, number, bool, null, object, array
}

/// One member of a JSON object (or a logfmt pair) as byte ranges into its line.
///
/// Strings are not built while scanning: the field mapper reads IDs, times and levels straight
/// from the bytes, and creates `String`s only for what a record keeps.
struct RawMember {
    var keyStart: Int
    var keyEnd: Int
    var keyEscaped: Bool
    var kind: RawValueKind
    /// For a string, the bytes between the quotes; otherwise the whole literal or container.
    var valueStart: Int
    var valueEnd: Int
    var valueEscaped: Bool
}

/// A validating scanner for one JSON object per line, producing `RawMember`s instead of a tree.
///
/// It accepts exactly what `TraceJoinCore.JSONParser` accepts (same whitespace, escapes, number
/// and literal rules, depth limit), so a line is a record or a reject whichever is used; on a
/// failure the decoder asks `JSONParser` for the reason it reports.
enum RawJSONScanner {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    /// The members of the object that fills `bytes[start..<end]` (whitespace around it allowed);
    /// false when the text is not one valid JSON object.
    static func scanObject(_ bytes: Buffer, _ start: Int, _ end: Int, into members: inout [RawMember]) -> Bool {
        members.removeAll(keepingCapacity: true)
        // A nested object is scanned into a new array: room for a typical object at once, not by doubling
        // from one member (four allocations for eight members).
        members.reserveCapacity(16)
        var index = skipWhitespace(bytes, start, end)
        guard index < end, bytes[index] == UInt8(ascii: "{") else { return false }
        guard scanMembers(bytes, &index, end, depth: 0, into: &members) else { return false }
        return skipWhitespace(bytes, index, end) == end
    }

    @inline(__always)
    private static func skipWhitespace(_ bytes: Buffer, _ from: Int, _ end: Int) -> Int {
        var index = from
        while index < end {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return index
            }
        }
        return index
    }

    /// At `{`: reads the members (recording them when `members` is given) and moves past `}`.
    private static func scanMembers(
        _ bytes: Buffer, _ index: inout Int, _ end: Int, depth: Int, into members: inout [RawMember]
    ) -> Bool {
        index += 1
        index = skipWhitespace(bytes, index, end)
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            index = skipWhitespace(bytes, index, end)
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { return false }
            let keyStart = index + 1
            guard let keyEscaped = skipString(bytes, &index, end) else { return false }
            let keyEnd = index - 1
            index = skipWhitespace(bytes, index, end)
            guard index < end, bytes[index] == UInt8(ascii: ":") else { return false }
            index = skipWhitespace(bytes, index + 1, end)
            guard index < end else { return false }
            let valueStart = index
            var valueEscaped = false
            let kind: RawValueKind
            if bytes[index] == UInt8(ascii: "\"") {
                guard let escaped = skipString(bytes, &index, end) else { return false }
                valueEscaped = escaped
                kind = .string
            } else {
                guard let skipped = skipValue(bytes, &index, end, depth: depth + 1) else { return false }
                kind = skipped
            }
            if depth == 0 {
                let isString = kind == .string
                members.append(
                    RawMember(
                        keyStart: keyStart, keyEnd: keyEnd, keyEscaped: keyEscaped, kind: kind,
                        valueStart: isString ? valueStart + 1 : valueStart, valueEnd: isString ? index - 1 : index,
                        valueEscaped: valueEscaped))
            }
            index = skipWhitespace(bytes, index, end)
            guard index < end else { return false }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return true
            }
            return false
        }
    }

    /// Skips any value at `index`; its kind, or nil when invalid.
    private static func skipValue(_ bytes: Buffer, _ index: inout Int, _ end: Int, depth: Int) -> RawValueKind? {
        guard depth < JSONParser.maxDepth, index < end else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var ignored: [RawMember] = []
            return scanMembers(bytes, &index, end, depth: depth, into: &ignored) ? .object : nil
        case UInt8(ascii: "["):
            index = skipWhitespace(bytes, index + 1, end)
            if index < end, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array
            }
            while true {
                index = skipWhitespace(bytes, index, end)
                guard skipValue(bytes, &index, end, depth: depth + 1) != nil else { return nil }
                index = skipWhitespace(bytes, index, end)
                guard index < end else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array
                }
                return nil
            }
        case UInt8(ascii: "\""):
            return skipString(bytes, &index, end) != nil ? .string : nil
        case UInt8(ascii: "t"): return literal(bytes, &index, end, "true") ? .bool : nil
        case UInt8(ascii: "f"): return literal(bytes, &index, end, "false") ? .bool : nil
        case UInt8(ascii: "n"): return literal(bytes, &index, end, "null") ? .null : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // As JSONParser: an optional sign, then digits and `.eE+-` in any order, at least one digit.
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            var sawDigit = false
            while index < end {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): break
                default: return sawDigit ? .number : nil
                }
                index += 1
            }
            return sawDigit ? .number : nil
        default:
            return nil
        }
    }

    @inline(__always)
    private static func literal(_ bytes: Buffer, _ index: inout Int, _ end: Int, _ text: StaticString) -> Bool {
        guard LogBytes.hasPrefix(bytes, at: index, to: end, text) else { return false }
        index += text.utf8CodeUnitCount
        return true
    }

    /// At `"`: moves past the closing quote; whether the string had escapes, or nil when invalid.
    @inline(__always)
    private static func skipString(_ bytes: Buffer, _ index: inout Int, _ end: Int) -> Bool? {
        index += 1
        // Fast path: memchr to the next quote; no backslash before it means no escapes.
        if index < end, let base = bytes.baseAddress,
            let quote = memchr(base + index, Int32(UInt8(ascii: "\"")), end - index)
        {
            let quoteIndex = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(quote))
            if memchr(base + index, Int32(UInt8(ascii: "\\")), quoteIndex - index) == nil {
                index = quoteIndex + 1
                return false
            }
        }
        var escaped = false
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return escaped
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard index + 1 < end else { return nil }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < end, LogBytes.hex64(bytes, index + 2, 4) != nil else { return nil }
                    index += 6
                default:
                    return nil
                }
                continue
            }
            index += 1
        }
        return nil
    }

    // MARK: - Decoding

    /// The text of a string range: straight from the bytes, or unescaped as JSONParser does
    /// (surrogate pairs joined, a lone surrogate as U+FFFD). Unknown escapes (logfmt) keep their byte.
    static func string(_ bytes: Buffer, _ start: Int, _ end: Int, escaped: Bool) -> String {
        guard escaped else { return LogBytes.string(bytes, start..<end) }
        var scratch: [UInt8] = []
        unescape(bytes, start, end, into: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Appends the unescaped bytes of a string range to `output`.
    static func unescape(_ bytes: Buffer, _ start: Int, _ end: Int, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + end - start)
        var index = start
        while index < end {
            // Copy the run up to the next backslash in one go.
            var runEnd = index
            while runEnd < end, bytes[runEnd] != UInt8(ascii: "\\") { runEnd += 1 }
            if runEnd > index {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<runEnd]))
                index = runEnd
                continue
            }
            guard index + 1 < end else {
                output.append(bytes[index])
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let high = LogBytes.hex64(bytes, index, 4) else {
                    output.append(escaped)
                    continue
                }
                index += 4
                var scalar = UInt32(high)
                if (0xD800...0xDBFF).contains(scalar), index + 5 < end, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u"), let low = LogBytes.hex64(bytes, index + 2, 4)
                {
                    index += 6
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    } else {
                        appendScalar(0xFFFD, to: &output)
                        scalar = UInt32(low)
                    }
                }
                appendScalar(scalar, to: &output)
            default: output.append(escaped)
            }
        }
    }

    private static func appendScalar(_ value: UInt32, to output: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        output.append(contentsOf: UTF8.encode(scalar)!)
    }
}
