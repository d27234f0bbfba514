import Foundation
import Testing
import TraceJoinTesting

/// `tracejoin tail` as a user runs it: a background process stopped by SIGTERM (exit 0) or killed with
/// SIGKILL, with `show` and `logs` querying the database while it runs. Waits poll with a deadline.
@Suite struct TailCommandTests {
    static func line(_ number: Int) -> String {
        "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"line-\(number)\"}\n"
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    static func append(_ numbers: ClosedRange<Int>, to path: String) throws {
        try append(numbers.map(line).joined(), to: path)
    }

    /// Starts `tracejoin tail` in the background, its output to a file.
    static func startTail(_ arguments: [String], in folder: TemporaryFolder) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.executablePath)
        process.arguments = ["tail"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        _ = FileManager.default.createFile(atPath: folder.file("tail.out"), contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.file("tail.out")))
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The messages of the uncorrelated logs stored (duplicates kept).
    static func storedMessages(in folder: TemporaryFolder) throws -> [String] {
        let result = try CommandRunner.run(["logs", "--db", "tail.db", "--limit", "100000"], in: folder.path)
        guard result.status == 0 else { return [] }
        return result.standardOutput.split(separator: "\n").compactMap { row in
            row.split(separator: " ").last.map(String.init).flatMap { $0.hasPrefix("line-") ? $0 : nil }
        }
    }

    static func stop(_ process: Process, interrupt: Bool = false) -> Bool {
        if interrupt { process.interrupt() } else { process.terminate() }  // SIGINT, SIGTERM
        return BackgroundCommand.waitUntil(seconds: 15) { !process.isRunning }
    }

    @Test("kill -9 at random points of a growing, rotating file, then a restart: every line is stored exactly once")
    func killNine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        let arguments = ["--db", "tail.db", "--poll-interval", "20", folder.file("app.log*")]
        var written = 0
        var stored = 0
        for round in 1...3 {
            try Self.append((written + 1)...(written + 200), to: log)
            written += 200
            let tail = try Self.startTail(arguments, in: folder)
            // Some progress in every round, so each kill lands while lines are being read and written.
            #expect(try BackgroundCommand.waitUntil { try Self.storedMessages(in: folder).count > stored })
            try Self.append((written + 1)...(written + 300), to: log)
            written += 300
            if round == 2 {
                // Rotated while running (rename + create): the renamed file is finished from its descriptor.
                try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
                try Self.append((written + 1)...(written + 100), to: log)
                written += 100
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.05))  // a random point; correctness does not depend on it
            kill(tail.processIdentifier, SIGKILL)
            tail.waitUntilExit()
            #expect(tail.terminationReason == .uncaughtSignal)
            stored = try Self.storedMessages(in: folder).count
        }
        // Rotated while stopped, then a last run to the end.
        try FileManager.default.moveItem(atPath: log, toPath: log + ".2")
        try Self.append((written + 1)...(written + 100), to: log)
        written += 100
        let last = try Self.startTail(arguments, in: folder)
        #expect(try BackgroundCommand.waitUntil { try Self.storedMessages(in: folder).count >= written })
        #expect(Self.stop(last, interrupt: true))
        #expect(last.terminationStatus == 0)
        let messages = try Self.storedMessages(in: folder)
        #expect(messages.count == written)
        #expect(Set(messages) == Set((1...written).map { "line-\($0)" }))
    }

    @Test("show finds a trace while tail runs; SIGTERM stops it with status 0 after printing what it followed")
    func showWhileRunning() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("checkout.log")
        try Self.append(Self.line(1), to: log)
        let tail = try Self.startTail(["--db", "tail.db", "--poll-interval", "20", log], in: folder)
        #expect(try BackgroundCommand.waitUntil { try Self.storedMessages(in: folder) == ["line-1"] })
        let trace = "4bf92f3577b34da6a3ce929d0e0736a1"
        try Self.append(
            "{\"time\":\"2026-03-01T10:00:01Z\",\"level\":\"error\",\"msg\":\"payment declined\",\"trace_id\":\"\(trace)\"}\n",
            to: log)
        var shown = ""
        #expect(
            try BackgroundCommand.waitUntil {
                let result = try CommandRunner.run(["show", "--db", "tail.db", trace], in: folder.path)
                shown = result.standardOutput
                return result.status == 0 && shown.contains("payment declined") && shown.contains("ERROR")
            }, "show output: \(shown)")
        #expect(Self.stop(tail))
        #expect(tail.terminationStatus == 0)
        let output = try String(contentsOfFile: folder.file("tail.out"), encoding: .utf8)
        #expect(output.contains("following 1 file(s)"))
        #expect(output.contains(log))
        #expect(output.contains("stopped; 2 lines read"))
    }
}
