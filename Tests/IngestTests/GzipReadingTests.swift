import Ingest
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct GzipReadingTests {
    static func jsonLines(_ range: ClosedRange<Int>) -> [UInt8] {
        Array(range.map { #"{"level":30,"msg":"request \#($0)"}"# + "\n" }.joined().utf8)
    }

    @Test("a multi-member gzip file is read through every member, a line split across members included")
    func multiMemberFixture() throws {
        let path = FixturePaths.fixture("formats/ingest/multi-member.log.gz")
        let (lines, error, reader) = try readAllLines(path)
        #expect(error == nil)
        #expect(reader.compression == .gzip)
        #expect(lines.count == 200)
        #expect(lines.map(\.number) == Array(1...200))
        #expect(lines[100].text.contains(#""msg":"request 101""#))
        #expect(lines.allSatisfy { $0.text.hasPrefix("{") && $0.text.hasSuffix("}") })
        #expect(reader.compressedBytesConsumed == 710)
    }

    @Test("members written by zlib in the test, with a tiny read buffer, give back exactly the original bytes")
    func multiMemberGenerated() throws {
        let folder = TemporaryFolder()
        let parts = [Self.jsonLines(1...500), Self.jsonLines(501...502), [], Self.jsonLines(503...1000)]
        let file = parts.flatMap { GzipEncoder.compress($0) }
        let path = folder.write("svc.log.1.gz", file)
        let (lines, error, reader) = try readAllLines(path, configuration: .init(chunkBytes: 7))
        #expect(error == nil)
        #expect(lines.map(\.text) == (1...1000).map { #"{"level":30,"msg":"request \#($0)"}"# })
        let original = parts.flatMap { $0 }
        let lineStarts = [0] + original.indices.dropLast().filter { original[$0] == 0x0A }.map { $0 + 1 }
        #expect(lines.map { Int($0.byteOffset) } == lineStarts)
        #expect(reader.compressedBytesConsumed == Int64(file.count))
        #expect(reader.decompressedBytesRead == Int64(original.count))
    }

    @Test("gzip is found by its magic bytes, not by the file name")
    func detectedByContent() throws {
        let folder = TemporaryFolder()
        let gzipNamedLog = folder.write("rotated.log.1", GzipEncoder.compress(Array("one\ntwo\n".utf8)))
        let plainNamedGz = folder.write("mislabelled.gz", "plain\ntext\n")
        let (compressed, _, first) = try readAllLines(gzipNamedLog)
        #expect(first.compression == .gzip)
        #expect(compressed.map(\.text) == ["one", "two"])
        let (plain, _, second) = try readAllLines(plainNamedGz)
        #expect(second.compression == .none)
        #expect(plain.map(\.text) == ["plain", "text"])
    }

    @Test("a truncated gzip keeps every line before the cut and says where it stopped")
    func truncatedFixture() throws {
        let path = FixturePaths.fixture("formats/ingest/truncated.log.gz")
        let (lines, error, _) = try readAllLines(path)
        let diagnostic = try #require(error as? Diagnostic)
        #expect(diagnostic.message.hasPrefix("gzip data truncated at byte 411 (member 2); "))
        // All of member 1, and whatever member 2 held before the cut, in order.
        let complete = lines.filter { !$0.wasCut }
        #expect(complete.count >= 100)
        #expect(
            complete.map(\.text)
                == (1...complete.count).map {
                    #"{"level":30,"msg":"request \#($0)","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#
                })
        #expect(diagnostic.message.hasSuffix("; \(complete.count) lines before it were read"))
        #expect(lines.filter(\.wasCut).count <= 1)
        #expect(diagnostic.description.hasPrefix(path))
    }

    @Test("a corrupt second member keeps member 1 and reports member 2 with its byte offset")
    func corruptMember() throws {
        let folder = TemporaryFolder()
        let first = GzipEncoder.compress(Self.jsonLines(1...2000))
        var second = GzipEncoder.compress(Self.jsonLines(2001...4000))
        for index in 20..<60 { second[index] ^= 0x5A }  // damage the deflate data after the 10-byte header
        let path = folder.write("damaged.log.gz", first + second)
        let (lines, error, _) = try readAllLines(path)
        let diagnostic = try #require(error as? Diagnostic)
        #expect(diagnostic.message.hasPrefix("gzip data corrupt at byte "))
        #expect(diagnostic.message.contains("(member 2)"))
        let offsetText = diagnostic.message.dropFirst("gzip data corrupt at byte ".count).prefix { $0.isNumber }
        let offset = try #require(Int(offsetText))
        #expect(offset > first.count && offset <= first.count + second.count)
        #expect(lines.prefix(2000).map(\.text) == (1...2000).map { #"{"level":30,"msg":"request \#($0)"}"# })
        #expect(diagnostic.message.contains("lines before it were read"))
    }

    @Test("a corrupt middle member is passed over: the members after it are read, and the damage is listed")
    func corruptMiddleMember() throws {
        let folder = TemporaryFolder()
        let first = GzipEncoder.compress(Self.jsonLines(1...2000))
        var second = GzipEncoder.compress(Self.jsonLines(2001...4000))
        for index in 20..<60 { second[index] ^= 0x5A }
        let third = GzipEncoder.compress(Self.jsonLines(4001...6000))
        let path = folder.write("damaged.log.gz", first + second + third)
        for chunkBytes in [7, 256 << 10] {
            let (lines, error, reader) = try readAllLines(path, configuration: .init(chunkBytes: chunkBytes))
            #expect(error == nil)
            let texts = lines.map(\.text)
            #expect(Array(texts.prefix(2000)) == (1...2000).map { #"{"level":30,"msg":"request \#($0)"}"# })
            #expect(Array(texts.suffix(2000)) == (4001...6000).map { #"{"level":30,"msg":"request \#($0)"}"# })
            #expect(lines.map(\.number) == Array(1...lines.count), "line numbers run on")
            let damage = try #require(reader.damages.first)
            #expect(reader.damages.count == 1)
            #expect(damage.member == 2)
            #expect(damage.compressedOffset > Int64(first.count))
            #expect(damage.compressedOffset <= Int64(first.count + second.count))
            #expect(reader.compressedBytesConsumed == Int64(first.count + second.count + third.count))
        }
    }

    @Test(
        "damage in a member's trailer length or in its header: the members after it are still read",
        arguments: ["trailer length", "header magic"])
    func damagedTrailerOrHeader(_ place: String) throws {
        let folder = TemporaryFolder()
        let first = GzipEncoder.compress(Self.jsonLines(1...100))
        var second = GzipEncoder.compress(Self.jsonLines(101...200))
        if place == "trailer length" { second[second.count - 1] ^= 0x01 } else { second[1] ^= 0xFF }
        let third = GzipEncoder.compress(Self.jsonLines(201...300))
        let path = folder.write("damaged.log.gz", first + second + third)
        let (lines, error, reader) = try readAllLines(path)
        #expect(error == nil)
        let texts = lines.map(\.text)
        #expect(Array(texts.prefix(100)) == (1...100).map { #"{"level":30,"msg":"request \#($0)"}"# })
        #expect(Array(texts.suffix(100)) == (201...300).map { #"{"level":30,"msg":"request \#($0)"}"# })
        #expect(reader.damages.count == 1, "\(reader.damages.map(\.reason))")
        #expect(reader.compressedBytesConsumed == Int64(first.count + second.count + third.count))
    }

    @Test("a thousands count in the message is grouped, 4,812 style")
    func groupedCount() throws {
        let folder = TemporaryFolder()
        let whole = GzipEncoder.compress(Self.jsonLines(1...5000))
        let path = folder.write("cut.gz", Array(whole.prefix(whole.count - 8)))  // only the trailer is missing
        let (lines, error, _) = try readAllLines(path)
        let diagnostic = try #require(error as? Diagnostic)
        #expect(lines.count == 5000)
        #expect(
            diagnostic.message
                == "gzip data truncated at byte \(whole.count - 8) (member 1); 5,000 lines before it were read")
        #expect(diagnostic.description.hasPrefix(path + ":5001: error: gzip data truncated"))
    }

    @Test("bytes after the last member that are not gzip are ignored and counted")
    func trailingGarbage() throws {
        let folder = TemporaryFolder()
        let member = GzipEncoder.compress(Array("a\nb\n".utf8))
        let path = folder.write("padded.gz", member + [UInt8](repeating: 0, count: 512))
        let stream = try ByteStream(path: path)
        var buffer = [UInt8](repeating: 0, count: 64)
        var total = 0
        while true {
            let count = try buffer.withUnsafeMutableBytes { bytes throws(ByteStreamError) in
                try stream.read(into: bytes)
            }
            if count == 0 { break }
            total += count
        }
        #expect(total == 4)
        #expect(stream.ignoredTrailingBytes == 512)
        #expect(stream.compressedBytesConsumed == Int64(member.count + 512))
    }
}
