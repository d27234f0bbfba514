import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// With inotify, a line written to a followed file is stored at once, not at the next poll interval; with
/// `pollOnly` it waits for the interval. Same files, same lines: only the timing differs.
@Suite(.serialized) struct TailWakeupTests {
    /// Runs a runner on its own thread with a 10 s poll interval, writes one line after its first poll, and
    /// measures how long until the line is queryable (nil: not within `patience`).
    static func secondsUntilStored(pollOnly: Bool, patience: Double) throws -> (seconds: Double?, wakesOnEvents: Bool) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("logs/app.log")
        try FileManager.default.createDirectory(atPath: folder.file("logs"), withIntermediateDirectories: true)
        var configuration = TailRunConfiguration(patterns: [folder.file("logs/*.log")])  // no file yet
        configuration.databasePath = folder.file("tail.db")
        configuration.pollInterval = .seconds(10)
        configuration.pollOnly = pollOnly
        let runner = try TailRunner(configuration: configuration, store: try IncidentStore(path: configuration.databasePath))
        let stop = TailStopSignal()
        let firstPoll = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        // A dispatch worker rather than a `Thread` of its own: no thread exits while the test process runs on.
        DispatchQueue.global().async {
            var first = true
            try? runner.run(until: stop) { _ in
                if first { firstPoll.signal() }
                first = false
            }
            finished.signal()
        }
        defer {
            stop.stop()
            finished.wait()
        }
        firstPoll.wait()
        Thread.sleep(forTimeInterval: 0.2)  // well inside the 10 s interval

        let written = Date()
        // A file created after the first poll, in a folder the glob names: the creation and the write are events.
        try "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"wake up\"}\n"
            .write(toFile: log, atomically: false, encoding: .utf8)
        let store = try IncidentStore.openExisting(path: configuration.databasePath)
        while Date().timeIntervalSince(written) < patience {
            if try store.counts().logs == 1 { return (Date().timeIntervalSince(written), runner.wakesOnEvents) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return (nil, runner.wakesOnEvents)
    }

    @Test("with inotify a written line is queryable within about a second (hold-back 1 s), despite a 10 s poll interval")
    func eventWakesThePoll() throws {
        #if os(Linux)
            // The next poll would come 9.8 s after the write: stored before 8 s, the event woke it. Alone this takes
            // about 1.1 s (the JSON record is held 1 s for continuation lines, then written at that deadline); in
            // CI, beside the other suites on two cores, a run took over 5 s.
            let measured = try Self.secondsUntilStored(pollOnly: false, patience: 8)
            #expect(measured.wakesOnEvents)
            let seconds = try #require(measured.seconds, "not stored within 8 s")
            #expect(seconds < 8)
        #endif
    }

    @Test("--poll-only waits for the poll interval: the same line is not stored within 3 s of a 10 s interval")
    func pollOnlyWaits() throws {
        let measured = try Self.secondsUntilStored(pollOnly: true, patience: 3)
        #expect(!measured.wakesOnEvents)
        #expect(measured.seconds == nil)
    }
}
