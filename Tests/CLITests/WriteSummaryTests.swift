import Foundation
import GRDB
import Testing
import TraceJoinTesting

/// Issue #16, summaries in the write path: `batch` stores a trace with only plain logs summarised from its rows
/// grouped in memory. Each such summary must be the one the summary pass makes from the stored rows.
@Suite struct WriteSummaryTests {
    @Test("traces summarised as they are written are stored as the summary pass would store them")
    func sameAsSummaryPass() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = folder.file("night")
        try KillCorpus.write(to: input)
        try Self.writeTiesAndDatadog(to: input + "/logs/extra.log")
        let db = folder.file("night.db")
        let first = try CommandRunner.run(["batch", "--quiet", "--db", db, input])
        #expect(first.status == 0, "\(first.standardError)")
        let queue = try DatabaseQueue(path: db)
        let inWrite = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT json_extract(stats, '$.tracesSummarisedInWrite') FROM runs") ?? 0
        }
        // KillCorpus has 3,000 traces, a third with spans; of the rest, those without an error log.
        #expect(inWrite > 1_000, "most logs-only traces are summarised as they are written (\(inWrite))")
        let written = try Self.summaries(queue)
        #expect(written.count == KillCorpus.traces + 1)

        // Every trace summarised again by the summary pass, from the stored rows: a second batch skips the
        // files it has read and summarises what is dirty.
        try queue.write { db in try db.execute(sql: "UPDATE traces SET dirty = 1") }
        let second = try CommandRunner.run(["batch", "--quiet", "--db", db, input])
        #expect(second.status == 0, "\(second.standardError)")
        let passed = try Self.summaries(queue)
        let differing = written.keys.filter { written[$0] != passed[$0] }.sorted()
        #expect(
            differing.isEmpty,
            "\(differing.count) traces differ, e.g. \(differing.prefix(2).map { "\(written[$0] ?? "-") vs \(passed[$0] ?? "-")" })")
        // The ties below are in the services list in `logs_by_trace` order (time, severity, service), not in the
        // order the lines were read.
        #expect(passed[Self.tieKey]?.contains("[\\\"aa\\\",\\\"zz\\\"") == true, "\(passed[Self.tieKey] ?? "missing")")
    }

    /// Every trace's summary columns, by trace ID.
    static func summaries(_ queue: DatabaseQueue) throws -> [String: String] {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT printf('%016x%016x', trace_hi, trace_lo) AS id, dirty, start_ns, end_ns, status, sampled,
                        span_count, log_count, event_count, services, error_class, root_service, root_span_id,
                        root_name, root_message, class_rule, class_entry, fingerprint
                    FROM traces WHERE lower64_only = 0
                    """)
            return Dictionary(
                rows.map { row in (row["id"] as String, row.databaseValues.map(\.description).joined(separator: "|")) },
                uniquingKeysWith: { a, _ in a })
        }
    }

    /// A trace of two plain logs only.
    static let tieKey = "feedfacefeedface0000000000000001"

    /// Two plain logs of trace `tieKey` at one time, from `zz` then `aa`, and Datadog-style lines (the lower 64 bits, in
    /// decimal) that join traces 2 and 4 when written.
    static func writeTiesAndDatadog(to path: String) throws {
        let tie = "2026-03-01T09:59:59.000Z"
        var text = "{\"time\":\"\(tie)\",\"level\":\"info\",\"service\":\"zz\",\"trace_id\":\"\(tieKey)\",\"msg\":\"second\"}\n"
        text += "{\"time\":\"\(tie)\",\"level\":\"info\",\"service\":\"aa\",\"trace_id\":\"\(tieKey)\",\"msg\":\"first\"}\n"
        for number in [2, 4] {
            text += "{\"time\":\"2026-03-01T10:00:00.500Z\",\"level\":\"info\",\"service\":\"dd\","
                + "\"dd.trace_id\":\"\(number + 1)\",\"msg\":\"datadog\"}\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
