import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tracejoin tail` in-process, driven poll by poll (no sleeps): lines appended to a followed file reach the
/// database, rotation and restarts lose and repeat nothing, and a record held back when the process dies is
/// read again after the restart.
@Suite struct TailRunnerTests {
    /// A folder with a log file and a database, and runners over them.
    struct Setup {
        let folder: TemporaryFolder
        var database: String { folder.file("tail.db") }
        var log: String { folder.file("app.log") }

        init() throws { folder = try TemporaryFolder() }

        func runner(holdBack: Duration = .zero) throws -> TailRunner {
            var configuration = TailRunConfiguration(patterns: [folder.file("app.log*")])
            configuration.databasePath = database
            configuration.holdBack = holdBack
            configuration.rotatedGrace = .zero
            return try TailRunner(configuration: configuration, store: try IncidentStore(path: database))
        }

        func append(_ numbers: ClosedRange<Int>, to path: String? = nil) throws {
            let text = numbers.map { Self.line($0) }.joined()
            let path = path ?? log
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try #require(FileHandle(forWritingAtPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        }

        static func line(_ number: Int) -> String {
            "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"line-\(number)\"}\n"
        }

        /// Every stored message, sorted by line number in its message.
        func messages() throws -> [String] {
            try IncidentStore.openExisting(path: database)
                .uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 100_000)
                .map(\.message)
                .sorted { Int($0.dropFirst(5))! < Int($1.dropFirst(5))! }
        }

        func expected(_ numbers: ClosedRange<Int>) -> [String] { numbers.map { "line-\($0)" } }
    }

    @Test("lines appended to a followed file are stored as they come")
    func appended() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        let runner = try setup.runner()
        try runner.pollAll()
        #expect(try setup.messages() == setup.expected(1...3))
        try setup.append(4...5)
        try runner.pollAll()
        #expect(try setup.messages() == setup.expected(1...5))
        #expect(runner.counts.lines == 5)
    }

    @Test("a line with no time of its own is stamped with the time it was read, and marked so")
    func untimedLineGetsReadTime() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try "{\"level\":\"info\",\"msg\":\"no time here\"}\n".write(toFile: setup.log, atomically: true, encoding: .utf8)
        let before = Int64(Date().timeIntervalSince1970 * 1e9)
        let runner = try setup.runner()
        try runner.pollAll()
        let after = Int64(Date().timeIntervalSince1970 * 1e9)
        let log = try #require(
            try IncidentStore.openExisting(path: setup.database).uncorrelatedLogs(
                service: nil, since: nil, until: nil, limit: 10
            ).first)
        let time = try #require(log.time)
        #expect(time >= before - 1_000_000_000 && time <= after + 1_000_000_000)
        #expect(log.attributes[key: "tracejoin.time_observed"] == .bool(true))
    }

    @Test("rotation by rename and create while running loses nothing and repeats nothing")
    func rotation() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        let runner = try setup.runner()
        try runner.pollAll()
        try setup.append(4...6)
        try FileManager.default.moveItem(atPath: setup.log, toPath: setup.log + ".1")
        try setup.append(7...9)
        try runner.pollAll()
        try runner.pollAll()
        #expect(try setup.messages() == setup.expected(1...9))
    }

    @Test("a restart from the stored checkpoints reads only the lines appended since")
    func restart() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...4)
        let stop = TailStopSignal()
        // Stopped after its first poll (as SIGTERM would): what it holds is written and checkpointed.
        try setup.runner(holdBack: .seconds(3600)).run(until: stop) { _ in stop.stop() }
        #expect(try setup.messages() == setup.expected(1...4))
        try setup.append(5...6)
        let second = try setup.runner()
        try second.pollAll()
        #expect(second.counts.lines == 2)
        #expect(try setup.messages() == setup.expected(1...6))
    }

    @Test("a record held back when the process dies is read again after the restart, and stored once")
    func heldBackRecordSurvivesACrash() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        let crashed = try setup.runner(holdBack: .seconds(3600))
        try crashed.pollAll()
        // The last record waits for the next one (it may go on): not stored, and the checkpoint is before it.
        #expect(try setup.messages() == setup.expected(1...2))
        // The process dies here: nothing more is written by it.
        try setup.append(4...5)
        let restarted = try setup.runner()
        try restarted.pollAll()
        #expect(restarted.counts.lines == 3)  // line 3 again, then 4 and 5
        #expect(try setup.messages() == setup.expected(1...5))
    }

    @Test("a copytruncate rotation stores the new content under a new source, not over the old rows")
    func copyTruncate() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        let runner = try setup.runner()
        try runner.pollAll()
        // Same inode, content replaced from offset 0: its rows must not collide with lines 1–3's keys.
        try Data().write(to: URL(fileURLWithPath: setup.log))
        try setup.append(4...5)
        try runner.pollAll()
        #expect(try setup.messages() == setup.expected(1...5))
        let store = try IncidentStore.openExisting(path: setup.database)
        #expect(try store.counts().sources == 2)
    }

    @Test("a copytruncate seen while the file is empty, then a crash: the new content gets a new source after the restart")
    func copyTruncateThenCrash() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        let crashed = try setup.runner()
        try crashed.pollAll()
        // Truncated, and polled while still empty: the checkpoint committed is the new content's, at 0.
        try Data().write(to: URL(fileURLWithPath: setup.log))
        try crashed.pollAll()
        // The process dies here. Lines of the same length land at the same offsets as lines 1 and 2: under the
        // old source they would have the old rows' keys and be dropped.
        try setup.append(4...5)
        let restarted = try setup.runner()
        try restarted.pollAll()
        #expect(try setup.messages() == setup.expected(1...5))
        #expect(try IncidentStore.openExisting(path: setup.database).counts().sources == 2)
    }

    @Test("a record held back when its file is copytruncated, then a crash: stored once, from the old content")
    func heldBackRecordOfACopyTruncate() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        let crashed = try setup.runner(holdBack: .seconds(3600))
        try crashed.pollAll()
        #expect(try setup.messages() == setup.expected(1...2))  // line 3 is held back
        // copytruncate, the copy matching the glob: the copy is started where line 3 ended, so line 3 is
        // read from nowhere else.
        try FileManager.default.copyItem(atPath: setup.log, toPath: setup.log + ".1")
        try Data().write(to: URL(fileURLWithPath: setup.log))
        try crashed.pollAll()
        // The process dies here.
        try setup.append(4...5)
        let restarted = try setup.runner()
        try restarted.pollAll()
        #expect(try setup.messages() == setup.expected(1...5))
    }

    @Test("--from end skips what files held at the first start, and reads what is appended after")
    func fromEnd() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        var configuration = TailRunConfiguration(patterns: [setup.log])
        configuration.databasePath = setup.database
        configuration.holdBack = .zero
        configuration.startAtEnd = true
        let runner = try TailRunner(configuration: configuration, store: try IncidentStore(path: setup.database))
        try runner.pollAll()
        try setup.append(4...5)
        try runner.pollAll()
        #expect(try setup.messages() == setup.expected(4...5))
    }

    @Test("traces of tailed lines are summarised while it runs, so show finds them")
    func tracesSummarised() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        let trace = "4bf92f3577b34da6a3ce929d0e0736a1"
        try Data(
            ("{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"start\",\"trace_id\":\"\(trace)\"}\n"
                + "{\"time\":\"2026-03-01T10:00:01Z\",\"level\":\"error\",\"msg\":\"boom\",\"trace_id\":\"\(trace)\"}\n")
                .utf8
        ).write(to: URL(fileURLWithPath: setup.log))
        var configuration = TailRunConfiguration(patterns: [setup.log])
        configuration.databasePath = setup.database
        configuration.holdBack = .zero
        configuration.finalizeInterval = .zero
        configuration.traceIdle = .zero
        let runner = try TailRunner(configuration: configuration, store: try IncidentStore(path: setup.database))
        try runner.pollAll()
        try runner.finalizeIfDue()
        let store = try IncidentStore.openExisting(path: setup.database)
        let incidents = try store.incidents(IncidentFilter(limit: 10))
        #expect(incidents.map(\.traceID.hex) == [trace])
    }
}
