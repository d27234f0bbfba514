import Foundation
import Normalize
import Pipeline
import Rules
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `RulesInForce.replace` (what SIGHUP calls) from another thread while a `TailRunner` that holds it polls on its
/// own: from the next poll on, records are scrubbed with the new rules, and files opened from then on find trace
/// context with the new patterns; a file already open keeps its decoder.
@Suite struct TailRulesReloadTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0736a1"

    static func line(_ name: String) -> String {
        "2026-03-01T10:00:00Z INFO \(name) for jane.doe@example.com order=\(trace)\n"
    }

    /// Polls completed by the runner's thread.
    final class PollCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    static func waitUntil(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try condition()
    }

    @Test("rules replaced from another thread apply at the next poll; new files get the new trace-context patterns")
    func replacedWhileRunning() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = folder.file("tail.db")
        try Self.append(Self.line("before"), to: folder.file("a.log"))
        var configuration = TailRunConfiguration(patterns: [folder.file("*.log")])
        configuration.databasePath = database
        configuration.holdBack = .zero
        configuration.pollInterval = .milliseconds(10)
        let rules = RulesInForce(.init())
        configuration.rules = rules
        let runner = try TailRunner(configuration: configuration, store: try IncidentStore(path: database))
        let stop = TailStopSignal()
        let finished = DispatchSemaphore(value: 0)
        let polls = PollCount()
        DispatchQueue.global().async {
            try? runner.run(until: stop) { _ in polls.add() }
            finished.signal()
        }
        defer {
            stop.stop()
            finished.wait()
        }
        let store = try IncidentStore.openExisting(path: database)
        func messages() throws -> [String] {
            try store.debugRows("logs").compactMap { row in
                ["before", "after-old-file", "after-new-file"].first { row.contains($0) }.map { name in
                    name + (row.contains("jane.doe@example.com") ? " raw" : " scrubbed")
                        + (row.contains("trace_key:NULL") ? "" : " traced")
                }
            }
        }
        #expect(try Self.waitUntil { try messages() == ["before raw"] })

        rules.replace(
            .init(
                scrubber: try Scrubber.load(), classifier: .builtIn,
                traceContextPatterns: TraceContextRules.builtIn + [TraceContextPattern(name: "user.order", traceKey: "order=")]))
        // A poll that began after the call has ended: the rules are in force.
        let called = polls.value
        #expect(Self.waitUntil { polls.value >= called + 2 })
        try Self.append(Self.line("after-old-file"), to: folder.file("a.log"))
        try Self.append(Self.line("after-new-file"), to: folder.file("b.log"))
        #expect(try Self.waitUntil { try messages().count == 3 })
        #expect(
            try Set(messages()) == ["before raw", "after-old-file scrubbed", "after-new-file scrubbed traced"])
    }
}
