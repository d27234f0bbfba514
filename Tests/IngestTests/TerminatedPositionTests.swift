import Ingest
import Testing

/// Resuming a file that grew at the position after its last newline-terminated line.
@Suite struct TerminatedPositionTests {
    @Test("an unterminated last line is delivered, and the checkpoint stays at its start")
    func unterminatedLastLine() throws {
        let folder = TemporaryFolder()
        let path = folder.write("app.log", "one\ntwo\nthr")
        let (lines, _, reader) = try readAllLines(path)
        #expect(lines.map(\.text) == ["one", "two", "thr"])
        #expect(reader.terminatedPosition == LinePosition(byteOffset: 8, lineNumber: 3))
        #expect(reader.nextPosition == LinePosition(byteOffset: 11, lineNumber: 4))

        // The writer finishes the line and writes more: reading on re-delivers it whole, same number and offset.
        folder.write("app.log", "one\ntwo\nthree\nfour\n")
        let resumed = try LineReader(path: path, startingAt: reader.terminatedPosition)
        var again: [String] = []
        try resumed.forEachLine { again.append("\($0.number)@\($0.byteOffset) \($0.text)") }
        #expect(again == ["3@8 three", "4@14 four"])
        #expect(resumed.terminatedPosition == LinePosition(byteOffset: 19, lineNumber: 5))
    }

    @Test("a file ending in a newline checkpoints at its end; a byte-order mark is not read again")
    func terminatedFile() throws {
        let folder = TemporaryFolder()
        let path = folder.write("app.log", [0xEF, 0xBB, 0xBF] + Array("one\r\ntwo\n".utf8))
        let (lines, _, reader) = try readAllLines(path)
        #expect(lines.map(\.text) == ["one", "two"])
        #expect(reader.terminatedPosition == reader.nextPosition)
        #expect(reader.terminatedPosition == LinePosition(byteOffset: 12, lineNumber: 3))
        let empty = try readAllLines(folder.write("empty.log", ""))
        #expect(empty.reader.terminatedPosition == .start)
    }
}
