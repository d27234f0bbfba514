import Foundation

/// Runs the built `tracejoin` binary the way a user would, for CLI tests.
package struct CommandResult: Sendable {
    package var status: Int32
    package var standardOutput: String
    package var standardError: String
}

package enum CommandRunner {
    /// The `tracejoin` executable next to the test bundle (SwiftPM builds it for the CLI tests).
    package static var executablePath: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tracejoin").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("tracejoin").path,
            Bundle.main.bundleURL.appendingPathComponent("tracejoin").path,
            FixturePaths.repositoryRoot + "/.build/debug/tracejoin",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// The child's environment: the test's, with `TZ=UTC` (zone-less log times are read in the machine's zone,
    /// and a test must not depend on the machine), then `overrides`.
    package static func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(["TZ": "UTC"]) { $1 }.merging(overrides) { $1 }
    }

    /// Runs `tracejoin <arguments>` in `directory` and collects its output.
    ///
    /// `launcher`: a command that runs it, e.g. `["/usr/bin/setpriv", "--reuid=nobody", …]` to run it as
    /// another user. `overrides`: environment variables set on top of ``environment(_:)``.
    package static func run(
        _ arguments: [String], in directory: String? = nil, launcher: [String] = [],
        environment overrides: [String: String] = [:]
    ) throws -> CommandResult {
        let process = Process()
        let command = launcher + [executablePath] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = environment(overrides)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let errorData = ThreadedReader(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on another thread.
private final class ThreadedReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// A temporary folder removed when the value is dropped... by the caller calling `remove()`.
package struct TemporaryFolder: Sendable {
    package let path: String

    package init() throws {
        path = NSTemporaryDirectory() + "tracejoin-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    package func file(_ name: String) -> String { path + "/" + name }

    package func remove() { try? FileManager.default.removeItem(atPath: path) }
}
