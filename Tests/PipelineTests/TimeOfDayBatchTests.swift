import Foundation
import Pipeline
import Rules
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Log lines that carry only a time of day (logback's `%d{HH:mm:ss.SSS}`), read by `batch` with no
/// container wrapper: the date comes from the file's last modification, and the lines keep their order.
@Suite struct TimeOfDayBatchTests {
    static let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"

    @Test("batch dates bare times of day by the file's modification and keeps them in the timeline's order")
    func datedByModification() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("app.log")
        try """
        10:00:00.030 [main] ERROR c.e.App - failed trace_id=\(Self.traceHex) span_id=00f067aa0ba902b7
        10:00:00.090 [main] INFO  c.e.App - recovered trace_id=\(Self.traceHex) span_id=00f067aa0ba902b7

        """.write(toFile: path, atomically: true, encoding: .utf8)
        // Last written on 2026-11-23 at 10:00:01 UTC.
        let modified = Date(timeIntervalSince1970: 1_795_428_001)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)

        var configuration = BatchConfiguration(inputs: [path])
        configuration.databasePath = folder.file("t.db")
        _ = try BatchRunner(configuration: configuration).run()
        let store = try IncidentStore.openExisting(path: configuration.databasePath)
        let trace = TraceReference.full(try #require(TraceID(hex: Self.traceHex)))
        let timeline = try #require(try TimelineQuery.timelines(for: trace, in: store).first)
        let base: Int64 = 1_795_428_000 * 1_000_000_000  // 2026-11-23T10:00:00Z
        #expect(timeline.entries.count == 2)
        #expect(timeline.entries.first?.message.contains("failed") == true)
        #expect(timeline.entries.last?.message.contains("recovered") == true)
        #expect(timeline.entries.map(\.time) == [base + 30_000_000, base + 90_000_000])
        #expect(timeline.summary.start == base + 30_000_000)
        #expect(timeline.entries.allSatisfy { entry in !entry.attributes.contains { $0.key == "tracejoin.time_inferred" } })
    }

    @Test("batch places a bare time of day on the zone's day: 23:30 in Berlin, file written at 23:40 local, is 22:30Z")
    func timeOfDayInZone() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("app.log")
        try "23:30:00.000 [main] ERROR c.e.App - failed trace_id=\(Self.traceHex)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let modified = Date(timeIntervalSince1970: 1_795_473_600)  // 2026-11-23T22:40:00Z
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)

        var configuration = BatchConfiguration(inputs: [path])
        configuration.databasePath = folder.file("t.db")
        configuration.timeZones = SourceTimeZones(fallback: try #require(LogTimeZone(named: "Europe/Berlin")))
        _ = try BatchRunner(configuration: configuration).run()
        let store = try IncidentStore.openExisting(path: configuration.databasePath)
        let trace = TraceReference.full(try #require(TraceID(hex: Self.traceHex)))
        let timeline = try #require(try TimelineQuery.timelines(for: trace, in: store).first)
        #expect(timeline.entries.map(\.time) == [(1_795_473_600 - 10 * 60) * 1_000_000_000])  // 22:30Z
    }

    @Test("a rule file's zone for legacy/*.log wins over the run's zone for those files only")
    func zonePerGlob() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.file("legacy"), withIntermediateDirectories: true)
        let legacy = folder.file("legacy/billing.log")
        let modern = folder.file("checkout.log")
        try "2026-11-23 10:00:00.000 ERROR legacy trace_id=\(Self.traceHex)\n"
            .write(toFile: legacy, atomically: true, encoding: .utf8)
        try "2026-11-23 10:00:00.000 ERROR modern trace_id=\(Self.traceHex)\n"
            .write(toFile: modern, atomically: true, encoding: .utf8)

        var configuration = BatchConfiguration(inputs: [legacy, modern])
        configuration.databasePath = folder.file("t.db")
        let berlin = try #require(LogTimeZone(named: "Europe/Berlin"))
        configuration.timeZones = SourceTimeZones(
            fallback: .fixed(offsetSeconds: -5 * 3600),
            rules: [TimeZoneRule(id: "zone.legacy", files: ["legacy/*.log"], zone: berlin)])
        _ = try BatchRunner(configuration: configuration).run()
        let store = try IncidentStore.openExisting(path: configuration.databasePath)
        let trace = TraceReference.full(try #require(TraceID(hex: Self.traceHex)))
        let timeline = try #require(try TimelineQuery.timelines(for: trace, in: store).first)
        let base: Int64 = 1_795_428_000 * 1_000_000_000  // 2026-11-23T10:00:00Z
        let hour: Int64 = 3_600_000_000_000
        #expect(timeline.entries.first { $0.message.hasPrefix("legacy") }?.time == base - hour)  // 10:00 in Berlin
        #expect(timeline.entries.first { $0.message.hasPrefix("modern") }?.time == base + 5 * hour)  // 10:00 at -05:00
    }
}
