#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
package import TraceJoinCore

/// Settings of the log-line decoder; the rules stage adds trace-context patterns from YAML.
///
/// - `traceContextPatterns` (list, default `TraceContextPattern.defaults`): keyed trace-context
///   forms looked for in plain-text lines and in JSON/logfmt messages, tried in order.
/// - `maxRecordBytes` (int, default 262144): the most bytes a record's message may grow to by
///   joining continuation lines or partial container pieces; the rest is cut and the record is
///   marked with the attribute `tracejoin.truncated = true`.
/// - `timeZone` (default UTC; the CLI passes `--timezone`, a rule file's zone for the file, or the machine's
///   `TZ`): the zone of times that carry no zone (`2026-11-23 10:00:00,123`, `16:51:51.647`), used when no
///   container wrapper gives the UTC time. A local time the clock skipped (spring forward) is read with the
///   offset before the jump; one it went through twice (fall back) is the first occurrence, or the second
///   once the input's previous time is past the first.
/// - `yearForYearlessTimes` (int, default: the current UTC year): the year of syslog and glog
///   stamps (`Nov 23 10:00:00`, `I1123 …`), which have none.
/// - `dateOfTimesOfDay` (days since 1970-01-01, default none): the date of lines that carry only a
///   time of day (`16:51:51.647`) when no container wrapper gives the time.
/// - `timesOfDayNotAfter` (nanoseconds since the epoch, default none): without a configured date, the first
///   bare time of day of an input is taken as its latest occurrence at or before this instant; ingest sets
///   it to the file's last modification (no line of a file was written after it). Later bare times of
///   day follow the input's previous time forward (across midnight). Without either, such records have
///   no time rather than a wrong one.
/// - `timesOfDayFromClock` (bool, default false): each bare time of day is its latest occurrence at or before
///   the moment it is read (`tail`: lines are read as they are written, and a quiet day between two lines
///   would mislead the forward rule).
/// - `maxRejectRawBytes` (int, default 4096): how much of a rejected line is kept.
///
/// `copiesAttributeJSON` (not a user setting; default true) lets a JSON line's attributes be copied as the JSON
/// they are stored as (`AttributeJSONCopier`); tests turn it off to compare with the list path.
package struct LogDecoderConfiguration: Sendable {
    package var traceContextPatterns: [TraceContextPattern]
    package var maxRecordBytes: Int
    package var timeZone: LogTimeZone
    package var yearForYearlessTimes: Int
    package var dateOfTimesOfDay: Int?
    package var timesOfDayNotAfter: Int64?
    package var timesOfDayFromClock = false
    package var maxRejectRawBytes: Int
    package var copiesAttributeJSON = true

    package init(
        traceContextPatterns: [TraceContextPattern] = TraceContextPattern.defaults, maxRecordBytes: Int = 256 * 1024,
        timeZone: LogTimeZone = .utc, yearForYearlessTimes: Int? = nil, dateOfTimesOfDay: Int? = nil,
        timesOfDayNotAfter: Int64? = nil, maxRejectRawBytes: Int = 4096
    ) {
        self.traceContextPatterns = traceContextPatterns
        self.maxRecordBytes = maxRecordBytes
        self.timeZone = timeZone
        self.yearForYearlessTimes = yearForYearlessTimes ?? Self.currentUTCYear()
        self.dateOfTimesOfDay = dateOfTimesOfDay
        self.timesOfDayNotAfter = timesOfDayNotAfter
        self.maxRejectRawBytes = maxRejectRawBytes
    }

    /// Days since 1970-01-01 of a calendar date, for `dateOfTimesOfDay`.
    package static func days(year: Int, month: Int, day: Int) -> Int {
        CivilTime.daysFromCivil(year: year, month: month, day: day)
    }

    /// Read once per configuration, never per line.
    private static func currentUTCYear() -> Int {
        return CivilTime.year(ofNanos: wallClockNanos())
    }

    package static func wallClockNanos() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
