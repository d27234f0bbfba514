import Foundation
import Testing
import TraceJoinTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A file that starts matching a `tail` glob but cannot be opened is said once, at notice level, not on every
/// poll and not never (issue #15, item 9c). The tests run as root, who can open any file, so `tail` runs as
/// `nobody` through `setpriv`.
@Suite struct TailUnreadableFileTests {
    @Test(
        "a new unreadable file that matches is noted once; the readable ones are read",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") && getuid() == 0))
    func unreadableNotedOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let logs = folder.file("logs")
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        chmod(folder.path, 0o777)
        chmod(logs, 0o777)
        try TailCommandTests.append(1...2, to: logs + "/a.log")
        chmod(logs + "/a.log", 0o644)

        let process = try TailCommandTests.start(
            "/usr/bin/setpriv",
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", CommandRunner.executablePath, "tail",
                "--db", folder.file("tail.db"), "--poll-interval", "50", logs + "/*.log",
            ], in: folder)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        func text() -> String { (try? String(contentsOfFile: folder.file("tail.out"), encoding: .utf8)) ?? "" }

        #expect(BackgroundCommand.waitUntil(seconds: 60) { text().contains("following 1 file(s)") }, "\(text())")
        // Created while tail runs, unreadable for it: made outside the folder with mode 0, then moved in, so tail
        // never sees it readable (a file created in place is readable until its mode is set, and tail may open it
        // in between: the test failed 1 run in 3 that way).
        let outside = folder.file("secret.tmp")
        _ = FileManager.default.createFile(atPath: outside, contents: Data(TailCommandTests.line(3).utf8))
        chmod(outside, 0)
        try FileManager.default.moveItem(atPath: outside, toPath: logs + "/secret.log")
        #expect(BackgroundCommand.waitUntil(seconds: 60) { text().contains("cannot be opened") }, "\(text())")
        // Many polls later (and after new lines elsewhere), still said once.
        try TailCommandTests.append(4...5, to: logs + "/a.log")
        #expect(
            try BackgroundCommand.waitUntil(seconds: 60) { try TailCommandTests.storedMessages(in: folder).count == 4 })
        Thread.sleep(forTimeInterval: 1)
        let notes = text().components(separatedBy: "\n").filter { $0.contains("cannot be opened") }
        #expect(notes.count == 1, "\(text())")
        #expect(notes.first?.contains("secret.log") == true)
        #expect(notes.first?.contains("notice") == true)
    }
}
