import Foundation
import GRDB
import Testing
import TraceJoinTesting

/// Issue #16: what a grouped `batch` must keep true when it is killed or run twice at once (both found by trying the
/// release binary from outside).
@Suite struct GroupedBatchSafetyTests {
    @Test("killed while it adds late logs to an earlier night's traces, then run again: the summaries are a clean run's")
    func lateLogsAfterKill() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = folder.file("n1"), second = folder.file("n2")
        try KillCorpus.write(to: first)
        // The second night: the same requests' logs again, failed now (late logs for the first night's traces).
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        let svc0 = try String(contentsOfFile: first + "/logs/svc-0.log", encoding: .utf8)
        try Data(svc0.replacingOccurrences(of: "\"level\":\"info\"", with: "\"level\":\"error\"").utf8)
            .write(to: URL(fileURLWithPath: second + "/svc-0-late.log"))

        let clean = folder.file("clean.db"), killed = folder.file("killed.db")
        for db in [clean, killed] {
            let run = try CommandRunner.run(["batch", "--quiet", "--db", db, first])
            #expect(run.status == 0, "\(run.standardError)")
        }
        let cleanSecond = try CommandRunner.run(["batch", "--quiet", "--db", clean, first, second])
        #expect(cleanSecond.status == 0, "\(cleanSecond.standardError)")

        let grouped = try Self.count("SELECT count(*) FROM logs WHERE batch_run IS NOT NULL", in: killed)
        let running = try BackgroundCommand.start(
            ["batch", "--quiet", "--db", killed, first, second], in: folder, output: "killed.out")
        defer { running.terminateIfRunning() }
        let writing = BackgroundCommand.waitUntil(seconds: 120, every: 0.005) {
            (try? Self.count("SELECT count(*) FROM logs WHERE batch_run IS NOT NULL", in: killed)) ?? 0 > grouped
                || !running.isRunning
        }
        #expect(writing)
        _ = running.killAndWait()
        let rerun = try CommandRunner.run(["batch", "--quiet", "--db", killed, first, second])
        #expect(rerun.status == 0, "\(rerun.standardError)")

        let summaries = """
            SELECT printf('%016x%016x', trace_hi, trace_lo), dirty, status, span_count, log_count, services, error_class,
                root_service, root_message, start_ns, end_ns
            FROM traces ORDER BY 1
            """
        let want = try Self.rows(summaries, in: clean), got = try Self.rows(summaries, in: killed)
        let differing = zip(want, got).filter { $0 != $1 }
        #expect(want.count == got.count)
        #expect(differing.isEmpty, "\(differing.count) traces differ, e.g. \(differing.prefix(1))")
    }

    @Test("a second batch on a database another batch is writing is refused, and nothing is stored twice")
    func secondBatchRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = folder.file("night")
        try KillCorpus.write(to: input)
        let db = folder.file("night.db")
        let first = try BackgroundCommand.start(["batch", "--quiet", "--db", db, input], in: folder, output: "first.out")
        defer { first.terminateIfRunning() }
        let claimed = BackgroundCommand.waitUntil(seconds: 120, every: 0.01) {
            (try? Self.count("SELECT count(*) FROM runs WHERE undo_from_log_id IS NOT NULL", in: db)) ?? 0 > 0
        }
        #expect(claimed, "the first batch started: \(first.output())")
        let second = try CommandRunner.run(["batch", "--quiet", "--db", db, input])
        // Still running once the second has ended: it ran through the second's whole run.
        let overlapped = first.isRunning
        #expect(BackgroundCommand.waitUntil(seconds: 120) { !first.isRunning }, "the first batch ends")
        if overlapped {
            #expect(second.status == 1)
            #expect(second.standardError.contains("another batch is writing this database"), "\(second.standardError)")
        } else {
            #expect(second.status == 0, "\(second.standardError)")
        }
        #expect(try Self.count("SELECT count(*) FROM logs", in: db) == KillCorpus.logLines)
    }

    @Test("a later night's logs join the stored traces and make the new ones once, lower bits on both sides of 2^63")
    func laterNightJoinsStoredTraces() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var generator = SplitMix64(seed: 16)
        func id() -> (high: UInt64, low: UInt64) { (UInt64.random(in: 1...UInt64.max, using: &generator), .random(in: 0...UInt64.max, using: &generator)) }
        // Stored traces, two of them sharing their lower bits; new ones, one sharing the lower bits of a stored one.
        var stored = (0..<60).map { _ in id() }
        stored.append((stored[0].high &+ 1, stored[0].low))
        var fresh = (0..<60).map { _ in id() }
        fresh.append((stored[1].high &+ 1, stored[1].low))
        func lines(_ ids: [(high: UInt64, low: UInt64)], second: Int) -> String {
            ids.enumerated().map { index, id in
                let trace = String(format: "%016llx%016llx", id.high, id.low)
                return #"{"timestamp":"2026-11-23T10:00:\#(String(format: "%02d", second)).\#(String(format: "%03d", index))Z","level":"info","message":"step","service":"svc","trace_id":"\#(trace)","span_id":"00f067aa0ba902b7"}"#
            }.joined(separator: "\n") + "\n"
        }
        let first = folder.file("n1"), second = folder.file("n2")
        for path in [first, second] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        try Data(lines(stored, second: 1).utf8).write(to: URL(fileURLWithPath: first + "/a.log"))
        try Data(lines(Array(stored.prefix(40)) + fresh, second: 2).utf8).write(to: URL(fileURLWithPath: second + "/b.log"))

        let nightly = folder.file("nightly.db"), once = folder.file("once.db")
        for run in [["--db", nightly, first], ["--db", nightly, second], ["--db", once, first, second]] {
            let result = try CommandRunner.run(["batch", "--quiet"] + run)
            #expect(result.status == 0, "\(result.standardError)")
        }
        let traces = "SELECT printf('%016x%016x', trace_hi, trace_lo), log_count, start_ns, end_ns FROM traces ORDER BY 1"
        let got = try Self.rows(traces, in: nightly)
        #expect(got.count == stored.count + fresh.count)
        #expect(got == (try Self.rows(traces, in: once)))
        #expect(try Self.count("SELECT count(*) FROM traces WHERE log_count = 2", in: nightly) == 40)
    }

    @Test("Datadog-only logs of an earlier night join their full trace when its spans arrive in a later, longer night")
    func datadogLogsJoinLaterTrace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = folder.file("n1"), second = folder.file("n2")
        try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        // Night 1: only a Datadog log (the lower 64 bits, in decimal) of trace …0a00.
        let trace = "00000000000000010000000000000a00"
        try Data(
            "{\"time\":\"2026-03-01T10:00:00.000Z\",\"level\":\"error\",\"service\":\"checkout\",\"dd.trace_id\":\"2560\",\"msg\":\"dd failed\"}\n"
                .utf8
        ).write(to: URL(fileURLWithPath: first + "/checkout.log"))
        // Night 2: its span, and more traffic than one writing batch, so the summaries made while writing run.
        try Data(
            """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},\
            "scopeSpans":[{"spans":[{"traceId":"\(trace)","spanId":"0000000000000001","name":"POST /pay","kind":2,\
            "startTimeUnixNano":"1772359200000000000","endTimeUnixNano":"1772359200100000000","status":{}}]}]}]}

            """.utf8
        ).write(to: URL(fileURLWithPath: second + "/spans.jsonl"))
        var bulk = ""
        for line in 0..<30_000 {
            bulk += "{\"time\":\"2026-03-01T10:00:01.000Z\",\"level\":\"info\",\"service\":\"bulk\","
                + "\"trace_id\":\"\(String(format: "f%031x", line / 3))\",\"msg\":\"bulk \(line)\"}\n"
        }
        try Data(bulk.utf8).write(to: URL(fileURLWithPath: second + "/bulk.log"))

        let db = folder.file("night.db")
        let one = try CommandRunner.run(["batch", "--quiet", "--db", db, first])
        #expect(one.status == 0, "\(one.standardError)")
        let two = try CommandRunner.run(["batch", "--quiet", "--db", db, first, second])
        #expect(two.status == 0, "\(two.standardError)")
        #expect(try Self.count("SELECT count(*) FROM traces WHERE lower64_only = 1", in: db) == 0)
        let stored = try Self.rows(
            "SELECT status, span_count, log_count, dirty FROM traces WHERE printf('%016x%016x', trace_hi, trace_lo) = '\(trace)'",
            in: db)
        #expect(stored == ["\"error\"|1|1|0"], "status, spans, logs, dirty: \(stored)")
    }

    static func count(_ sql: String, in path: String) throws -> Int {
        try rows(sql, in: path).first.flatMap { Int($0) } ?? 0
    }

    static func rows(_ sql: String, in path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { $0.databaseValues.map(\.description).joined(separator: "|") }
        }
    }
}

/// A trace longer than a writing batch can hold is cut (`GroupBatcher`: at 4 × 8,192 rows), so the summaries made
/// while `batch` writes may read it half-written; what is stored in the end must still be its whole summary.
@Suite struct LongTraceBatchTests {
    @Test("a trace of 40,000 logs, cut across writing batches, is summarised whole")
    func longTrace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = folder.file("night")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        let long = "0af7651916cd43dd8448eb211c80319c"
        var text = ""
        for line in 0..<40_000 {
            // A few short traces before and after, so the long one starts and ends inside a batch.
            if line % 10_000 == 0 {
                text += "{\"time\":\"2026-03-01T09:00:00Z\",\"level\":\"error\",\"service\":\"edge\","
                    + "\"trace_id\":\"\(String(format: "%032x", line + 1))\",\"msg\":\"short \(line)\"}\n"
            }
            let time = String(format: "2026-03-01T10:%02d:%02d.%03dZ", line / 60_000 % 60, line / 1000 % 60, line % 1000)
            text += "{\"time\":\"\(time)\",\"level\":\"\(line == 39_999 ? "error" : "info")\",\"service\":\"svc-\(line % 3)\","
                + "\"trace_id\":\"\(long)\",\"msg\":\"step \(line)\"}\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: input + "/app.log"))
        let db = folder.file("long.db")
        let run = try CommandRunner.run(["batch", "--quiet", "--db", db, input])
        #expect(run.status == 0, "\(run.standardError)")
        let query = """
            SELECT dirty, status, log_count, services, start_ns, end_ns, root_message FROM traces
            WHERE printf('%016x%016x', trace_hi, trace_lo) = '\(long)'
            """
        let stored = try GroupedBatchSafetyTests.rows(query, in: db)
        #expect(stored.count == 1)
        #expect(stored.first?.hasPrefix("0|\"error\"|40000|") == true, "\(stored)")
        #expect(stored.first?.hasSuffix("|\"step 39999\"") == true, "\(stored)")
        // The summary pass from the stored rows gives the same.
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in try db.execute(sql: "UPDATE traces SET dirty = 1") }
        let again = try CommandRunner.run(["batch", "--quiet", "--db", db, input])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try GroupedBatchSafetyTests.rows(query, in: db) == stored)
    }
}
