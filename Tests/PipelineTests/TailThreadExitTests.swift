import Foundation
import Pipeline
import Rules
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tail`, `serve` and the finalizer run on `Thread`s of their own that end at shutdown. A runner that summarised
/// traces (`TraceFinalizer`) on such a thread, which then exited, used to corrupt the heap: glibc aborted the
/// whole process ("tcache_thread_shutdown: unaligned tcache chunk detected") at a later thread exit. Many
/// runners, each on a thread that ends, in one process: every line is stored and the process lives on.
@Suite(.serialized) struct TailThreadExitTests {
    static let rounds = 60
    static let linesPerRound = 200

    /// Runs one runner with the shipped rules over a file of `linesPerRound` traced lines, on a `Thread` that
    /// ends when the runner returns; gives the number of records the runner wrote. The runner, its store and the
    /// files are released at once, while that thread is still ending: that overlap is what went wrong.
    static func tailOnceOnAThreadThatEnds(round: Int, pollOnly: Bool) throws -> Int {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text = (0..<linesPerRound).map { index in
            "2026-03-01T10:00:\(String(format: "%02d", index % 60))Z INFO request \(round)-\(index) for jane.doe@example.com"
                + " trace_id=4bf92f3577b34da6a3ce929d0e07\(String(format: "%04x", index))\n"
        }.joined()
        try text.write(toFile: folder.file("app.log"), atomically: false, encoding: .utf8)
        var configuration = TailRunConfiguration(patterns: [folder.file("*.log")])
        configuration.databasePath = folder.file("tail.db")
        configuration.holdBack = .zero
        configuration.pollInterval = .milliseconds(10)
        configuration.pollOnly = pollOnly
        configuration.rules = RulesInForce(.init(scrubber: try Scrubber.load()))
        let runner = try TailRunner(configuration: configuration, store: try IncidentStore(path: configuration.databasePath))
        let stop = TailStopSignal()
        let polled = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            try? runner.run(until: stop) { _ in polled.signal() }
            finished.signal()
        }
        thread.start()
        polled.wait()  // the first poll reads the whole file
        polled.wait()  // a second one, as a long-running tail would
        stop.stop()
        finished.wait()  // the runner has finalized its traces; the thread now ends while all is released
        return runner.counts.recordsWritten
    }

    @Test("runners on threads that end, one after another in one process, store every line", arguments: [false, true])
    func runnersOnEndingThreads(pollOnly: Bool) throws {
        for round in 0..<Self.rounds {
            #expect(try Self.tailOnceOnAThreadThatEnds(round: round, pollOnly: pollOnly) == Self.linesPerRound)
        }
    }
}
