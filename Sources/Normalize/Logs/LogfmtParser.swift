import TraceJoinCore

/// Reads `key=value key2="quoted value"` lines (logrus' and slog's text formats, go-kit, Heroku).
///
/// A line counts as logfmt only when every token is a `key=value` pair, there are at least two,
/// and one of the keys is a usual record key (`level`, `lvl`, `msg`, `message`, `time`, `ts`,
/// `severity`). Plain text such as `user=42 logged in` stays plain text.
enum LogfmtParser {
    /// The pairs of a logfmt line as string members, or nil when the line is not logfmt.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> [(key: String, value: JSONValue)]?
    {
        // Cheap rejections before any allocation: the first token must be `word=`.
        var probe = start
        while probe < end, isKeyByte(bytes[probe]) { probe += 1 }
        guard probe > start, probe < end, bytes[probe] == UInt8(ascii: "=") else { return nil }

        var members: [(key: String, value: JSONValue)] = []
        var sawRecordKey = false
        var scratch: [UInt8] = []
        var index = start
        while true {
            index = LogBytes.skipSpaces(bytes, from: index, to: end)
            guard index < end else { break }
            let keyStart = index
            while index < end, isKeyByte(bytes[index]) { index += 1 }
            guard index > keyStart, index < end, bytes[index] == UInt8(ascii: "=") else { return nil }
            let keyEnd = index
            index += 1
            let value: String
            if index < end, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                scratch.removeAll(keepingCapacity: true)
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        closed = true
                        index += 1
                        break
                    }
                    if byte == UInt8(ascii: "\\"), index + 1 < end {
                        let escaped = bytes[index + 1]
                        switch escaped {
                        case UInt8(ascii: "n"): scratch.append(0x0A)
                        case UInt8(ascii: "t"): scratch.append(0x09)
                        case UInt8(ascii: "r"): scratch.append(0x0D)
                        default: scratch.append(escaped)
                        }
                        index += 2
                        continue
                    }
                    scratch.append(byte)
                    index += 1
                }
                guard closed, index >= end || LogBytes.isSpace(bytes[index]) else { return nil }
                value = String(decoding: scratch, as: UTF8.self)
            } else {
                let valueStart = index
                while index < end, !LogBytes.isSpace(bytes[index]) { index += 1 }
                value = LogBytes.string(bytes, valueStart..<index)
            }
            let key = LogBytes.string(bytes, keyStart..<keyEnd)
            if !sawRecordKey { sawRecordKey = isRecordKey(key) }
            members.append((key, .string(value)))
        }
        guard members.count >= 2, sawRecordKey else { return nil }
        return members
    }

    @inline(__always)
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        LogBytes.isWordByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/")
    }

    private static func isRecordKey(_ key: String) -> Bool {
        switch key {
        case "level", "lvl", "msg", "message", "time", "ts", "severity", "timestamp": true
        default: false
        }
    }
}
