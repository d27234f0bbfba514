import Foundation
import GRDB
import Testing
import TraceJoinTesting

#if canImport(Glibc)
    import Glibc
#endif

/// Issue #16: a `batch` killed with SIGKILL and run again leaves exactly the database a clean run leaves — no
/// duplicates, no gaps — whatever moment the kill hit (reading, writing, summarising).
@Suite struct BatchKillTests {
    @Test("batch killed with SIGKILL twice, then run to the end, stores what one clean run stores")
    func killedAndRerun() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = folder.file("night")
        try KillCorpus.write(to: input)

        let clean = folder.file("clean.db")
        let cleanRun = try CommandRunner.run(["batch", "--quiet", "--db", clean, input])
        #expect(cleanRun.status == 0, "\(cleanRun.standardError)")

        let killed = folder.file("killed.db")
        // First kill: once some rows are committed (mid-ingest). Second: as soon as the rerun has started, so
        // it lands in the resume, the writing or the summary pass depending on the machine's speed.
        let first = try BackgroundCommand.start(["batch", "--quiet", "--db", killed, input], in: folder, output: "1.out")
        defer { first.terminateIfRunning() }
        let committed = BackgroundCommand.waitUntil(seconds: 120, every: 0.02) {
            (try? Self.count("logs", in: killed)) ?? 0 > 2_000
        }
        #expect(committed, "the first run committed rows: \(first.output())")
        #expect(first.killAndWait(), "SIGKILL ended the first run: \(first.output())")
        let logsAtFirstKill = try Self.count("logs", in: killed)
        #expect(logsAtFirstKill < KillCorpus.logLines, "killed before the end (\(logsAtFirstKill) logs stored)")

        let second = try BackgroundCommand.start(["batch", "--quiet", "--db", killed, input], in: folder, output: "2.out")
        defer { second.terminateIfRunning() }
        _ = BackgroundCommand.waitUntil(seconds: 120, every: 0.02) {
            (try? Self.count("logs", in: killed)) ?? 0 > logsAtFirstKill + 3_000 || !second.isRunning
        }
        _ = second.killAndWait()  // it may have finished first, on a fast machine: the rerun still must not differ

        let last = try CommandRunner.run(["batch", "--quiet", "--db", killed, input])
        #expect(last.status == 0, "\(last.standardError)")

        let expected = try Self.contents(of: clean)
        let actual = try Self.contents(of: killed)
        #expect(expected["logs"]?.count == KillCorpus.logLines)
        #expect(expected["schema"]?.contains { $0.contains("traces_by_status") } == true, "a batch leaves the search indexes")
        for table in expected.keys.sorted() {
            let want = expected[table] ?? [], got = actual[table] ?? []
            let repeated = Dictionary(got.map { ($0, 1) }, uniquingKeysWith: +).filter { $0.value > 1 }
            #expect(
                got.count == want.count,
                "\(table): \(got.count) rows after the kills, \(want.count) clean; \(repeated.count) stored more than once, e.g. \(repeated.keys.sorted().prefix(2))"
            )
            let missing = Set(want).subtracting(got), extra = Set(got).subtracting(want)
            #expect(missing.isEmpty && extra.isEmpty, "\(table): missing \(missing.prefix(3)), extra \(extra.prefix(3))")
        }
    }

    static func count(_ table: String, in path: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    /// Every stored row, as text, by what identifies it to a user (trace IDs, file paths, lines), not by the
    /// keys and row IDs a run hands out.
    static func contents(of path: String) throws -> [String: [String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let queries = [
            "logs": """
                SELECT s.path, l.line, l.byte_offset, l.ordinal, t.trace_hi, t.trace_lo, l.span_id, l.time_ns,
                    l.severity, l.severity_text, l.message, l.service, l.sampled, l.attributes
                FROM logs l JOIN sources s USING (source_id) LEFT JOIN traces t USING (trace_key)
                """,
            "spans": """
                SELECT t.trace_hi, t.trace_lo, p.span_id, p.shared, p.parent_span_id, p.service, p.name, p.kind,
                    p.start_ns, p.end_ns, p.status, p.status_message, p.attributes, r.attributes, p.line
                FROM spans p JOIN traces t USING (trace_key) LEFT JOIN resources r USING (resource_id)
                """,
            "span_events": """
                SELECT t.trace_hi, t.trace_lo, e.span_id, e.shared, e.time_ns, e.name, e.attributes
                FROM span_events e JOIN traces t USING (trace_key)
                """,
            "rejects": """
                SELECT s.path, r.line, r.byte_offset, r.ordinal, r.reason, r.raw
                FROM rejects r JOIN sources s USING (source_id)
                """,
            "traces": """
                SELECT trace_hi, trace_lo, lower64_only, dirty, start_ns, end_ns, status, sampled, span_count,
                    log_count, event_count, services, error_class, class_rule, fingerprint, root_service, root_span_id,
                    root_name, root_message
                FROM traces
                """,
            "sources": "SELECT path, state, checkpoint_offset, records, rejects FROM sources",
            // A kill while the search indexes were dropped for the grouped write must not leave them missing.
            "schema": "SELECT type, name, sql FROM sqlite_schema",
        ]
        return try queue.read { db in
            try queries.mapValues { sql in
                try Row.fetchAll(db, sql: sql).map { row in
                    row.databaseValues.map { $0.description }.joined(separator: "|")
                }
            }
        }
    }
}

/// A night big enough that a debug build takes seconds over it: JSON and logfmt service logs (one gzip), with
/// e-mail addresses to scrub, errors, a stack trace, a malformed line per file, and OTLP JSON span lines.
enum KillCorpus {
    static let logFiles = 4
    static let linesPerFile = 12_000
    static let logLines = logFiles * linesPerFile
    static let traces = 3_000

    static func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder + "/logs", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/spans", withIntermediateDirectories: true)
        var random = SplitMix64(seed: 16)
        for file in 0..<logFiles {
            var text = ""
            text.reserveCapacity(linesPerFile * 200)
            for line in 0..<linesPerFile {
                let trace = traceID(Int(random.next() % UInt64(traces)))
                let time = "2026-03-01T10:\(String(format: "%02d", line * 60 / linesPerFile)):00.\(String(format: "%03d", line % 1000))Z"
                let error = random.next() % 50 == 0
                let level = error ? "error" : "info"
                let user = "user\(line % 97)@example.com"
                if line == 7 { text += "{\"time\": broken\n" }
                if file % 2 == 0 {
                    text += "{\"time\":\"\(time)\",\"level\":\"\(level)\",\"service\":\"svc-\(file)\","
                        + "\"trace_id\":\"\(trace)\",\"msg\":\"request \(line) for \(user)"
                        + (error ? " failed: connection refused" : "") + "\"}\n"
                } else {
                    text += "time=\(time) level=\(level) service=svc-\(file) trace_id=\(trace) "
                        + "msg=\"order \(line) by \(user)\(error ? " timed out" : "")\"\n"
                    if error && line % 3 == 0 { text += "\tat com.example.Orders.place(Orders.java:42)\n" }
                }
            }
            let path = folder + "/logs/svc-\(file).log"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            if file == logFiles - 1 {
                let gzip = Process()
                gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
                gzip.arguments = [path]
                try gzip.run()
                gzip.waitUntilExit()
            }
        }
        var spans = ""
        for number in stride(from: 0, to: traces, by: 3) {
            let failed = number % 9 == 0
            let start = 1_772_359_200_000_000_000 + Int64(number) * 1_000_000
            spans += """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc-0"}}]},\
                "scopeSpans":[{"spans":[{"traceId":"\(traceID(number))","spanId":"\(spanID(number))","name":"GET /orders",\
                "kind":2,"startTimeUnixNano":"\(start)","endTimeUnixNano":"\(start + 5_000_000)",\
                "status":{"code":\(failed ? 2 : 1)\(failed ? ",\"message\":\"boom\"" : "")},\
                "events":[{"timeUnixNano":"\(start + 1_000)","name":"cache miss"}]}]}]}]}

                """
        }
        try Data(spans.utf8).write(to: URL(fileURLWithPath: folder + "/spans/otlp.jsonl"))
    }

    static func traceID(_ number: Int) -> String { String(format: "%016llx%016llx", 0x4bf9_2f35_77b3_4da6, number + 1) }
    static func spanID(_ number: Int) -> String { String(format: "%016llx", number + 1) }
}
