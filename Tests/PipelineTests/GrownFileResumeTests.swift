import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Nightly re-runs over a folder whose log files grew, were rotated or truncated since the last run:
/// every line is stored exactly once, with the line number a reader from the start would give it.
@Suite struct GrownFileResumeTests {
    @Test("a log file that grew is read on from its checkpoint: old lines once, new lines and rejects numbered on")
    func grownFile() throws {
        let night = try NightlyFolder()
        try night.write(
            "app.log",
            NightlyFolder.line("one", second: 1) + NightlyFolder.cutLine + NightlyFolder.line("two", second: 2))
        let first = try night.batch()
        #expect(first.logs == 2)
        let firstSize = try #require(
            try FileManager.default.attributesOfItem(atPath: night.path("app.log"))[.size] as? Int64)

        try night.append(
            "app.log",
            NightlyFolder.line("three", second: 3) + NightlyFolder.cutLine + NightlyFolder.line("four", second: 4))
        let second = try night.batch()
        // Decoded again: the last record of the first run (it might have gone on), then the new lines.
        #expect(second.logs == 3)
        #expect(second.rejects == 1)
        #expect(second.filesResumed == 1)
        #expect(second.bytesResumedPast == firstSize - Int64(NightlyFolder.line("two", second: 2).utf8.count))
        #expect(second.text.contains("1 resumed"))
        #expect(try night.logs() == ["app.log:1 one", "app.log:3 two", "app.log:4 three", "app.log:6 four"])
        #expect(try night.rejects() == ["app.log:2", "app.log:5"])
        #expect(try night.store.counts().sources == 1)

        let third = try night.batch()
        #expect(third.filesSkipped == 1)
        #expect(third.logs == 0)
        #expect(try night.logs().count == 4)
    }

    @Test("rotation by rename: the renamed file continues its source, the new file is a new source")
    func renameRotation() throws {
        let night = try NightlyFolder()
        try night.write("app.log", NightlyFolder.line("one", second: 1) + NightlyFolder.line("two", second: 2))
        try night.batch()

        // Written to after the last run, then renamed by logrotate; a new app.log is created.
        try night.append("app.log", NightlyFolder.line("three", second: 3))
        try night.rename("app.log", to: "app.log.1")
        try night.write(
            "app.log", NightlyFolder.line("fresh one", second: 10) + NightlyFolder.line("fresh two", second: 11))
        let second = try night.batch()
        #expect(second.filesResumed == 1)
        #expect(second.logs == 4, "two (the last record read), three, and the new file's two")
        #expect(
            try night.logs() == [
                "app.log.1:1 one", "app.log.1:2 two", "app.log.1:3 three", "app.log:1 fresh one", "app.log:2 fresh two",
            ])
        #expect(try night.store.counts().sources == 2)

        // Rotated again without growing: both are skipped as they are.
        try night.rename("app.log.1", to: "app.log.2")
        try night.rename("app.log", to: "app.log.1")
        let third = try night.batch()
        #expect(third.filesSkipped == 2)
        #expect(
            try night.logs() == [
                "app.log.1:1 fresh one", "app.log.1:2 fresh two", "app.log.2:1 one", "app.log.2:2 two",
                "app.log.2:3 three",
            ], "skipped files are named as they are now")
    }

    @Test("copytruncate: the copy is skipped, the truncated file's new lines are a new source")
    func copyTruncate() throws {
        let night = try NightlyFolder()
        try night.write(
            "app.log",
            NightlyFolder.line("one", second: 1) + NightlyFolder.line("two", second: 2)
                + NightlyFolder.line("three", second: 3))
        try night.batch()

        try FileManager.default.copyItem(atPath: night.path("app.log"), toPath: night.path("app.log.1"))
        try night.write("app.log", NightlyFolder.line("after", second: 9))
        let second = try night.batch()
        #expect(second.filesSkipped == 1)
        #expect(second.filesResumed == 0)
        #expect(second.logs == 1)
        #expect(try night.logs() == ["app.log.1:1 one", "app.log.1:2 two", "app.log.1:3 three", "app.log:1 after"])
        #expect(try night.store.counts().sources == 2)
    }

    @Test("copytruncate, then the live file outgrows its old size: still a new source, nothing stored twice")
    func copyTruncateThenGrow() throws {
        let night = try NightlyFolder()
        try night.write("app.log", NightlyFolder.line("one", second: 1))
        try night.batch()
        try night.write(
            "app.log", NightlyFolder.line("other one", second: 5) + NightlyFolder.line("other two", second: 6))
        let second = try night.batch()
        #expect(second.filesResumed == 0)
        #expect(try night.logs() == ["app.log:1 one", "app.log:1 other one", "app.log:2 other two"])
    }

    @Test("an unterminated last line is stored, and once finished is stored again whole, not twice")
    func unterminatedLastLine() throws {
        let night = try NightlyFolder()
        let whole = NightlyFolder.line("two, finished later", second: 2)
        let cutAt = whole.index(whole.startIndex, offsetBy: 20)
        try night.write("app.log", NightlyFolder.line("one", second: 1) + String(whole[..<cutAt]))
        let first = try night.batch()
        #expect(first.rejects == 1, "the half-written JSON line is rejected for now")
        #expect(try night.rejects() == ["app.log:2"])

        try night.append("app.log", String(whole[cutAt...]) + NightlyFolder.line("three", second: 3))
        let second = try night.batch()
        #expect(second.filesResumed == 1)
        #expect(try night.logs() == ["app.log:1 one", "app.log:2 two, finished later", "app.log:3 three"])
        #expect(try night.rejects().isEmpty, "the finished line replaces its half")
    }

    @Test("an unterminated plain text line keeps its row and takes its finished text")
    func unterminatedTextLine() throws {
        let night = try NightlyFolder()
        try night.write(
            "worker.log", "2026-11-23 01:40:21,274 INFO [w] - first\n2026-11-23 01:40:22,000 INFO [w] - sec")
        try night.batch()
        #expect(try night.logs() == ["worker.log:1 [w] - first", "worker.log:2 [w] - sec"])
        try night.append("worker.log", "ond\n2026-11-23 01:40:23,000 INFO [w] - third\n")
        try night.batch()
        #expect(
            try night.logs() == ["worker.log:1 [w] - first", "worker.log:2 [w] - second", "worker.log:3 [w] - third"])
    }

    @Test("a stack trace at the end of the first run stays one record; the lines after it are new records")
    func stackTraceAtEnd() throws {
        let night = try NightlyFolder()
        let error = """
            2026-11-23 01:51:26,180 INFO [w] - received order 1
            2026-11-23 01:51:26,181 ERROR [w] - could not cache order 1
            Traceback (most recent call last):
              File "/app/worker.py", line 97, in reserve_stock
                cache.set(key, payload)
            redis.exceptions.ResponseError: OOM command not allowed

            """
        try night.write("worker.log", error)
        let first = try night.batch()
        #expect(first.logs == 2)
        try night.append("worker.log", "2026-11-23 01:52:00,000 INFO [w] - received order 2\n")
        let second = try night.batch()
        #expect(second.logs == 2, "the error record, read again from its first line, and the new one")
        let stored = try night.store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 100)
        #expect(stored.map(\.origin.line) == [1, 2, 7])
        let failure = try #require(stored.first { $0.severity == .error })
        #expect(failure.message.contains("could not cache order 1"))
        #expect(stored.count(where: { $0.severity == .error }) == 1)
    }

    @Test("a copy of a file in the same run is skipped, even before the first one's progress is committed")
    func copyInSameRun() throws {
        let night = try NightlyFolder()
        let text = NightlyFolder.line("one", second: 1) + NightlyFolder.line("two", second: 2)
        try night.write("app.log", text)
        try night.write("copy.log", text)
        let summary = try night.batch()
        #expect(summary.filesSkipped == 1)
        #expect(try night.logs().count == 2)
    }

    @Test("a stack trace still being written when the first run read it is completed by the next, in one record")
    func stackTraceCompletedLater() throws {
        let night = try NightlyFolder()
        try night.write(
            "worker.log",
            """
            2026-11-23 01:51:26,181 ERROR [w] - could not cache order 1
            Traceback (most recent call last):
              File "/app/worker.py", line 97, in reserve_stock

            """)
        try night.batch()
        try night.append(
            "worker.log",
            """
                cache.set(key, payload)
            redis.exceptions.ResponseError: OOM command not allowed
            2026-11-23 01:52:00,000 INFO [w] - received order 2

            """)
        try night.batch()
        let stored = try night.store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 100)
        #expect(stored.map(\.origin.line) == [1, 6])
        #expect(stored.first?.message.hasSuffix("redis.exceptions.ResponseError: OOM command not allowed") == true)
    }

    @Test("a container log line split in CRI pieces across two runs is one record, and its half is not kept")
    func containerPiecesAcrossRuns() throws {
        let night = try NightlyFolder()
        try night.write(
            "api.log",
            #"2026-11-23T10:00:00.100000000Z stdout F {"level":"info","msg":"first"}"# + "\n"
                + #"2026-11-23T10:00:01.000000000Z stdout P {"level":"info","msg":"second half"# + "\n")
        try night.batch()
        #expect(try night.rejects() == ["api.log:2"], "the lone piece is not JSON yet")
        try night.append(
            "api.log",
            #"2026-11-23T10:00:01.000000001Z stdout F  is here"}"# + "\n"
                + #"2026-11-23T10:00:02.000000000Z stdout F {"level":"info","msg":"third"}"# + "\n")
        try night.batch()
        #expect(try night.logs() == ["api.log:1 first", "api.log:2 second half is here", "api.log:4 third"])
        #expect(try night.rejects().isEmpty)
    }
}
