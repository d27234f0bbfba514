import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The numbers `tracejoin tail` reports (through swift-metrics, and kept on `TailRunner.counts`): files
/// followed, bytes behind per file, lines read and cut, records written.
@Suite struct TailMetricsTests {
    static func line(_ message: String) -> String {
        "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"\(message)\"}\n"
    }

    @Test("files followed, bytes behind a half-written line, lines read and cut, records written; a closed file's entry goes")
    func countsFollowTheFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let a = folder.file("a.log")
        let b = folder.file("b.log")
        let partial = "{\"time\":\"2026-03-01T10:00:00Z\",\"msg\":\"not finished"
        try (Self.line("a1") + Self.line("a2") + partial).write(toFile: a, atomically: false, encoding: .utf8)
        let long = String(repeating: "x", count: (1 << 20) + 100)
        try (Self.line("b1") + Self.line(long)).write(toFile: b, atomically: false, encoding: .utf8)
        var configuration = TailRunConfiguration(patterns: [folder.file("*.log")])
        configuration.databasePath = folder.file("tail.db")
        configuration.holdBack = .zero
        configuration.rotatedGrace = .zero
        let runner = try TailRunner(configuration: configuration, store: try IncidentStore(path: configuration.databasePath))
        try runner.pollAll()

        var counts = runner.counts
        #expect(counts.filesFollowed == 2)
        #expect(counts.bytesBehind == [a: Int64(partial.utf8.count), b: 0])
        #expect(counts.lines == 4)
        #expect(counts.linesCut == 1)
        let stored = try IncidentStore.openExisting(path: configuration.databasePath).counts()
        #expect(counts.recordsWritten == stored.logs + stored.rejects)
        #expect(counts.recordsWritten == 4)

        // The writer finishes its line; then b.log is deleted and closed after its (zero) grace.
        try FileHandle(forWritingAtPath: a).map { handle in
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\"}\n".utf8))
            try handle.close()
        }
        try FileManager.default.removeItem(atPath: b)
        try runner.pollAll()
        try runner.pollAll()
        counts = runner.counts
        #expect(counts.filesFollowed == 1)
        #expect(counts.bytesBehind == [a: 0])
        #expect(counts.lines == 5)
        #expect(counts.recordsWritten == 5)
    }
}
