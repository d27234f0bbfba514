import Ingest
import Testing

/// A line still being written, piece by piece, over longer than the partial-line timeout (issue #15, item 6):
/// it is delivered once, whole (or cut once if over the limit), and the lines after it keep their numbers.
@Suite struct FileTailerSlowLineTests {
    let folder = TemporaryFolder()
    var files: TailFiles { TailFiles(folder: folder) }

    func tailer(maxLineBytes: Int, clock: ManualClock) -> FileTailer {
        FileTailer(
            configuration: TailConfiguration(
                patterns: [folder.path + "/app.log"], maxLineBytes: maxLineBytes, partialLineTimeout: .seconds(5),
                rotatedGrace: .zero, readChunkBytes: 64),
            now: { clock.now })
    }

    @Test("a line written one piece a second for 8 s is delivered whole, once", arguments: [1 << 20, 40])
    func pieceByPiece(maxLineBytes: Int) throws {
        let clock = ManualClock()
        let tailer = tailer(maxLineBytes: maxLineBytes, clock: clock)
        files.append("app.log", "first\n")
        var lines: [TailedLineSummary] = []
        try tailer.pollOnce { lines.append(TailedLineSummary($0)) }
        let pieces = (1...8).map { "{\"msg\":\"piece-\($0)-" + String(repeating: "z", count: 10) + "\"," }
        for piece in pieces {
            clock.now += .seconds(1)
            files.append("app.log", piece)
            try tailer.pollOnce { lines.append(TailedLineSummary($0)) }
        }
        files.append("app.log", "\"end\":1}\nlast\n")
        clock.now += .seconds(1)
        try tailer.pollOnce { lines.append(TailedLineSummary($0)) }
        let whole = pieces.joined() + "\"end\":1}"
        #expect(lines.map(\.text) == ["first", String(whole.prefix(maxLineBytes)), "last"])
        #expect(lines.map(\.number) == [1, 2, 3])
        #expect(lines.map(\.wasCut) == [false, whole.utf8.count > maxLineBytes, false])
        #expect(lines.allSatisfy { !$0.wasUnterminated })
    }

    @Test("a line that stops growing is delivered as it is after the timeout, counted from its last byte")
    func stoppedWriter() throws {
        let clock = ManualClock()
        let tailer = tailer(maxLineBytes: 1 << 20, clock: clock)
        files.append("app.log", "a")
        #expect(try pollTexts(tailer) == [])
        clock.now += .seconds(4)
        files.append("app.log", "b")
        #expect(try pollTexts(tailer) == [])
        clock.now += .seconds(4)
        #expect(try pollTexts(tailer) == [])
        clock.now += .seconds(1)
        #expect(try pollTexts(tailer) == ["ab"])
    }
}

/// What a test keeps of a ``TailedLine`` (its bytes are valid during the callback only).
struct TailedLineSummary {
    var text: String
    var number: Int
    var wasCut: Bool
    var wasUnterminated: Bool

    init(_ line: TailedLine) {
        text = line.text
        number = line.number
        wasCut = line.wasCut
        wasUnterminated = line.wasUnterminated
    }
}
