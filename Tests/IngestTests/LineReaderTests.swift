import Ingest
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct LineReaderTests {
    @Test("CRLF endings lose their \\r, an empty line is delivered, and a last line without newline is read")
    func crlfAndNoFinalNewline() throws {
        let path = FixturePaths.fixture("formats/ingest/crlf-no-final-newline.log")
        let (lines, error, _) = try readAllLines(path)
        #expect(error == nil)
        #expect(
            lines.map(\.text) == [
                "2026-11-23T10:00:00Z INFO order-service started", "2026-11-23T10:00:01Z WARN slow query", "",
                "2026-11-23T10:00:02Z ERROR payment declined",
            ])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map(\.byteOffset) == [0, 49, 87, 89])
        #expect(!lines.contains { $0.bytes.contains(UInt8(ascii: "\r")) })
    }

    @Test("a UTF-8 BOM is dropped from line 1 and invalid UTF-8 bytes pass through untouched")
    func bomAndInvalidUTF8() throws {
        let (lines, error, _) = try readAllLines(FixturePaths.fixture("formats/ingest/bom-invalid-utf8.log"))
        #expect(error == nil)
        try #require(lines.count == 3)
        #expect(lines[0].bytes == Array(#"{"msg":"first"}"#.utf8))
        #expect(lines[0].byteOffset == 3)
        #expect(lines[1].bytes == Array(#"{"msg":"caf"#.utf8) + [0xE9, 0x20, 0xFF, 0xFE] + Array(#""}"#.utf8))
        #expect(lines[2].text == #"{"msg":"third"}"#)
    }

    @Test("a BOM later in the file is content, not stripped")
    func bomOnlyAtStart() throws {
        let folder = TemporaryFolder()
        let path = folder.write("a.log", [0x61, 0x0A, 0xEF, 0xBB, 0xBF, 0x62, 0x0A])
        let (lines, _, _) = try readAllLines(path)
        #expect(lines.map(\.bytes) == [[0x61], [0xEF, 0xBB, 0xBF, 0x62]])
    }

    @Test("lines longer than maxLineBytes are cut, counted, and the next line starts clean")
    func longLineCut() throws {
        let folder = TemporaryFolder()
        let long = String(repeating: "x", count: 100)
        let path = folder.write("long.log", "short\n\(long)\nafter\n\(long)")
        let configuration = LineReader.Configuration(maxLineBytes: 10, chunkBytes: 8)
        let (lines, error, reader) = try readAllLines(path, configuration: configuration)
        #expect(error == nil)
        #expect(lines.map(\.text) == ["short", "xxxxxxxxxx", "after", "xxxxxxxxxx"])
        #expect(lines.map(\.wasCut) == [false, true, false, true])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map(\.byteOffset) == [0, 6, 107, 113])
        #expect(reader.linesCut == 2)
        #expect(reader.linesRead == 4)
    }

    @Test("a line of exactly maxLineBytes, CRLF-terminated, is delivered whole")
    func lineAtTheLimit() throws {
        let folder = TemporaryFolder()
        let path = folder.write("edge.log", "0123456789\r\n01234567890\r\nok")
        let (lines, _, reader) = try readAllLines(path, configuration: .init(maxLineBytes: 10, chunkBytes: 4))
        #expect(lines.map(\.text) == ["0123456789", "0123456789", "ok"])
        #expect(lines.map(\.wasCut) == [false, true, false])
        #expect(reader.linesCut == 1)
    }

    @Test("lines spanning read boundaries come out whole, with correct offsets", arguments: [4, 5, 7, 13, 64, 4096])
    func chunkBoundaries(chunkBytes: Int) throws {
        let folder = TemporaryFolder()
        var content: [UInt8] = []
        var expected: [(String, Int64)] = []
        var generator = SystemRandomNumberGenerator()
        for index in 0..<300 {
            let length = Int.random(in: 0...40, using: &generator)
            let text = "\(index):" + String(repeating: "abcdefgh", count: 6).prefix(length)
            expected.append((text, Int64(content.count)))
            content += Array(text.utf8) + (index.isMultiple(of: 3) ? [0x0D, 0x0A] : [0x0A])
        }
        let path = folder.write("many.log", content)
        let (lines, error, reader) = try readAllLines(path, configuration: .init(chunkBytes: chunkBytes))
        #expect(error == nil)
        #expect(lines.map(\.text) == expected.map(\.0))
        #expect(lines.map(\.byteOffset) == expected.map(\.1))
        #expect(lines.last?.number == 300)
        #expect(reader.decompressedBytesRead == Int64(content.count))
        #expect(reader.compressedBytesConsumed == Int64(content.count))
    }

    @Test("each line's byteOffset points at its first byte in the file")
    func offsetsPointAtLines() throws {
        let folder = TemporaryFolder()
        let text = "alpha\n\nbeta\r\ngamma delta\n"
        let path = folder.write("o.log", text)
        let bytes = Array(text.utf8)
        let (lines, _, _) = try readAllLines(path, configuration: .init(chunkBytes: 4))
        for line in lines {
            let start = Int(line.byteOffset)
            #expect(Array(bytes[start..<(start + line.bytes.count)]) == line.bytes)
        }
        #expect(lines.count == 4)
    }

    @Test("an empty file has no lines; a file holding only a newline has one empty line")
    func emptyFiles() throws {
        let folder = TemporaryFolder()
        #expect(try readAllLines(folder.write("empty.log", "")).lines.isEmpty)
        #expect(try readAllLines(folder.write("nl.log", "\n")).lines.map(\.text) == [""])
    }

    @Test("a missing file is a diagnostic naming it")
    func missingFile() throws {
        let error = #expect(throws: Diagnostic.self) { try LineReader(path: "/nonexistent/x.log") }
        #expect(error?.description.hasPrefix("/nonexistent/x.log") == true)
        #expect(error?.message.contains("cannot open file") == true)
    }
}

@Suite struct LineReaderResumeTests {
    static let text = "\u{FEFF}one\r\ntwo\n\nfour\nfive"

    @Test(
        "resuming at a saved position gives the same lines, numbers and offsets as reading from the start",
        arguments: [false, true])
    func resume(compressed: Bool) throws {
        let folder = TemporaryFolder()
        let bytes = Array(Self.text.utf8)
        let path = folder.write("r.log", compressed ? GzipEncoder.compress(bytes) : bytes)
        let (all, _, _) = try readAllLines(path)
        #expect(all.map(\.text) == ["one", "two", "", "four", "five"])

        // Stop after line 2, as a tailer checkpointing after a batch would.
        let first = try LineReader(path: path)
        struct Stop: Error {}
        #expect(throws: Stop.self) { try first.forEachLine { if $0.number == 2 { throw Stop() } } }
        let saved = first.nextPosition
        #expect(saved == LinePosition(byteOffset: 3 + 5, lineNumber: 2))  // line 2 delivered, not yet done

        var resumed: [ReadLine] = []
        let second = try LineReader(path: path, startingAt: LinePosition(byteOffset: all[2].byteOffset, lineNumber: 3))
        try second.forEachLine {
            resumed.append(
                ReadLine(
                    text: $0.text, bytes: Array($0.bytes), number: $0.number, byteOffset: $0.byteOffset,
                    wasCut: $0.wasCut))
        }
        #expect(resumed == Array(all[2...]))
        #expect(second.nextPosition == LinePosition(byteOffset: Int64(bytes.count), lineNumber: 6))
    }

    @Test("a tailer's reader leaves an unterminated last line for later")
    func unterminatedLastLineKept() throws {
        let folder = TemporaryFolder()
        let path = folder.write("t.log", "a\nbb\nhalf a li")
        let reader = try LineReader(path: path, configuration: .init(deliversUnterminatedLastLine: false))
        var texts: [String] = []
        try reader.forEachLine { texts.append($0.text) }
        #expect(texts == ["a", "bb"])
        #expect(reader.nextPosition == LinePosition(byteOffset: 5, lineNumber: 3))
    }

    @Test("a file shorter than the resume position is a diagnostic")
    func shorterThanPosition() throws {
        let folder = TemporaryFolder()
        let path = folder.write("s.log", "a\n")
        let error = #expect(throws: Diagnostic.self) {
            try LineReader(path: path, startingAt: LinePosition(byteOffset: 100, lineNumber: 9))
        }
        #expect(error?.message.hasPrefix("file is shorter than the position to resume from") == true)
    }
}
