import Foundation
import Testing
import TraceJoinTesting

#if canImport(Glibc)
    import Glibc
#endif

/// Signals sent to `serve` and `tail` before they are ready: an init system or a deploy that stops a
/// service at once must still get a clean exit 0 and a database that the next run and the query commands
/// can use, not death by the signal's default action (143 for SIGTERM).
///
/// Each signal is sent a delay after the process's own code has begun (`hasTakenSignals`): before that it
/// is still in the dynamic loader, where no code of ours can answer a signal (see docs/tailing.md).
@Suite(.serialized) struct EarlySignalTests {
    /// From the first instant (before the rules are loaded) to about when the services are running.
    static let delays: [Double] = [0, 0, 0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.4]

    /// Waits, checking all the time, until `command` runs its own code; then waits `delay` seconds.
    static func waitUntilStarted(_ command: BackgroundCommand, then delay: Double) -> Bool {
        defer { Thread.sleep(forTimeInterval: delay) }
        return BackgroundCommand.waitUntil(seconds: 10, every: 0.0002) { command.hasTakenSignals() }
    }

    static func line(_ number: Int) -> String {
        "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"early-\(number)\"}\n"
    }

    /// The `early-N` messages stored in `tail.db`.
    static func storedMessages(in folder: TemporaryFolder) throws -> [String] {
        try TailCommandTests.allMessages(in: folder, database: "tail.db").filter { $0.hasPrefix("early-") }
    }

    @Test("SIGTERM or SIGINT right after `serve` starts: exit 0, and the database opens")
    func serveStoppedAtOnce() throws {
        for (round, delay) in Self.delays.enumerated() {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let serve = try BackgroundCommand.start(
                ["serve", "--db", "s.db", "--otlp-http", "127.0.0.1:0"], in: folder, output: "serve.out")
            defer { serve.terminateIfRunning() }
            #expect(Self.waitUntilStarted(serve, then: delay))
            let status = serve.stop(interrupt: round % 2 == 1, seconds: 12)
            #expect(status == 0, "round \(round), \(delay) s: exit \(status)\n\(serve.output())")
            let query = try CommandRunner.run(["logs", "--db", "s.db"], in: folder.path)
            #expect(query.status == 0, "round \(round): the database does not open: \(query.standardError)")
        }
    }

    @Test("SIGTERM right after `tail` starts, again and again: exit 0 each time, and no line lost or repeated")
    func tailStoppedAtOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        let arguments = ["tail", "--db", "tail.db", "--poll-interval", "20", log]
        var written = 0
        for (round, delay) in Self.delays.enumerated() {
            try TailCommandTests.append(((written + 1)...(written + 50)).map(Self.line).joined(), to: log)
            written += 50
            let tail = try BackgroundCommand.start(arguments, in: folder, output: "tail-\(round).out")
            defer { tail.terminateIfRunning() }
            #expect(Self.waitUntilStarted(tail, then: delay))
            let status = tail.stop(interrupt: round % 2 == 1, seconds: 12)
            #expect(status == 0, "round \(round), \(delay) s: exit \(status)\n\(tail.output())")
        }
        // A last run reads what the stopped ones left, from their checkpoints.
        let last = try BackgroundCommand.start(arguments, in: folder, output: "tail-last.out")
        defer { last.terminateIfRunning() }
        #expect(try BackgroundCommand.waitUntil { try Self.storedMessages(in: folder).count >= written })
        #expect(last.stop() == 0)
        let messages = try Self.storedMessages(in: folder)
        #expect(messages.count == written)
        #expect(Set(messages) == Set((1...written).map { "early-\($0)" }))
    }

    @Test("SIGHUP before `tail` is ready does not end it; SIGTERM afterwards exits 0")
    func tailHangUpAtOnce() throws {
        for (round, delay) in [0, 0, 0.02, 0.1].enumerated() {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.file("app.log")
            try TailCommandTests.append(Self.line(1), to: log)
            let tail = try BackgroundCommand.start(
                ["tail", "--db", "tail.db", "--poll-interval", "20", log], in: folder, output: "tail.out")
            defer { tail.terminateIfRunning() }
            #expect(Self.waitUntilStarted(tail, then: delay))
            tail.send(SIGHUP)
            #expect(
                try BackgroundCommand.waitUntil(seconds: 10) { try Self.storedMessages(in: folder) == ["early-1"] },
                "round \(round): \(tail.output())")
            let status = tail.stop()
            #expect(status == 0, "round \(round), \(delay) s: tail did not survive an early SIGHUP: \(status)")
        }
    }
}
