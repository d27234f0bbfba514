import Ingest
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct DocumentReaderTests {
    @Test("a whole gzip-compressed JSON document is read back byte for byte")
    func wholeDocument() throws {
        let folder = TemporaryFolder()
        let document = Array("{\n  \"resourceSpans\": [\n    {}\n  ]\n}\n".utf8)
        let path = folder.write("spans.json.gz", GzipEncoder.compress(document))
        #expect(try DocumentReader.readWhole(path: path) == document)
    }

    @Test("a document over the limit is refused with a diagnostic naming the file")
    func overLimit() throws {
        let folder = TemporaryFolder()
        let path = folder.write("big.json", [UInt8](repeating: 0x20, count: 3 << 20))
        let error = #expect(throws: Diagnostic.self) { try DocumentReader.readWhole(path: path, limit: 2 << 20) }
        #expect(error?.description.hasPrefix(path) == true)
        #expect(error?.message.contains("larger than 2 MiB") == true)
        #expect(try DocumentReader.readWhole(path: path, limit: 3 << 20).count == 3 << 20)
    }

    @Test("peek returns the first bytes, decompressed, and no more")
    func peek() throws {
        let folder = TemporaryFolder()
        let content = Array(String(repeating: "{\"a\":1}\n", count: 20_000).utf8)
        let path = folder.write("x.gz", GzipEncoder.compress(content))
        let head = try DocumentReader.peek(path: path, count: 1000)
        #expect(head == Array(content.prefix(1000)))
        #expect(try DocumentReader.peek(path: folder.write("tiny", "ab")) == Array("ab".utf8))
    }

    @Test("peek of a damaged gzip returns what was readable instead of failing")
    func peekDamaged() throws {
        let folder = TemporaryFolder()
        let whole = GzipEncoder.compress(Array("line one\nline two\n".utf8))
        let path = folder.write("cut.gz", Array(whole.prefix(whole.count - 8)))
        #expect(try DocumentReader.peek(path: path) == Array("line one\nline two\n".utf8))
    }
}
