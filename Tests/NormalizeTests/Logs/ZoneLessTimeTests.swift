import Foundation
import Normalize
import Testing
import TraceJoinCore

/// Log times written without a zone are read in the configured zone, with its daylight-saving rules.
@Suite struct ZoneLessTimeTests {
    static let berlin = LogTimeZone(named: "Europe/Berlin")!

    static func times(_ text: String, zone: LogTimeZone, notAfter: Int64? = nil) -> [Int64?] {
        var configuration = LogDecoderConfiguration(timeZone: zone, timesOfDayNotAfter: notAfter)
        configuration.maxRecordBytes = 4096
        return LogDecoding.records(text, configuration: configuration).compactMap { record -> Int64?? in
            if case .log(let log) = record { log.time } else { nil }
        }
    }

    @Test("a date and time without zone is read in Berlin as CET in winter and CEST in summer")
    func berlinWinterAndSummer() {
        let text = """
            2026-11-23 10:00:00,123 ERROR winter
            2027-07-01 10:00:00.000 INFO summer
            """
        #expect(
            Self.times(text, zone: Self.berlin) == [
                LogDecoding.nanos(2026, 11, 23, 9, 0, 0, nanos: 123_000_000), LogDecoding.nanos(2027, 7, 1, 8, 0, 0),
            ])
        #expect(Self.times(text, zone: .utc).first == LogDecoding.nanos(2026, 11, 23, 10, 0, 0, nanos: 123_000_000))
    }

    @Test("a local time the spring-forward skipped is read with the winter offset (02:30 is 01:30Z, shown as 03:30)")
    func springForwardGap() {
        // Berlin, 2026-03-29: at 02:00 CET the clocks jumped to 03:00 CEST (01:00Z).
        let text = """
            2026-03-29 01:59:59 INFO before
            2026-03-29 02:30:00 INFO never happened on the wall
            2026-03-29 03:00:00 INFO after
            """
        #expect(
            Self.times(text, zone: Self.berlin) == [
                LogDecoding.nanos(2026, 3, 29, 0, 59, 59), LogDecoding.nanos(2026, 3, 29, 1, 30, 0),
                LogDecoding.nanos(2026, 3, 29, 1, 0, 0),
            ])
    }

    @Test("in the fall-back overlap a log going forward gets the first pass, then the second")
    func fallBackOverlap() {
        // Berlin, 2026-10-25: at 03:00 CEST the clocks went back to 02:00 CET (01:00Z); 02:00–02:59 happened twice.
        let text = """
            2026-10-25 02:10:00 INFO first pass
            2026-10-25 02:50:00 INFO first pass
            2026-10-25 02:10:00 INFO second pass
            2026-10-25 02:09:59 INFO a thread a little behind
            2026-10-25 03:00:00 INFO after
            """
        #expect(
            Self.times(text, zone: Self.berlin) == [
                LogDecoding.nanos(2026, 10, 25, 0, 10, 0), LogDecoding.nanos(2026, 10, 25, 0, 50, 0),
                LogDecoding.nanos(2026, 10, 25, 1, 10, 0), LogDecoding.nanos(2026, 10, 25, 1, 9, 59),
                LogDecoding.nanos(2026, 10, 25, 2, 0, 0),
            ])
        // Alone, an ambiguous time is its first occurrence.
        #expect(Self.times("2026-10-25 02:30:00 INFO alone", zone: Self.berlin) == [LogDecoding.nanos(2026, 10, 25, 0, 30, 0)])
    }

    @Test("a bare time of day is placed on Berlin's day before the file's modification: 23:30 local is 22:30Z")
    func timeOfDayInZone() {
        // Modified 2026-11-23 at 22:40Z (23:40 in Berlin). In UTC, 23:30 would be the day before.
        let modified = LogDecoding.nanos(2026, 11, 23, 22, 40, 0)
        let text = """
            23:30:00.000 ERROR [main] c.e.App - failed
            00:10:00.000 INFO  [main] c.e.App - after midnight, in Berlin
            """
        #expect(
            Self.times(text, zone: Self.berlin, notAfter: modified) == [
                LogDecoding.nanos(2026, 11, 23, 22, 30, 0), LogDecoding.nanos(2026, 11, 23, 23, 10, 0),
            ])
        #expect(Self.times(text, zone: .utc, notAfter: modified).first == LogDecoding.nanos(2026, 11, 22, 23, 30, 0))
    }

    @Test("read as it is written (tail), a bare time of day is the latest occurrence before now on the zone's clock")
    func timeOfDayFromClockInZone() throws {
        let zone = LogTimeZone.fixed(offsetSeconds: 14 * 3600)  // Kiribati: a different day than UTC for 14 hours
        var configuration = LogDecoderConfiguration(timeZone: zone)
        configuration.timesOfDayFromClock = true
        let now = LogDecoderConfiguration.wallClockNanos()
        let day: Int64 = 86_400 * 1_000_000_000
        let localMinuteAgo = ((now + 14 * 3_600_000_000_000 - 60_000_000_000) % day + day) % day
        let seconds = localMinuteAgo / 1_000_000_000
        let line = String(format: "%02d:%02d:%02d.000 INFO now-ish", seconds / 3600, seconds / 60 % 60, seconds % 60)
        let records = LogDecoding.records(line, configuration: configuration)
        guard case .log(let log)? = records.first else {
            Issue.record("no record")
            return
        }
        let placed = try #require(log.time)
        #expect(placed <= now && now - placed < 2 * 60 * 1_000_000_000, "\(placed) vs \(now)")
    }

    @Test("a time with its own zone or offset ignores the configured zone")
    func explicitZoneWins() {
        let text = """
            2026-11-23T10:00:00Z INFO utc
            2026-11-23 10:00:00 +0100 INFO offset
            """
        #expect(
            Self.times(text, zone: Self.berlin) == [LogDecoding.nanos(2026, 11, 23, 10, 0, 0), LogDecoding.nanos(2026, 11, 23, 9, 0, 0)])
    }

    @Test("zone names: IANA names, UTC and offsets are read; anything else is refused", arguments: [
        ("Europe/Berlin", "Europe/Berlin"), ("UTC", "UTC"), ("+05:30", "+05:30"), ("-0800", "-08:00"), ("+01", "+01:00"),
        ("America/New_York", "America/New_York"),
    ])
    func zoneNames(_ text: String, _ name: String) {
        #expect(LogTimeZone(named: text)?.name == name)
    }

    @Test("not zones: misspelt names, offsets past 18 hours, stray text", arguments: ["Europe/Berln", "+19:00", "+5", "berlin", "", "+05:3"])
    func notZones(_ text: String) {
        #expect(LogTimeZone(named: text) == nil)
    }

    @Test("TZ is read as the C library reads it: a name, :name, a zoneinfo path, empty or POSIX fixed; junk is UTC with a warning")
    func machineZone() {
        #expect(LogTimeZone.machine(environment: ["TZ": "Europe/Berlin"]).zone == Self.berlin)
        #expect(LogTimeZone.machine(environment: ["TZ": ":Europe/Berlin"]).zone == Self.berlin)
        #expect(LogTimeZone.machine(environment: ["TZ": "/usr/share/zoneinfo/Europe/Berlin"]).zone == Self.berlin)
        #expect(LogTimeZone.machine(environment: ["TZ": ""]).zone == .utc)
        #expect(LogTimeZone.machine(environment: ["TZ": "EST5"]).zone == .fixed(offsetSeconds: -5 * 3600))
        #expect(LogTimeZone.machine(environment: ["TZ": "<+0530>-5:30"]).zone == .fixed(offsetSeconds: 19_800))
        let junk = LogTimeZone.machine(environment: ["TZ": "Nowhere/Town"])
        #expect(junk.zone == .utc && junk.problem != nil)
    }

    /// `TIME_BENCH=1 swift test --filter ZoneLessTimeTests`: per-line cost of zone-less times, UTC against Berlin.
    @Test("per-line cost of zone-less times in a zone with daylight saving", .enabled(if: ProcessInfo.processInfo.environment["TIME_BENCH"] != nil))
    func perLineCost() {
        var text = ""
        for index in 0..<20_000 {
            let minute = index / 60 % 60
            let second = index % 60
            text += "2026-10-2\(index / 3600 % 5) 1\(index / 36_000):\(minute < 10 ? "0" : "")\(minute):\(second < 10 ? "0" : "")\(second),123 INFO c.e.App - line \(index)\n"
        }
        let bytes = Array(text.utf8)
        for zone in [LogTimeZone.utc, Self.berlin, LogTimeZone.utc, Self.berlin] {
            let configuration = LogDecoderConfiguration(timeZone: zone)
            let start = ContinuousClock.now
            let records = LogDecoding.records(bytes: bytes, configuration: configuration)
            let elapsed = ContinuousClock.now - start
            let perLine = Double(elapsed.components.attoseconds) / 1e9 / Double(records.count)
                + Double(elapsed.components.seconds) * 1e9 / Double(records.count)
            print("zone \(zone): \(records.count) lines, \(Int(perLine)) ns per line")
        }
    }
}
