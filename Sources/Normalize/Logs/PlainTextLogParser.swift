import TraceJoinCore

/// Reads a plain-text log line: a leading timestamp, a level word if present, and the message.
///
/// Handled heads: `2026-11-23 10:00:00,123 INFO …`, `[2026-11-23T10:00:00Z] [ERROR] …`,
/// `16:49:10.635 INFO  …` (time of day), `Nov 23 10:00:00 host app: …` (syslog),
/// `2026/11/23 10:00:00 …` (Go `log`), loguru's `… | INFO     | …`, glog's `I1123 10:00:00.123456 …`,
/// a thread in brackets before the level (`[main] ERROR`), and a level without a time
/// (`WARNING:root:…`, `[WARN] …`). Trace context comes from the text patterns afterwards.
enum PlainTextLogParser {
    struct Head {
        var time: ParsedLogTime?
        var severity: LogSeverity = .unspecified
        var severityRange: Range<Int>?
        var messageStart: Int
    }

    /// The head of `bytes[start..<end]` (`start` is the first non-space byte).
    static func parseHead(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, year: Int) -> Head {
        if let glog = parseGlog(bytes, start, end, year: year) { return glog }
        var head = Head(messageStart: start)
        var index = start
        // Ruby's Logger: `I, [2026-11-23T10:00:00.123456 #1234]  INFO -- : msg`; the level word follows.
        if end - start > 30, bytes[start + 1] == UInt8(ascii: ","), bytes[start + 2] == UInt8(ascii: " "),
            bytes[start + 3] == UInt8(ascii: "["), LogBytes.isLetter(bytes[start]),
            let (time, after) = LogTimestampParser.parsePrefix(bytes, from: start + 4, to: end, year: year)
        {
            var close = after
            while close < end, bytes[close] != UInt8(ascii: "]") { close += 1 }
            if close < end {
                head.time = time
                index = close + 1
            }
        }
        if head.time == nil, let (time, after) = LogTimestampParser.parsePrefix(bytes, from: index, to: end, year: year) {
            head.time = time
            index = after
        } else if head.time == nil, bytes[index] == UInt8(ascii: "["),
            let (time, after) = LogTimestampParser.parsePrefix(bytes, from: index + 1, to: end, year: year)
        {
            head.time = time
            index = after
            if index < end, bytes[index] == UInt8(ascii: "]") {
                index += 1
            } else if index < end, bytes[index] == UInt8(ascii: ":") {
                index += 1  // Celery: `[2026-11-23 10:00:00,123: ERROR/ForkPoolWorker-1] …`
            }
        }
        // Separators between the time and the level: spaces, loguru's `|`; after the level Ruby writes `-- :`.
        while index < end, LogBytes.isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "|") { index += 1 }
        head.messageStart = index
        if let (range, severity, after) = level(bytes, index, end, anyCase: head.time != nil) {
            head.severity = severity
            head.severityRange = range
            head.messageStart = messageStart(bytes, after, end)
        } else if index < end, bytes[index] == UInt8(ascii: "["), head.time != nil {
            // `[thread] LEVEL …`: take the level, keep the message from the bracket on.
            var close = index + 1
            while close < end, close - index < 80, bytes[close] != UInt8(ascii: "]") { close += 1 }
            if close < end, bytes[close] == UInt8(ascii: "]") {
                let next = LogBytes.skipSpaces(bytes, from: close + 1, to: end)
                if let (range, severity, _) = level(bytes, next, end, anyCase: true) {
                    head.severity = severity
                    head.severityRange = range
                }
            }
        }
        return head
    }

    /// A level word at `index`, optionally in `[ ]` or `< >`, followed by a space, `:`, `|`, `-` or the end.
    ///
    /// Without a timestamp before it (`anyCase` false) the word must be bracketed or upper case, so that
    /// a message such as `Error connecting to db` keeps its first word.
    private static func level(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int, anyCase: Bool)
        -> (Range<Int>, LogSeverity, Int)?
    {
        guard index < end else { return nil }
        var wordStart = index
        var closing: UInt8 = 0
        if bytes[index] == UInt8(ascii: "[") {
            closing = UInt8(ascii: "]")
            wordStart += 1
        } else if bytes[index] == UInt8(ascii: "<") {
            closing = UInt8(ascii: ">")
            wordStart += 1
        }
        var wordEnd = wordStart
        while wordEnd < end, LogBytes.isLetter(bytes[wordEnd]) { wordEnd += 1 }
        guard let severity = LogSeverityParser.severity(bytes, wordStart, wordEnd) else { return nil }
        if !anyCase, closing == 0, bytes[wordStart + 1] & 0x20 != 0 { return nil }
        var after = wordEnd
        if closing != 0 {
            after = LogBytes.skipSpaces(bytes, from: after, to: end)
            guard after < end, bytes[after] == closing else { return nil }
            after += 1
        }
        guard after >= end || LogBytes.isSpace(bytes[after]) || bytes[after] == UInt8(ascii: ":")
            || bytes[after] == UInt8(ascii: "|") || bytes[after] == UInt8(ascii: "]") || bytes[after] == UInt8(ascii: "/")
        else { return nil }
        return (wordStart..<wordEnd, severity, after)
    }

    /// After the level: skip spaces and one separator (`:`, `|`, `-`, `]`) before the message.
    private static func messageStart(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var index = from
        if index < end, bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: "]") { index += 1 }
        index = LogBytes.skipSpaces(bytes, from: index, to: end)
        if index + 1 < end, bytes[index] == UInt8(ascii: "|") || bytes[index] == UInt8(ascii: "-"),
            LogBytes.isSpace(bytes[index + 1])
        {
            index = LogBytes.skipSpaces(bytes, from: index + 1, to: end)
        } else if LogBytes.hasPrefix(bytes, at: index, to: end, "-- ") {
            index += 3  // Ruby: `INFO -- progname: msg`, the program name often empty
            if LogBytes.hasPrefix(bytes, at: index, to: end, ": ") { index += 2 }
        }
        return index
    }

    /// glog/klog: `I1123 10:00:00.123456   12345 file.go:12] msg` (level letter, month, day; no year).
    private static func parseGlog(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, year: Int) -> Head? {
        guard end - start >= 21 else { return nil }
        let severity: LogSeverity
        switch bytes[start] {
        case UInt8(ascii: "I"): severity = .info
        case UInt8(ascii: "W"): severity = .warn
        case UInt8(ascii: "E"): severity = .error
        case UInt8(ascii: "F"): severity = .fatal
        case UInt8(ascii: "D"): severity = .debug
        default: return nil
        }
        guard let month = LogBytes.twoDigits(bytes, start + 1, end), let day = LogBytes.twoDigits(bytes, start + 3, end),
            (1...12).contains(month), (1...31).contains(day), bytes[start + 5] == UInt8(ascii: " "),
            CivilTime.isSupported(year: year),
            let (timeNanos, after) = LogTimestampParser.parseTimeOfDay(bytes, start + 6, end)
        else { return nil }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let time = ParsedLogTime.wallClock(Int64(days) * CivilTime.nanosPerDay + timeNanos)
        return Head(
            time: time, severity: severity, severityRange: start..<start + 1,
            messageStart: LogBytes.skipSpaces(bytes, from: after, to: end))
    }

    /// What a message's first words say about a stack dump that follows it.
    static func stackDumpOpener(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> LogSeverity? {
        if LogBytes.hasPrefix(bytes, at: start, to: end, "panic: ")
            || LogBytes.hasPrefix(bytes, at: start, to: end, "fatal error: ")
        {
            return .fatal
        }
        if LogBytes.hasPrefix(bytes, at: start, to: end, "Traceback (most recent call last):")
            || LogBytes.hasPrefix(bytes, at: start, to: end, "Exception in thread ")
        {
            return .error
        }
        return nil
    }
}
