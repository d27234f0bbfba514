import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// A folder with a database, batched again and again like a nightly job.
final class NightlyFolder {
    let folder: TemporaryFolder
    let database: String

    init() throws {
        folder = try TemporaryFolder()
        database = folder.file("night.db")
        try FileManager.default.createDirectory(atPath: folder.file("logs"), withIntermediateDirectories: true)
    }

    deinit { folder.remove() }

    func path(_ name: String) -> String { folder.file("logs/" + name) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
    }

    func append(_ name: String, _ text: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path(name)))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func rename(_ name: String, to newName: String) throws {
        try FileManager.default.moveItem(atPath: path(name), toPath: path(newName))
    }

    @discardableResult
    func batch() throws -> BatchSummary {
        var configuration = BatchConfiguration(inputs: [folder.file("logs")])
        configuration.databasePath = database
        configuration.rejectsPrintedPerFile = 0
        return try BatchRunner(configuration: configuration).run()
    }

    var store: IncidentStore { get throws { try IncidentStore.openExisting(path: database) } }

    /// Every stored log as `file:line message`, in file and line order.
    func logs() throws -> [String] {
        try store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 10_000)
            .map { "\(($0.origin.source as NSString).lastPathComponent):\($0.origin.line) \($0.message)" }
            .sorted()
    }

    /// Every stored reject as `file:line`.
    func rejects() throws -> [String] {
        try store.rejects(limit: 1_000).map {
            "\(($0.location.source as NSString).lastPathComponent):\($0.location.line)"
        }.sorted()
    }
}

extension NightlyFolder {
    /// A pino-style JSON log line without trace context.
    static func line(_ message: String, second: Int = 0) -> String {
        #"{"level":30,"time":\#(1_795_406_873_000 + second * 1_000),"msg":"\#(message)"}"# + "\n"
    }

    /// A JSON log line cut mid-write: a reject.
    static let cutLine = #"{"level":30,"time":17954068"# + "\n"

    /// Writes `text` gzip-compressed (with the system's `gzip`, as logrotate does).
    func writeGzip(_ name: String, _ text: String) throws {
        try write(name + ".plain", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", path(name + ".plain")]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        try FileManager.default.moveItem(atPath: path(name + ".plain.gz"), toPath: path(name))
    }

    /// Writes the first half of `text` gzip-compressed, as a copy still in progress leaves it; returns the
    /// complete compressed file, to write once the copy is done.
    func writeHalfOfGzip(_ name: String, _ text: String) throws -> Data {
        try writeGzip(name, text)
        let complete = try #require(FileManager.default.contents(atPath: path(name)))
        try complete.prefix(complete.count / 2).write(to: URL(fileURLWithPath: path(name)))
        return complete
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: path(name))
    }
}
