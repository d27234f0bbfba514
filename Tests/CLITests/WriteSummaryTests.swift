import Foundation
import GRDB
import Testing
import TraceJoinTesting

/// Issue #16, summaries in the write path: `batch` stores a trace that did not fail summarised from its rows
/// grouped in memory, spans included. Each such summary must be the one the summary pass makes from the stored rows.
@Suite struct WriteSummaryTests {
    @Test("traces summarised as they are written are stored as the summary pass would store them")
    func sameAsSummaryPass() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = folder.file("night")
        try KillCorpus.write(to: input)
        try Self.writeTiesAndDatadog(to: input + "/logs/extra.log")
        try Self.writeSpanTiesAndDuplicates(spans: input + "/spans/extra.jsonl", logs: input + "/logs/extra-spans.log")
        let db = folder.file("night.db")
        let first = try CommandRunner.run(["batch", "--quiet", "--db", db, input])
        #expect(first.status == 0, "\(first.standardError)")
        let queue = try DatabaseQueue(path: db)
        let inWrite = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT json_extract(stats, '$.tracesSummarisedInWrite') FROM runs") ?? 0
        }
        // Every trace that did not fail, with spans or not (none is cut), but for those whose lower 64 bits another
        // trace shares (`tieKey` and KillCorpus's first trace).
        let notFailed = try queue.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM traces t WHERE status = 'ok' AND lower64_only = 0
                    AND NOT EXISTS (SELECT 1 FROM traces u WHERE u.trace_lo = t.trace_lo AND u.trace_key != t.trace_key)
                    """) ?? 0
        }
        let notFailedWithSpans = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM traces WHERE status = 'ok' AND span_count > 0") ?? 0
        }
        #expect(notFailedWithSpans > 300, "KillCorpus has 1,000 traces with spans, a third failed (\(notFailedWithSpans))")
        #expect(inWrite == notFailed, "every trace that did not fail is summarised as it is written (\(inWrite) of \(notFailed))")
        let written = try Self.summaries(queue)
        #expect(written.count == KillCorpus.traces + 3)

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

    /// Two traces with spans, in a file of their own (OTLP JSON lines) and logs that join them:
    /// - `…feed0010`: two root spans that start together, whose services are listed in `spans` order (span ID as stored,
    ///   signed: `8000…01` before `0000…02`), a log without a time under one of them and a timed one;
    /// - `…feed0011`: one span ID twice, first failed, then not: the store keeps the first, so the trace failed.
    static func writeSpanTiesAndDuplicates(spans: String, logs: String) throws {
        let start = 1_772_359_300_000_000_000
        func line(_ trace: String, _ service: String, _ span: String, code: Int) -> String {
            """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"\(service)"}}]},\
            "scopeSpans":[{"spans":[{"traceId":"\(trace)","spanId":"\(span)","name":"work","kind":2,\
            "startTimeUnixNano":"\(start)","endTimeUnixNano":"\(start + 1_000_000)","status":{"code":\(code)}}]}]}]}

            """
        }
        let tie = "feedfacefeedface00000000feed0010", duplicate = "feedfacefeedface00000000feed0011"
        let text =
            line(tie, "zz-svc", "0000000000000002", code: 1) + line(tie, "aa-svc", "8000000000000001", code: 1)
            + line(duplicate, "dup-svc", "0000000000000003", code: 2) + line(duplicate, "dup-svc", "0000000000000003", code: 1)
        try Data(text.utf8).write(to: URL(fileURLWithPath: spans))
        let logLines =
            "{\"level\":\"info\",\"service\":\"mm-svc\",\"trace_id\":\"\(tie)\",\"span_id\":\"0000000000000002\",\"msg\":\"untimed\"}\n"
            + "{\"time\":\"2026-03-01T10:01:40.000Z\",\"level\":\"info\",\"service\":\"bb-svc\",\"trace_id\":\"\(tie)\",\"msg\":\"timed\"}\n"
        try Data(logLines.utf8).write(to: URL(fileURLWithPath: logs))
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
