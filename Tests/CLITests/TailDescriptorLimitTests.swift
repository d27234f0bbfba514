import Foundation
import Testing
import TraceJoinTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tail` over more files than `ulimit -n` allows (issue #15, item 5): every file is read, the wait for
/// descriptors is said once, the database keeps the descriptors it needs, and SIGTERM exits 0.
@Suite struct TailDescriptorLimitTests {
    @Test("300 files under ulimit -n 200: every line stored once, one warning, SIGTERM exits 0")
    func moreFilesThanDescriptors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let logs = folder.file("g")
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        for file in 1...300 { try TailCommandTests.append(file...file, to: logs + "/f\(file).log") }

        let process = try TailCommandTests.start(
            "/bin/sh",
            [
                "-c", "ulimit -n 200 && exec \"$0\" tail --db tail.db --poll-interval 50 'g/*.log'",
                CommandRunner.executablePath,
            ], in: folder)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        func text() -> String { (try? String(contentsOfFile: folder.file("tail.out"), encoding: .utf8)) ?? "" }

        #expect(
            try BackgroundCommand.waitUntil(seconds: 120) { try TailCommandTests.storedMessages(in: folder).count >= 300 },
            "\(text())")
        // Files closed while idle are opened again when they grow.
        for file in [1, 150, 300] { try TailCommandTests.append((1000 + file)...(1000 + file), to: logs + "/f\(file).log") }
        #expect(
            try BackgroundCommand.waitUntil(seconds: 120) { try TailCommandTests.storedMessages(in: folder).count >= 303 },
            "\(text())")
        #expect(TailCommandTests.stop(process))
        #expect(process.terminationStatus == 0, "\(text())")
        let messages = try TailCommandTests.storedMessages(in: folder)
        #expect(messages.count == 303)
        #expect(Set(messages).count == 303)
        #expect(text().components(separatedBy: "wait for a descriptor").count == 2, "\(text())")
        #expect(!text().contains("unable to open database"))
    }
}
