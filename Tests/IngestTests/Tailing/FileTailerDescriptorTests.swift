import Ingest
import Testing
import TraceJoinCore

/// More files than descriptors (issue #15, item 5): the tailer holds at most `maxOpenFiles`, says once that
/// files wait, closes idle files to make room and opens them again when they grow; every line is read once.
@Suite struct FileTailerDescriptorTests {
    let folder = TemporaryFolder()
    var files: TailFiles { TailFiles(folder: folder) }

    @Test("ten files, three descriptors: every line is read once, and the wait is noted once")
    func moreFilesThanDescriptors() throws {
        let clock = ManualClock()
        let tailer = FileTailer(
            configuration: TailConfiguration(
                patterns: [folder.path + "/*.log"], rotatedGrace: .zero, readChunkBytes: 64, maxOpenFiles: 3),
            now: { clock.now })
        for file in 0..<10 { files.append("f\(file).log", (0..<5).map { "f\(file) line \($0)\n" }.joined()) }
        var lines: [String] = []
        for _ in 0..<8 {
            clock.now += .seconds(1)
            try tailer.pollOnce { lines.append($0.text) }
            #expect(tailer.openFiles.count <= 3)
        }
        #expect(lines.count == 50)
        #expect(Set(lines).count == 50)
        // A file closed while idle is opened again when it grows, and read from where it was.
        files.append("f0.log", "f0 line 5\n")
        files.append("f9.log", "f9 line 5\n")
        for _ in 0..<4 {
            clock.now += .seconds(1)
            try tailer.pollOnce { lines.append($0.text) }
            #expect(tailer.openFiles.count <= 3)
        }
        #expect(lines.count == 52)
        #expect(Set(lines).count == 52)
        let notices = tailer.takeNotices()
        #expect(notices.count == 1)
        #expect(notices.first?.message.contains("wait for a descriptor") == true)
    }

    @Test("the checkpoints of files closed while idle resume them after a restart")
    func restartAfterClosing() throws {
        let clock = ManualClock()
        func tailer() -> FileTailer {
            FileTailer(
                configuration: TailConfiguration(
                    patterns: [folder.path + "/*.log"], rotatedGrace: .zero, readChunkBytes: 64, maxOpenFiles: 2),
                now: { clock.now })
        }
        for file in 0..<6 { files.append("f\(file).log", "f\(file) line 0\n") }
        let first = tailer()
        var lines: [String] = []
        for _ in 0..<6 {
            clock.now += .seconds(1)
            try first.pollOnce { lines.append($0.text) }
        }
        #expect(lines.count == 6)
        let saved = first.checkpoints
        first.close()
        for file in 0..<6 { files.append("f\(file).log", "f\(file) line 1\n") }
        let second = tailer()
        second.restore(saved)
        for _ in 0..<6 {
            clock.now += .seconds(1)
            try second.pollOnce { lines.append($0.text) }
        }
        #expect(lines.count == 12)
        #expect(Set(lines).count == 12)
    }
}
