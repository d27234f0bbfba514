/// Hand-written timestamp parsing for log lines: no `DateFormatter`, no allocation.
///
/// Shapes read (each with any fraction of a second, `.` or `,`):
/// - ISO 8601 / RFC 3339: `2026-11-23T10:00:00.123456789Z`, `…+08:00`, `…+0800`, `…+08`,
///   with `T` or a space between date and time, `2026/11/23 10:00:00` (Go's `log`), a trailing
///   ` UTC`/` GMT`, or an offset after a space (` +0100`, ` +01:00`, Go's ` +0100 CET`); without a zone it
///   is a wall-clock time;
/// - time of day only: `16:51:51.647`;
/// - syslog `Nov 23 10:00:00` (no year: the configured year is used);
/// - Apache/NCSA `23/Nov/2026:10:00:00 +0000`;
/// - epoch numbers (s, ms, µs or ns, told apart by magnitude) with an optional fraction.
enum LogTimestampParser {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    // MARK: - Text at the start of a line

    /// The timestamp that starts `bytes[from..<end]`, and the index just after it.
    ///
    /// The byte after a timestamp must not be a digit or letter, so `10:00:00abc` or an ID
    /// that merely starts with digits is not taken for a time.
    static func parsePrefix(_ bytes: Buffer, from start: Int, to end: Int, year: Int) -> (ParsedLogTime, Int)? {
        guard start < end else { return nil }
        let first = bytes[start]
        if LogBytes.isDigit(first) {
            if start + 4 < end, LogBytes.isDigit(bytes[start + 2]), LogBytes.isDigit(bytes[start + 3]),
                bytes[start + 4] == UInt8(ascii: "-") || bytes[start + 4] == UInt8(ascii: "/")
            {
                return parseDateTime(bytes, start, end)
            }
            if start + 2 < end, bytes[start + 2] == UInt8(ascii: ":") {
                guard let (nanos, after) = parseTimeOfDay(bytes, start, end), isBoundary(bytes, after, end) else {
                    return nil
                }
                // A zone after a bare time of day does not make it an instant: there is no date.
                return (.timeOfDay(nanos), skipZone(bytes, after, end))
            }
            if start + 2 < end, bytes[start + 2] == UInt8(ascii: "/") || (start + 1 < end && bytes[start + 1] == UInt8(ascii: "/")) {
                return parseApache(bytes, start, end)
            }
            return nil
        }
        if LogBytes.isLetter(first) {
            return parseSyslog(bytes, start, end, year: year)
        }
        return nil
    }

    /// `YYYY-MM-DD[T ]HH:MM:SS[.frac][zone]` or with `/` between the date parts.
    private static func parseDateTime(_ bytes: Buffer, _ start: Int, _ end: Int) -> (ParsedLogTime, Int)? {
        guard let century = LogBytes.twoDigits(bytes, start, end), let yy = LogBytes.twoDigits(bytes, start + 2, end)
        else { return nil }
        let separator = bytes[start + 4]
        guard let month = LogBytes.twoDigits(bytes, start + 5, end), start + 7 < end, bytes[start + 7] == separator,
            let day = LogBytes.twoDigits(bytes, start + 8, end), (1...12).contains(month), (1...31).contains(day),
            start + 10 < end, bytes[start + 10] == UInt8(ascii: "T") || bytes[start + 10] == UInt8(ascii: " ")
                || bytes[start + 10] == UInt8(ascii: "t") || bytes[start + 10] == UInt8(ascii: "_")
        else { return nil }
        guard let (timeNanos, afterTime) = parseTimeOfDay(bytes, start + 11, end),
            CivilTime.isSupported(year: century * 100 + yy)
        else { return nil }
        let days = CivilTime.daysFromCivil(year: century * 100 + yy, month: month, day: day)
        let wall = Int64(days) * CivilTime.nanosPerDay + timeNanos
        if let (offsetSeconds, afterZone) = parseZone(bytes, afterTime, end) {
            guard isBoundary(bytes, afterZone, end) else { return nil }
            return (.instant(wall - Int64(offsetSeconds) * CivilTime.nanosPerSecond), afterZone)
        }
        guard isBoundary(bytes, afterTime, end) else { return nil }
        return (.wallClock(wall), afterTime)
    }

    /// `HH:MM:SS[.fraction]`; nanoseconds since midnight and the index after it.
    static func parseTimeOfDay(_ bytes: Buffer, _ start: Int, _ end: Int) -> (Int64, Int)? {
        guard let hour = LogBytes.twoDigits(bytes, start, end), start + 2 < end, bytes[start + 2] == UInt8(ascii: ":"),
            let minute = LogBytes.twoDigits(bytes, start + 3, end), start + 5 < end,
            bytes[start + 5] == UInt8(ascii: ":"), let second = LogBytes.twoDigits(bytes, start + 6, end),
            hour <= 24, minute <= 59, second <= 60
        else { return nil }
        var index = start + 8
        var nanos = Int64(hour * 3600 + minute * 60 + second) * CivilTime.nanosPerSecond
        if index + 1 < end, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ","),
            LogBytes.isDigit(bytes[index + 1])
        {
            index += 1
            var fraction: Int64 = 0
            var digits = 0
            while index < end, LogBytes.isDigit(bytes[index]) {
                if digits < 9 {
                    fraction = fraction * 10 + Int64(bytes[index] &- 0x30)
                    digits += 1
                }
                index += 1
            }
            while digits < 9 {
                fraction *= 10
                digits += 1
            }
            nanos += fraction
        }
        return (nanos, index)
    }

    /// `Z`, `+HH:MM`, `+HHMM`, `+HH`, ` UTC`, ` GMT`; the offset in seconds east of UTC.
    private static func parseZone(_ bytes: Buffer, _ start: Int, _ end: Int) -> (Int, Int)? {
        guard start < end else { return nil }
        let byte = bytes[start]
        if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") { return (0, start + 1) }
        if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
            guard let hours = LogBytes.twoDigits(bytes, start + 1, end), hours <= 23 else { return nil }
            let sign = byte == UInt8(ascii: "+") ? 1 : -1
            var index = start + 3
            var minutes = 0
            if index < end, bytes[index] == UInt8(ascii: ":") {
                guard let parsed = LogBytes.twoDigits(bytes, index + 1, end) else { return nil }
                minutes = parsed
                index += 3
            } else if let parsed = LogBytes.twoDigits(bytes, index, end) {
                minutes = parsed
                index += 2
            }
            return (sign * (hours * 3600 + minutes * 60), index)
        }
        if byte == UInt8(ascii: " "),
            LogBytes.hasPrefix(bytes, at: start, to: end, " UTC") || LogBytes.hasPrefix(bytes, at: start, to: end, " GMT")
        {
            return (0, start + 4)
        }
        // ` +0100` or ` +01:00` after a space (Ruby, Go's `Time.String()`, some Java patterns): full offsets
        // only, so a ` - ` separator or ` -05 items` is not read as one. Go adds the zone's name: ` +0100 CET`.
        if byte == UInt8(ascii: " "), start + 1 < end,
            bytes[start + 1] == UInt8(ascii: "+") || bytes[start + 1] == UInt8(ascii: "-"),
            let (offset, after) = parseZone(bytes, start + 1, end), after - start >= 6
        {
            var index = after
            if index + 1 < end, bytes[index] == UInt8(ascii: " ") {
                var letter = index + 1
                while letter < end, bytes[letter] >= UInt8(ascii: "A"), bytes[letter] <= UInt8(ascii: "Z") { letter += 1 }
                // Only a known zone name: a level (`+0100 ERROR …`) or a method (`GET`) is the line's, not the time's.
                if (3...5).contains(letter - index - 1), isBoundary(bytes, letter, end),
                    zoneNames.contains(String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<letter]), as: UTF8.self))
                {
                    index = letter
                }
            }
            return (offset, index)
        }
        return nil
    }

    /// Zone abbreviations Go's `Time.String()` writes after the offset (`+0100 CET`).
    static let zoneNames: Set<String> = [
        "UTC", "GMT", "WET", "WEST", "BST", "IST", "CET", "CEST", "MET", "MEST", "EET", "EEST", "MSK", "SAST", "CAT",
        "EAT", "WAT", "PKT", "HKT", "SGT", "WIB", "WITA", "WIT", "PHT", "JST", "KST", "AWST", "ACST", "ACDT", "AEST",
        "AEDT", "NZST", "NZDT", "HST", "AKST", "AKDT", "PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT", "AST",
        "ADT", "NST", "NDT", "ART", "BRT", "CLT", "CLST",
    ]

    private static func skipZone(_ bytes: Buffer, _ start: Int, _ end: Int) -> Int {
        guard start < end, bytes[start] != UInt8(ascii: " ") else { return start }
        return parseZone(bytes, start, end)?.1 ?? start
    }

    @inline(__always)
    private static func isBoundary(_ bytes: Buffer, _ index: Int, _ end: Int) -> Bool {
        index >= end || !(LogBytes.isDigit(bytes[index]) || LogBytes.isLetter(bytes[index]))
    }

    /// `Nov 23 10:00:00` or `Nov  3 10:00:00`: syslog (RFC 3164) has no year and no zone.
    private static func parseSyslog(_ bytes: Buffer, _ start: Int, _ end: Int, year: Int) -> (ParsedLogTime, Int)? {
        guard start + 15 <= end, let month = CivilTime.month(bytes[start], bytes[start + 1], bytes[start + 2]),
            bytes[start + 3] == UInt8(ascii: " ")
        else { return nil }
        var index = start + 4
        if bytes[index] == UInt8(ascii: " ") { index += 1 }
        var day = 0
        while index < end, LogBytes.isDigit(bytes[index]), day < 100 {
            day = day * 10 + Int(bytes[index] &- 0x30)
            index += 1
        }
        guard (1...31).contains(day), index < end, bytes[index] == UInt8(ascii: " "),
            let (timeNanos, after) = parseTimeOfDay(bytes, index + 1, end), isBoundary(bytes, after, end),
            CivilTime.isSupported(year: year)
        else { return nil }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        return (.wallClock(Int64(days) * CivilTime.nanosPerDay + timeNanos), after)
    }

    /// `23/Nov/2026:10:00:00 +0000` (Apache and nginx access logs).
    private static func parseApache(_ bytes: Buffer, _ start: Int, _ end: Int) -> (ParsedLogTime, Int)? {
        var index = start
        var day = 0
        while index < end, LogBytes.isDigit(bytes[index]), index - start < 2 {
            day = day * 10 + Int(bytes[index] &- 0x30)
            index += 1
        }
        guard (1...31).contains(day), index + 12 < end, bytes[index] == UInt8(ascii: "/"),
            let month = CivilTime.month(bytes[index + 1], bytes[index + 2], bytes[index + 3]),
            bytes[index + 4] == UInt8(ascii: "/"), let century = LogBytes.twoDigits(bytes, index + 5, end),
            let yy = LogBytes.twoDigits(bytes, index + 7, end), bytes[index + 9] == UInt8(ascii: ":"),
            let (timeNanos, after) = parseTimeOfDay(bytes, index + 10, end), CivilTime.isSupported(year: century * 100 + yy)
        else { return nil }
        let wall = Int64(CivilTime.daysFromCivil(year: century * 100 + yy, month: month, day: day))
            * CivilTime.nanosPerDay + timeNanos
        if after < end, bytes[after] == UInt8(ascii: " "), let (offset, afterZone) = parseZone(bytes, after + 1, end) {
            return (.instant(wall - Int64(offset) * CivilTime.nanosPerSecond), afterZone)
        }
        return (.wallClock(wall), after)
    }

    // MARK: - Values of time fields (JSON, logfmt)

    /// A time field's text: an epoch number (as digits) or a timestamp that fills the whole text.
    static func parseValue(_ text: String, year: Int) -> ParsedLogTime? {
        var text = text
        return text.withUTF8 { bytes in parseValue(bytes, 0, bytes.count, year: year) }
    }

    /// A time field's bytes: an epoch number or a timestamp filling `bytes[start..<end]` (spaces around allowed).
    static func parseValue(_ bytes: Buffer, _ start: Int, _ end: Int, year: Int) -> ParsedLogTime? {
        let end = LogBytes.trimmedEnd(bytes, from: start, to: end)
        let start = LogBytes.skipSpaces(bytes, from: start, to: end)
        guard start < end else { return nil }
        if let nanos = parseEpoch(bytes, start, end) { return .instant(nanos) }
        guard let (time, after) = parsePrefix(bytes, from: start, to: end, year: year), after == end else {
            return nil
        }
        return time
    }

    /// An epoch number, `1700000000`, `1700000000123`, `1700000000.123456`, `1.7e9`; the unit is chosen by
    /// magnitude: below 1e11 seconds, below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
    static func parseEpoch(_ bytes: Buffer, _ start: Int, _ end: Int) -> Int64? {
        var index = start
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        var integer: Int64 = 0
        while index < end, LogBytes.isDigit(bytes[index]) {
            let (times, overflow1) = integer.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] &- 0x30))
            guard !overflow1, !overflow2 else { return nil }
            integer = sum
            index += 1
        }
        guard index > digitsStart else { return nil }
        var fractionStart = index
        var fractionEnd = index
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fractionStart = index
            while index < end, LogBytes.isDigit(bytes[index]) { index += 1 }
            fractionEnd = index
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            guard let double = Double(LogBytes.string(bytes, start..<end)), double.isFinite else { return nil }
            return epochNanos(fromDouble: double)
        }
        guard index == end else { return nil }
        let magnitude = integer
        let scale: Int64 =
            magnitude < 100_000_000_000 ? 1_000_000_000
            : magnitude < 100_000_000_000_000 ? 1_000_000 : magnitude < 100_000_000_000_000_000 ? 1_000 : 1
        let (whole, overflow) = integer.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        var fraction: Int64 = 0
        var unit = scale
        var position = fractionStart
        while position < fractionEnd, unit > 1 {
            unit /= 10
            fraction += Int64(bytes[position] &- 0x30) * unit
            position += 1
        }
        let (nanos, overflow2) = whole.addingReportingOverflow(fraction)
        guard !overflow2 else { return nil }
        return negative ? -nanos : nanos
    }

    private static func epochNanos(fromDouble value: Double) -> Int64? {
        let magnitude = abs(value)
        let scale: Double =
            magnitude < 1e11 ? 1e9 : magnitude < 1e14 ? 1e6 : magnitude < 1e17 ? 1e3 : 1
        let nanos = value * scale
        guard nanos.isFinite, abs(nanos) < 9.2e18 else { return nil }
        return Int64(nanos)
    }
}
