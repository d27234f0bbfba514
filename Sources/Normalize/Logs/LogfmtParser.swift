/// Reads `key=value key2="quoted value"` lines (logrus' and slog's text formats, go-kit, Heroku).
///
/// A line counts as logfmt only when every token is a `key=value` pair, there are at least two,
/// and one of the keys is a usual record key (`level`, `lvl`, `msg`, `message`, `time`, `ts`,
/// `severity`). Plain text such as `user=42 logged in` stays plain text.
enum LogfmtParser {
    /// The pairs of a logfmt line as members (every value a string), or nil when the line is not logfmt.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> [RawMember]? {
        // Cheap rejection before any allocation: the first token must be `word=`.
        var probe = start
        while probe < end, isKeyByte(bytes[probe]) { probe += 1 }
        guard probe > start, probe < end, bytes[probe] == UInt8(ascii: "=") else { return nil }

        var members: [RawMember] = []
        var sawRecordKey = false
        var index = start
        while true {
            index = LogBytes.skipSpaces(bytes, from: index, to: end)
            guard index < end else { break }
            let keyStart = index
            while index < end, isKeyByte(bytes[index]) { index += 1 }
            guard index > keyStart, index < end, bytes[index] == UInt8(ascii: "=") else { return nil }
            let keyEnd = index
            index += 1
            var member = RawMember(
                keyStart: keyStart, keyEnd: keyEnd, keyEscaped: false, kind: .string, valueStart: index,
                valueEnd: index, valueEscaped: false)
            if index < end, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                member.valueStart = index
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\\"), index + 1 < end {
                        member.valueEscaped = true
                        index += 2
                        continue
                    }
                    index += 1
                }
                guard closed else { return nil }
                member.valueEnd = index
                index += 1
                guard index >= end || LogBytes.isSpace(bytes[index]) else { return nil }
            } else {
                while index < end, !LogBytes.isSpace(bytes[index]) { index += 1 }
                member.valueEnd = index
            }
            if !sawRecordKey { sawRecordKey = isRecordKey(bytes, keyStart, keyEnd) }
            members.append(member)
        }
        guard members.count >= 2, sawRecordKey else { return nil }
        return members
    }

    @inline(__always)
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        LogBytes.isWordByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/")
    }

    private static func isRecordKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        switch end - start {
        case 2: LogBytes.hasPrefix(bytes, at: start, to: end, "ts")
        case 3: LogBytes.hasPrefix(bytes, at: start, to: end, "lvl") || LogBytes.hasPrefix(bytes, at: start, to: end, "msg")
        case 4: LogBytes.hasPrefix(bytes, at: start, to: end, "time")
        case 5: LogBytes.hasPrefix(bytes, at: start, to: end, "level")
        case 7: LogBytes.hasPrefix(bytes, at: start, to: end, "message")
        case 8: LogBytes.hasPrefix(bytes, at: start, to: end, "severity")
        case 9: LogBytes.hasPrefix(bytes, at: start, to: end, "timestamp")
        default: false
        }
    }
}
