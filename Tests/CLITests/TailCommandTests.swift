import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tracejoin tail` as a user runs it: a background process stopped by SIGTERM (exit 0) or killed with
/// SIGKILL, with `show` and `logs` querying the database while it runs, and SIGHUP reloading its rule files.
/// Waits poll with a deadline.
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
        try start(CommandRunner.executablePath, ["tail"] + arguments, in: folder)
    }

    /// Starts `executable` in `folder` in the background, its output to `tail.out` (a shell or `setpriv` that
    /// runs tracejoin under other limits or another user).
    static func start(_ executable: String, _ arguments: [String], in folder: TemporaryFolder) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        _ = FileManager.default.createFile(atPath: folder.file("tail.out"), contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.file("tail.out")))
        process.standardOutput = output
        process.standardError = output
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
            #expect(
                try BackgroundCommand.waitUntil { try Self.storedMessages(in: folder).count > stored },
                "round \(round): \((try? String(contentsOfFile: folder.file("tail.out"), encoding: .utf8)) ?? "")")
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

    /// The messages of every uncorrelated log stored in `database`, through `logs --format json`.
    static func allMessages(in folder: TemporaryFolder, database: String) throws -> [String] {
        let result = try CommandRunner.run(
            ["logs", "--db", database, "--format", "json", "--limit", "100000"], in: folder.path)
        guard result.status == 0 else { return [] }
        return (try JSONParser.parse(result.standardOutput).array ?? []).compactMap { $0["message"]?.string }
    }

    @Test("SIGHUP reloads the rule files for new lines; a bad set is refused on stderr and the old rules stay")
    func reloadRules() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let rules = folder.file("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try PlantedRules.write(PlantedRules.rule("test.zebra", word: "zebra"), as: "zoo.yaml", in: rules)
        let log = folder.file("zoo.log")
        func write(_ message: String) throws {
            try Self.append("{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"\(message)\"}\n", to: log)
        }
        func stored(_ suffix: String) throws -> Bool {
            try BackgroundCommand.waitUntil {
                try Self.allMessages(in: folder, database: "tail.db").contains { $0.hasSuffix(suffix) }
            }
        }
        try write("zebra one giraffe one")
        let tail = try BackgroundCommand.start(
            ["tail", "--db", "tail.db", "--poll-interval", "20", "--rules", rules, log], in: folder, output: "tail.out")
        defer { tail.terminateIfRunning() }
        #expect(try stored("giraffe one"))

        // A bad set: refused with its file named on stderr; tail goes on with the zebra rule.
        try PlantedRules.write(PlantedRules.broken, as: "broken.yaml", in: rules)
        tail.send(SIGHUP)
        #expect(BackgroundCommand.waitUntil(seconds: 10) { tail.output().contains("rules in force stay") })
        #expect(tail.output().contains("broken.yaml:"), "the refused set's diagnostics name the file")
        try write("zebra two giraffe two")
        #expect(try stored("giraffe two"))

        // A good set: giraffe is scrubbed too, from the next line on.
        try FileManager.default.removeItem(atPath: rules + "/broken.yaml")
        try PlantedRules.write(
            PlantedRules.rule("test.zebra", word: "zebra") + PlantedRules.rule("test.giraffe", word: "giraffe"),
            as: "zoo.yaml", in: rules)
        tail.send(SIGHUP)
        #expect(BackgroundCommand.waitUntil(seconds: 10) { tail.output().contains("new rules in force") })
        try write("zebra three giraffe three")
        #expect(try stored("<planted> three"))

        #expect(tail.stop() == 0, "tail did not exit 0 on SIGTERM: \(tail.output())")
        let messages = try Self.allMessages(in: folder, database: "tail.db")
        #expect(
            messages.sorted() == [
                "<planted> one giraffe one", "<planted> three <planted> three", "<planted> two giraffe two",
            ], "stored: \(messages)")
    }
}
