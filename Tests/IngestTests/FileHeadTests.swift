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

    @Test("prefix hashes asked in increasing (or any) order equal the hashes of each prefix")
    func prefixHasher() throws {
        let head = FileHead(bytes: Array("2026-11-23 INFO one\n2026-11-23 INFO two\n".utf8))
        var hasher = FileHead.PrefixHasher(head)
        for length in [0, 1, 5, 5, 20, 40, 3, head.length] {
            #expect(hasher.hash(length: length) == head.hash(length: length), "prefix of \(length) bytes")
        }
        #expect(hasher.hash(length: head.length + 1) == nil)
    }
}
