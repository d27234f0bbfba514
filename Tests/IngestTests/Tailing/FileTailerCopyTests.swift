import Ingest
import Testing

/// `copytruncate` seen while it happens (issue #15, item 3): the copy is found empty or half-written by a
/// poll, and the original shrinks; every line is delivered once, and the checkpoints describe what each file
/// holds now.
@Suite struct FileTailerCopyTests {
    let folder = TemporaryFolder()
    var files: TailFiles { TailFiles(folder: folder) }

    func tailer() -> FileTailer {
        FileTailer(
            configuration: TailConfiguration(
                patterns: [folder.path + "/app.log*"], partialLineTimeout: .seconds(3600), rotatedGrace: .zero,
                readChunkBytes: 64),
            now: { .zero })
    }

    static func lines(_ numbers: ClosedRange<Int>) -> String {
        numbers.map { "2026-12-06T10:00:00Z line \($0) " + String(repeating: "x", count: $0 % 50) + "\n" }.joined()
    }

    @Test("a copy seen empty, then half-written, is started where its original was read", arguments: [0, 1, 700, 2500])
    func copySeenWhileWritten(half: Int) throws {
        files.append("app.log", Self.lines(1...60))
        let tailer = tailer()
        #expect(try pollTexts(tailer).count == 60)
        let content = files.contents("app.log")
        folder.write("app.log.1", Array(content[..<min(half, content.count)]))
        #expect(try pollTexts(tailer) == [])
        files.append("app.log.1", String(decoding: content[min(half, content.count)...], as: UTF8.self))
        files.truncate("app.log")
        files.append("app.log", Self.lines(61...62))
        let texts = try pollTexts(tailer)
        #expect(texts.count == 2)
        #expect(texts.allSatisfy { $0.contains("line 61 ") || $0.contains("line 62 ") })
        #expect(try pollTexts(tailer) == [])
    }

    @Test("lines written between the last poll and the copy are read from the copy, once")
    func linesOnlyInTheCopy() throws {
        files.append("app.log", Self.lines(1...30))
        let tailer = tailer()
        #expect(try pollTexts(tailer).count == 30)
        files.append("app.log", Self.lines(31...33))
        files.create("app.log.1")
        #expect(try pollTexts(tailer).count == 3)
        files.append("app.log", Self.lines(34...35))
        files.copyTruncate("app.log", to: "app.log.1")
        let texts = try pollTexts(tailer)
        #expect(texts.count == 2)
        #expect(texts.first?.contains("line 34 ") == true)
    }

    @Test("after a truncation, the one checkpoint of the file is its new content: a restart reads nothing again")
    func checkpointAfterTruncation() throws {
        files.append("app.log", Self.lines(1...5))
        let first = tailer()
        #expect(try pollTexts(first).count == 5)
        let size = files.contents("app.log").count
        folder.write("app.log", Array(files.contents("app.log")[..<(size / 2)]))
        files.append("app.log", Self.lines(6...6))
        _ = try pollTexts(first)
        for _ in 0..<3 { #expect(try pollTexts(first) == []) }
        let saved = first.checkpoints
        #expect(saved.count == 1)
        #expect(saved.first?.position.byteOffset == Int64(files.contents("app.log").count))
        first.close()
        let second = tailer()
        second.restore(saved)
        #expect(try pollTexts(second) == [])
    }
}
