import Ingest
import Testing

@Suite struct FileHeadTests {
    @Test("a grown file's prefix hashes as the file did before it grew; other bytes do not")
    func prefixHash() throws {
        let folder = TemporaryFolder()
        let before = try FileHead.read(path: folder.write("app.log", "one\ntwo\n"))
        let after = try FileHead.read(path: folder.write("app.log", "one\ntwo\nthree\n"))
        let other = try FileHead.read(path: folder.write("other.log", "one\ntwo!three\n"))
        #expect(before.length == 8)
        #expect(after.hash(length: before.length) == before.hash())
        #expect(after.hash() != before.hash())
        #expect(other.hash(length: 8) != before.hash())
        #expect(before.hash(length: 9) == nil, "a file shorter than the prefix cannot be its continuation")
        #expect(!before.isGzip)
    }

    @Test("only the first 64 KiB are read; gzip is recognised by its magic bytes")
    func windowAndGzip() throws {
        let folder = TemporaryFolder()
        let big = try FileHead.read(path: folder.write("big.log", [UInt8](repeating: 0x61, count: 200_000)))
        #expect(big.length == FileHead.window)
        let gzip = try FileHead.read(path: folder.write("app.log.1.gz", GzipEncoder.compress(Array("one\n".utf8))))
        #expect(gzip.isGzip)
        #expect(throws: (any Error).self) { try FileHead.read(path: folder.path + "/missing.log") }
    }
}
