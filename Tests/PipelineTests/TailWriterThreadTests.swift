import Foundation
import GRDB
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tracejoin tail` commits on a writer thread fed through a bounded queue: a writer that cannot write holds
/// the reading back instead of piling batches up, and a writer that fails ends the run with its error, with
/// no checkpoint past the rows that were lost.
@Suite struct TailWriterThreadTests {
    typealias Setup = TailRunnerTests.Setup

    static func runner(_ setup: Setup, linesPerTransaction: Int = 8192, queuedBatches: Int = 3) throws -> TailRunner {
        var configuration = TailRunConfiguration(patterns: [setup.log])
        configuration.databasePath = setup.database
        configuration.holdBack = .zero
        configuration.pollInterval = .milliseconds(20)
        configuration.linesPerTransaction = linesPerTransaction
        configuration.queuedBatches = queuedBatches
        return try TailRunner(configuration: configuration, store: try IncidentStore(path: setup.database))
    }

    /// Runs `runner` on a thread of its own until `stop` is set or it fails; the outcome tells how it ended.
    static func start(
        _ runner: TailRunner, stop: TailStopSignal, onPoll: @escaping @Sendable () -> Void = {}
    ) -> RunOutcome {
        let outcome = RunOutcome()
        let thread = Thread {
            outcome.set(Result { try runner.run(until: stop) { _ in onPoll() } })
        }
        thread.start()
        return outcome
    }

    @Test("a write that fails on the writer thread ends run(until:) with its error; a restart stores every line once")
    func writeFailureEndsTheRun() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...3)
        let runner = try Self.runner(setup)
        try runner.pollAll()  // outside a run: written at once, and the file's source is registered
        // A real SQLite failure inside the writer's transaction: another connection refuses inserts into `logs`.
        let other = try DatabaseQueue(path: setup.database, configuration: .waitingForLocks)
        try other.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        try setup.append(4...6)
        let stop = TailStopSignal()
        let outcome = Self.start(runner, stop: stop)
        // Never stopped: the failure alone must end the run.
        let result = try #require(outcome.wait(seconds: 20), "run(until:) did not return after the write failed")
        #expect(throws: (any Error).self) { try result.get() }
        #expect(String(describing: result).contains("refused"))
        #expect(throws: (any Error).self, "a runner that lost queued rows refuses to go on") { try runner.pollAll() }
        #expect(try setup.messages() == setup.expected(1...3))

        try other.write { db in try db.execute(sql: "DROP TRIGGER refuse") }
        let restarted = try Self.runner(setup)
        try restarted.pollAll()
        #expect(restarted.counts.lines == 3, "the restart reads lines 4–6 again: no checkpoint ran ahead of them")
        #expect(try setup.messages() == setup.expected(1...6))
    }

    @Test("a writer that cannot write holds the poller back after queuedBatches batches; nothing is lost after")
    func fullQueueBlocksThePoller() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...1)
        let runner = try Self.runner(setup, linesPerTransaction: 10, queuedBatches: 1)
        try runner.pollAll()  // registers the file's source now, so the run below needs the write lock only to commit
        try setup.append(2...1000)

        // Another connection holds SQLite's write lock: the writer thread waits in its first transaction.
        let other = try DatabaseQueue(path: setup.database, configuration: .waitingForLocks)
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
        }
        holder.start()
        locked.wait()

        let stop = TailStopSignal()
        let polled = DispatchSemaphore(value: 0)
        let outcome = Self.start(runner, stop: stop) { polled.signal() }
        // 999 lines are 100 batches of 10: with room for one batch, the first poll cannot end while the writer
        // is stuck (an unbounded queue would take them all and report the poll).
        #expect(polled.wait(timeout: .now() + 1) == .timedOut, "the poller read on while nothing could be written")
        release.signal()
        #expect(polled.wait(timeout: .now() + 20) == .success)
        stop.stop()
        let result = try #require(outcome.wait(seconds: 20))
        try result.get()
        #expect(runner.counts.recordsWritten == 1000)
        #expect(try setup.messages() == setup.expected(1...1000))
    }
}

/// How a run on another thread ended.
final class RunOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Void, any Error>?
    private let ended = DispatchSemaphore(value: 0)

    func set(_ result: Result<Void, any Error>) {
        lock.withLock { self.result = result }
        ended.signal()
    }

    /// How the run ended, or nil if it has not within `seconds`.
    func wait(seconds: Double) -> Result<Void, any Error>? {
        guard ended.wait(timeout: .now() + seconds) == .success else { return nil }
        return lock.withLock { result }
    }
}
