import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tail` over files rotated by `copytruncate` (issue #15, item 3), as logrotate does it with its glob also
/// matching the copies: the copy appears empty, then half-written, then whole, the original is truncated,
/// and `tail` is killed with SIGKILL right after. No line may be lost or stored twice.
@Suite struct TailCopyTruncateTests {
    static let files = ["api", "db", "web"]

    /// About 110 bytes, so the 40 lines a file gets before each rotation are well over the 1 KiB head that
    /// identifies a copy (a copy shorter than that, made while `tail` was stopped, is documented to be read whole).
    static func line(_ file: String, _ number: Int) -> String {
        "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"\(file)-\(number)\",\"pad\":\""
            + String(repeating: "x", count: 40) + "\"}\n"
    }

    static func write(_ data: Data, to path: String, append: Bool = true) throws {
        if !append || !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
    }

    /// The messages of every log stored, duplicates kept.
    static func stored(in folder: TemporaryFolder) throws -> [String] {
        let result = try CommandRunner.run(
            ["logs", "--db", "tail.db", "--format", "json", "--limit", "1000000"], in: folder.path)
        guard result.status == 0 else { return [] }
        return (try JSONParser.parse(result.standardOutput).array ?? []).compactMap { $0["message"]?.string }
    }

    @Test("copytruncate every round with the copy seen empty and half-written, kill -9 right after: each line stored once")
    func copyTruncateThenKill() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let logs = folder.file("logs")
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let arguments = ["tail", "--db", "tail.db", "--poll-interval", "20", logs + "/*.log*"]
        var written: [String: Int] = [:]
        func append(_ file: String, _ count: Int) throws {
            let first = written[file, default: 0] + 1
            try Self.write(
                Data((first..<(first + count)).map { Self.line(file, $0) }.joined().utf8), to: "\(logs)/\(file).log")
            written[file] = first + count - 1
        }
        var expected: Set<String> {
            Set(written.flatMap { file, last in (1...last).map { "\(file)-\($0)" } })
        }

        for file in Self.files { try append(file, 40) }
        for round in 1...6 {
            let tail = try BackgroundCommand.start(arguments, in: folder, output: "tail-\(round).out")
            defer { tail.terminateIfRunning() }
            // Running and storing before anything else happens, so the kill lands in a working tail.
            let before = try Self.stored(in: folder).count
            #expect(
                try BackgroundCommand.waitUntil { try Self.stored(in: folder).count > before },
                "round \(round): \(tail.output())")
            for file in Self.files { try append(file, 40) }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.3))  // read all, some or none of it

            // copytruncate of one file, its copy under a new name that the glob matches: created empty,
            // written half (each seen by polls), then whole; then the original emptied. Nothing is written
            // between the copy and the truncation: lines written then are lost by copytruncate itself.
            let file = Self.files[round % Self.files.count]
            let original = "\(logs)/\(file).log"
            let copy = "\(original).\(round)"
            let content = try Data(contentsOf: URL(fileURLWithPath: original))
            try Self.write(Data(), to: copy, append: false)
            Thread.sleep(forTimeInterval: 0.1)
            try Self.write(content.prefix(content.count / 2 + 7), to: copy)  // cut inside a line
            Thread.sleep(forTimeInterval: 0.15)
            try Self.write(content.dropFirst(content.count / 2 + 7), to: copy)
            #expect(truncate(original, 0) == 0)
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.05))
            tail.send(SIGKILL)
            tail.terminateIfRunning()  // waits for the exit

            // Written while it is down: the truncated file grows again.
            try append(file, 20)
        }

        let last = try BackgroundCommand.start(arguments, in: folder, output: "tail-last.out")
        defer { last.terminateIfRunning() }
        for file in Self.files { try append(file, 10) }
        let all = expected
        #expect(
            try BackgroundCommand.waitUntil(seconds: 30) { all.isSubset(of: Set(try Self.stored(in: folder))) },
            "\(last.output())")
        #expect(last.stop() == 0, "\(last.output())")

        let messages = try Self.stored(in: folder)
        var seen: [String: Int] = [:]
        for message in messages { seen[message, default: 0] += 1 }
        let twice = seen.filter { $0.value > 1 }.keys.sorted()
        let missing = all.subtracting(seen.keys).sorted()
        #expect(twice.isEmpty, "\(twice.count) stored more than once: \(twice.prefix(20))")
        #expect(missing.isEmpty, "\(missing.count) lost: \(missing.prefix(20))")
        #expect(messages.count == all.count)
    }
}
