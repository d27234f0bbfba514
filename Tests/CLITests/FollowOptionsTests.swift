import Foundation
import Testing
import TraceJoinTesting

/// The file-following flags (`--from`, `--poll-interval`, `--poll-only`) that `tail` and `serve --tail`
/// share: the same help in both, the same checks, and `--poll-only` really leaving inotify alone.
@Suite(.serialized) struct FollowOptionsTests {
    static let flags = ["--from", "--poll-interval", "--poll-only"]

    /// The help lines of the following-files flags, from the flag's line to the next flag or section.
    static func followHelp(_ command: String) throws -> [String] {
        let help = try CommandRunner.run([command, "--help"]).standardOutput
        var lines: [String] = []
        var inFlag = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("-") { inFlag = flags.contains { trimmed.hasPrefix($0 + " ") || trimmed == $0 } }
            if trimmed.isEmpty { inFlag = false }
            if inFlag { lines.append(trimmed) }
        }
        return lines
    }

    /// Whether process `pid` holds an inotify instance (a descriptor linked to `anon_inode:inotify`).
    static func holdsInotify(_ pid: Int32) -> Bool {
        let folder = "/proc/\(pid)/fd"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return descriptors.contains { name in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + name)) == "anon_inode:inotify"
        }
    }

    @Test("`tail --help` and `serve --help` describe --from, --poll-interval and --poll-only in the same words")
    func sameHelp() throws {
        let tail = try Self.followHelp("tail")
        let serve = try Self.followHelp("serve")
        for flag in Self.flags {
            #expect(tail.contains { $0.hasPrefix(flag) }, "tail --help lacks \(flag)")
        }
        #expect(tail == serve)
    }

    @Test(
        "a --poll-interval out of range is bad usage (64) for serve as for tail",
        arguments: [["tail", "app.log"], ["serve", "--otlp-http", "127.0.0.1:0"]])
    func pollIntervalChecked(_ command: [String]) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try CommandRunner.run(command + ["--db", "t.db", "--poll-interval", "0"], in: folder.path)
        #expect(result.status == 64)
        #expect(result.standardError.contains("--poll-interval must be between 1 and 60000"))
    }

    @Test(
        "with --poll-only the followed files are read with no inotify instance; without it, with one",
        arguments: [true, false])
    func pollOnly(_ pollOnly: Bool) throws {
        for command in ["tail", "serve"] {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.file("app.log")
            try TailCommandTests.append(TailCommandTests.line(1), to: log)
            var arguments = [command, "--db", "t.db", "--poll-interval", "20"]
            if pollOnly { arguments.append("--poll-only") }
            if command == "serve" {
                arguments += ["--otlp-http", "127.0.0.1:0", "--tail", log]  // port 0: any free one
            } else {
                arguments.append(log)
            }
            let process = try BackgroundCommand.start(arguments, in: folder, output: "out")
            defer { process.terminateIfRunning() }
            #expect(
                try BackgroundCommand.waitUntil {
                    try TailCommandTests.allMessages(in: folder, database: "t.db").contains("line-1")
                }, "\(command) did not store the line: \(process.output())")
            #expect(Self.holdsInotify(process.processIdentifier) == !pollOnly, "\(command), --poll-only \(pollOnly)")
            try TailCommandTests.append(TailCommandTests.line(2), to: log)
            #expect(
                try BackgroundCommand.waitUntil {
                    try TailCommandTests.allMessages(in: folder, database: "t.db").contains("line-2")
                }, "\(command) did not read a line written later")
            #expect(process.stop() == 0, "\(command): \(process.output())")
        }
    }
}
