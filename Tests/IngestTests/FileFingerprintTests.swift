import Ingest
import Testing
import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct FileFingerprintTests {
    static func content(size: Int, seed: UInt8) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ ($0 >> 10)) }
    }

    @Test("a renamed copy (rotation) has the same fingerprint as the original", arguments: [0, 10, 3 << 20])
    func renamedCopy(size: Int) throws {
        let folder = TemporaryFolder()
        let bytes = Self.content(size: size, seed: 1)
        let original = folder.write("app.log", bytes)
        let before = try FileFingerprint.compute(path: original)
        let rotated = folder.path + "/app.log.1"
        rename(original, rotated)
        #expect(try FileFingerprint.compute(path: rotated) == before)
        #expect(try FileFingerprint.compute(path: folder.write("elsewhere.txt", bytes)) == before)
        #expect(before.hasPrefix("sz\(size)-"))
        #expect(before.count == "sz\(size)-".count + 16)
    }

    @Test("changed content gives a different fingerprint: first byte, last byte, or size", arguments: [100, 3 << 20])
    func changedContent(size: Int) throws {
        let folder = TemporaryFolder()
        let bytes = Self.content(size: size, seed: 2)
        let base = try FileFingerprint.compute(path: folder.write("a", bytes))
        var head = bytes
        head[0] ^= 1
        var tail = bytes
        tail[size - 1] ^= 1
        let fingerprints = [
            base,
            try FileFingerprint.compute(path: folder.write("b", head)),
            try FileFingerprint.compute(path: folder.write("c", tail)),
            try FileFingerprint.compute(path: folder.write("d", bytes + [0x0A])),
        ]
        #expect(Set(fingerprints).count == 4)
    }

    @Test("only the first and last MiB are read: a change in the middle of a 3 MiB file goes unseen")
    func readsOnlyTheEnds() throws {
        let folder = TemporaryFolder()
        var bytes = Self.content(size: 3 << 20, seed: 3)
        let before = try FileFingerprint.compute(path: folder.write("a", bytes))
        bytes[(3 << 20) / 2] ^= 0xFF
        #expect(try FileFingerprint.compute(path: folder.write("b", bytes)) == before)
    }

    @Test("a missing file is a diagnostic naming it")
    func missing() throws {
        let error = #expect(throws: Diagnostic.self) { try FileFingerprint.compute(path: "/nonexistent/a.log") }
        #expect(error?.location.source == "/nonexistent/a.log")
    }
}
