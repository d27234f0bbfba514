import Foundation
import GRDB
import Testing
import TraceJoinTesting

/// Issue #16, summaries in the write path: `batch` stores every new trace summarised (and, if it failed, classified)
/// from its rows grouped in memory. Each such summary must be the one the summary pass makes from the stored rows.
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
        // Every trace, failed or not, with spans or not (none is cut), but for those whose lower 64 bits another
        // trace shares (`tieKey` and KillCorpus's first trace).
        let summarisable = try queue.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM traces t WHERE lower64_only = 0
                    AND NOT EXISTS (SELECT 1 FROM traces u WHERE u.trace_lo = t.trace_lo AND u.trace_key != t.trace_key)
                    """) ?? 0
        }
        let classified = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM traces WHERE class_rule IS NOT NULL AND span_count > 0") ?? 0
        }
        #expect(classified > 100, "KillCorpus's failed spans and logs are classified (\(classified))")
        #expect(inWrite == summarisable, "every trace is summarised as it is written (\(inWrite) of \(summarisable))")
        let written = try Self.summaries(queue)
        #expect(written.count == KillCorpus.traces + 4)

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

    /// Three traces with spans, in a file of their own (OTLP JSON lines) and logs that join them:
    /// - `…feed0010`: two root spans that start together, whose services are listed in `spans` order (span ID as stored,
    ///   signed: `8000…01` before `0000…02`), a log without a time under one of them and a timed one;
    /// - `…feed0011`: one span ID twice, first failed, then not: the store keeps the first, so the trace failed;
    /// - `…feed0012`: a failed span with attributes of every kind, a resource, a scope, a link and an exception
    ///   event, a warning and an error log with attributes (the summary pass reads only the error's).
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
        let failed = "feedfacefeedface00000000feed0012"
        let attributes = """
            [{"key":"http.status_code","value":{"intValue":"503"}},{"key":"ratio","value":{"doubleValue":1.0}},\
            {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"boolValue":true}]}}},\
            {"key":"db","value":{"kvlistValue":{"values":[{"key":"system","value":{"stringValue":"postgresql"}}]}}}]
            """
        let failing = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"pay-svc"}},\
            {"key":"host.cores","value":{"intValue":"8"}}]},"scopeSpans":[{"scope":{"name":"io.pay"},"spans":[\
            {"traceId":"\(failed)","spanId":"0000000000000004","name":"POST /charge","kind":2,\
            "startTimeUnixNano":"\(start)","endTimeUnixNano":"\(start + 9_000_000)","attributes":\(attributes),\
            "status":{"code":2,"message":"upstream failed"},\
            "links":[{"traceId":"\(tie)","spanId":"0000000000000002","attributes":[{"key":"weight","value":{"doubleValue":0.5}}]}],\
            "events":[{"timeUnixNano":"\(start + 5)","name":"exception","attributes":[\
            {"key":"exception.type","value":{"stringValue":"java.net.SocketTimeoutException"}},\
            {"key":"exception.message","value":{"stringValue":"Read timed out"}}]}]}]}]}]}

            """
        let text =
            line(tie, "zz-svc", "0000000000000002", code: 1) + line(tie, "aa-svc", "8000000000000001", code: 1)
            + line(duplicate, "dup-svc", "0000000000000003", code: 2) + line(duplicate, "dup-svc", "0000000000000003", code: 1)
            + failing
        try Data(text.utf8).write(to: URL(fileURLWithPath: spans))
        let logLines =
            "{\"level\":\"info\",\"service\":\"mm-svc\",\"trace_id\":\"\(tie)\",\"span_id\":\"0000000000000002\",\"msg\":\"untimed\"}\n"
            + "{\"time\":\"2026-03-01T10:01:40.000Z\",\"level\":\"info\",\"service\":\"bb-svc\",\"trace_id\":\"\(tie)\",\"msg\":\"timed\"}\n"
            + "{\"time\":\"2026-03-01T10:01:40.001Z\",\"level\":\"warn\",\"service\":\"pay-svc\",\"trace_id\":\"\(failed)\","
            + "\"span_id\":\"0000000000000004\",\"msg\":\"retrying\",\"attempt\":2,\"backoff\":1.5}\n"
            + "{\"time\":\"2026-03-01T10:01:40.002Z\",\"level\":\"error\",\"service\":\"pay-svc\",\"trace_id\":\"\(failed)\","
            + "\"span_id\":\"0000000000000004\",\"msg\":\"charge failed: Read timed out\",\"psp\":{\"name\":\"acme\","
            + "\"code\":504,\"latency\":2.0e3,\"retry\":[1,2.5,null,false]}}\n"
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
