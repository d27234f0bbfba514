import Ingest
import Testing
import TraceJoinTesting

/// Compares ``LineReader`` with a plain reference splitter on random content full of edge cases.
@Suite struct LineReaderModelTests {
    /// The documented behaviour, written the slow, obvious way.
    static func referenceLines(_ bytes: [UInt8], maxLineBytes: Int) -> [ReadLine] {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var lines: [ReadLine] = []
        var index = start
        while index < bytes.count {
            let newline = bytes[index...].firstIndex(of: 0x0A)
            var content = Array(bytes[index..<(newline ?? bytes.count)])
            if content.last == 0x0D { content.removeLast() }
            let cut = content.count > maxLineBytes
            let kept = Array(content.prefix(maxLineBytes))
            lines.append(
                ReadLine(
                    text: String(decoding: kept, as: UTF8.self), bytes: kept, number: lines.count + 1,
                    byteOffset: Int64(index), wasCut: cut))
            index = (newline ?? bytes.count) + 1
        }
        return lines
    }

    static func randomContent(_ generator: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = Bool.random(using: &generator) ? [0xEF, 0xBB, 0xBF] : []
        for _ in 0..<Int.random(in: 0...60, using: &generator) {
            let length = [0, 1, 5, 9, 10, 11, 12, 30].randomElement(using: &generator)!
            for _ in 0..<length {
                bytes.append([0x61, 0x62, 0x0D, 0xFF, 0xC3, 0x20].randomElement(using: &generator)!)
            }
            bytes += [[0x0A], [0x0D, 0x0A], [0x0D, 0x0D, 0x0A]].randomElement(using: &generator)!
        }
        if Bool.random(using: &generator) { bytes += Array("tail without newline".utf8) }
        return bytes
    }

    @Test("random lines with CR, BOM, invalid UTF-8 and long lines match the reference", arguments: 1...40)
    func matchesReference(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed))
        let folder = TemporaryFolder()
        let bytes = Self.randomContent(&generator)
        let maxLineBytes = Int.random(in: 1...12, using: &generator)
        let chunkBytes = Int.random(in: 4...20, using: &generator)
        let compressed = Bool.random(using: &generator)
        let path = folder.write("m.log", compressed ? GzipEncoder.compress(bytes) : bytes)
        let (lines, error, reader) = try readAllLines(
            path, configuration: .init(maxLineBytes: maxLineBytes, chunkBytes: chunkBytes))
        let expected = Self.referenceLines(bytes, maxLineBytes: maxLineBytes)
        #expect(error == nil)
        #expect(lines == expected, "seed \(seed), max \(maxLineBytes), chunk \(chunkBytes), gzip \(compressed)")
        #expect(reader.linesCut == expected.filter(\.wasCut).count)
    }
}
