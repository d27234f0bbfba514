import TraceJoinCore

/// The container runtime's envelope around an application's log line.
///
/// - Docker json-file: `{"log":"…\n","stream":"stdout","time":"2026-11-23T10:00:00.123456789Z"}`.
///   Lines longer than 16 KiB are split into pieces whose `log` lacks the final `\n`.
///   — source: moby `daemon/logger/jsonfilelog`, `daemon/logger/copier.go` (bufSize 16 KiB)
/// - CRI (containerd, CRI-O): `2026-11-23T10:00:00.123456789Z stdout F text`, `P` for a partial piece.
///   — source: kubernetes `pkg/kubelet/kuberuntime/logs/logs.go` (parseCRILog)
struct ContainerLogWrapper {
    /// 0 for unwrapped lines, 1 stdout, 2 stderr: continuation and partial joins stay within one.
    var streamSlot: Int
    var streamName: String
    var time: Int64?
    var isPartial: Bool
    /// Members of a Docker envelope besides `log`, `stream` and `time` (`attrs` labels, or what a
    /// forwarder such as fluent-bit added, e.g. `kubernetes`): they become attributes of the record.
    var extraAttributes: [Attribute] = []

    static let slotCount = 3

    static func slot(ofStream name: String) -> Int {
        switch name {
        case "stdout": 1
        case "stderr": 2
        default: 0
        }
    }

    /// A Docker json-file envelope: an object with string `log`, `stream` and `time`.
    /// Returns the wrapper and the `log` member; a complete piece ends in `\n`, which the caller drops.
    static func docker(_ bytes: UnsafeBufferPointer<UInt8>, _ members: [RawMember], year: Int)
        -> (ContainerLogWrapper, RawMember)?
    {
        guard members.count >= 3 else { return nil }
        var log: RawMember?
        var stream: RawMember?
        var timeMember: RawMember?
        for member in members where member.kind == .string && !member.keyEscaped {
            switch member.keyEnd - member.keyStart {
            case 3 where LogBytes.hasPrefix(bytes, at: member.keyStart, to: member.keyEnd, "log"): log = log ?? member
            case 4 where LogBytes.hasPrefix(bytes, at: member.keyStart, to: member.keyEnd, "time"):
                timeMember = timeMember ?? member
            case 6 where LogBytes.hasPrefix(bytes, at: member.keyStart, to: member.keyEnd, "stream"):
                stream = stream ?? member
            default: break
            }
        }
        guard let log, let stream, let timeMember else { return nil }
        // The piece is complete when its text ends in an escaped newline: `\n` after an even run of backslashes.
        var isPartial = true
        if log.valueEnd - log.valueStart >= 2, bytes[log.valueEnd - 1] == UInt8(ascii: "n") {
            var backslashes = 0
            var index = log.valueEnd - 2
            while index >= log.valueStart, bytes[index] == UInt8(ascii: "\\") {
                backslashes += 1
                index -= 1
            }
            isPartial = backslashes % 2 == 0
        }
        var time: Int64?
        if case .instant(let nanos)? = LogTimestampParser.parseValue(
            bytes, timeMember.valueStart, timeMember.valueEnd, year: year)
        {
            time = nanos
        }
        let streamName: String
        if LogBytes.hasPrefix(bytes, at: stream.valueStart, to: stream.valueEnd, "stdout"), stream.valueEnd - stream.valueStart == 6 {
            streamName = "stdout"
        } else if LogBytes.hasPrefix(bytes, at: stream.valueStart, to: stream.valueEnd, "stderr"),
            stream.valueEnd - stream.valueStart == 6
        {
            streamName = "stderr"
        } else {
            streamName = RawJSONScanner.string(bytes, stream.valueStart, stream.valueEnd, escaped: stream.valueEscaped)
        }
        var wrapper = ContainerLogWrapper(
            streamSlot: slot(ofStream: streamName), streamName: streamName, time: time, isPartial: isPartial)
        if members.count > 3 {
            for member in members
            where member.keyStart != log.keyStart && member.keyStart != stream.keyStart
                && member.keyStart != timeMember.keyStart
            {
                wrapper.extraAttributes.append(
                    Attribute(AttributeConversion.key(bytes, member), AttributeConversion.value(bytes, member)))
            }
        }
        return (wrapper, log)
    }

    /// A CRI line: `<RFC 3339 time> <stream> <P|F>[:more tags] <text>`; the wrapper and where the text starts.
    static func cri(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, year: Int)
        -> (ContainerLogWrapper, Int)?
    {
        // CRI writes RFC 3339 with `T`: checking it first keeps plain `2026-11-23 10:00:00` lines cheap.
        guard end - start >= 30, LogBytes.isDigit(bytes[start]), bytes[start + 10] == UInt8(ascii: "T"),
            let (parsed, afterTime) = LogTimestampParser.parsePrefix(bytes, from: start, to: end, year: year),
            case .instant(let nanos) = parsed, afterTime < end, bytes[afterTime] == UInt8(ascii: " ")
        else { return nil }
        let streamStart = afterTime + 1
        let streamName: String
        if LogBytes.hasPrefix(bytes, at: streamStart, to: end, "stdout ") {
            streamName = "stdout"
        } else if LogBytes.hasPrefix(bytes, at: streamStart, to: end, "stderr ") {
            streamName = "stderr"
        } else {
            return nil
        }
        let tagStart = streamStart + 7
        guard tagStart < end else { return nil }
        let tag = bytes[tagStart]
        guard tag == UInt8(ascii: "F") || tag == UInt8(ascii: "P") else { return nil }
        var index = tagStart + 1
        while index < end, bytes[index] != UInt8(ascii: " ") {
            guard bytes[index] == UInt8(ascii: ":") || LogBytes.isWordByte(bytes[index]) else { return nil }
            index += 1
        }
        let textStart = index < end ? index + 1 : end
        let wrapper = ContainerLogWrapper(
            streamSlot: slot(ofStream: streamName), streamName: streamName, time: nanos,
            isPartial: tag == UInt8(ascii: "P"))
        return (wrapper, textStart)
    }
}
