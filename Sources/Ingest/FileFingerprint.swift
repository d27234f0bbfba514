package import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Identifies a file by its content, not its name: `sz<size>-<16 hex>`.
///
/// Rotation renames files (`app.log` → `app.log.1`), so a re-run over a folder that still holds last night's files
/// must recognise them by what they hold. Reading whole files to hash them would cost as much as ingesting them;
/// the size plus a hash of the first and last `window` bytes (1 MiB each) tells files apart in practice while
/// reading at most 2 MiB. Two files that differ only in their middle, with the same size, collide: an accepted
/// limit for log files, whose timestamps differ at both ends.
package enum FileFingerprint {
    /// Bytes hashed at each end of the file.
    package static let window = 1 << 20

    /// The fingerprint of the file at `path` as it is now.
    package static func compute(path: String) throws(Diagnostic) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw readError(path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw readError(path) }
        let size = Int64(info.st_size)

        var hash = FNV1a()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: window, alignment: 16)
        defer { buffer.deallocate() }
        let headLength = Int(min(size, Int64(window)))
        try hashRange(descriptor, offset: 0, length: headLength, buffer: buffer, into: &hash, path: path)
        if size > Int64(window) {
            let tailLength = Int(min(size - Int64(window), Int64(window)))
            try hashRange(
                descriptor, offset: size - Int64(tailLength), length: tailLength, buffer: buffer, into: &hash,
                path: path)
        }
        return "sz\(size)-\(hexText(hash.value))"
    }

    private static func hashRange(
        _ descriptor: Int32, offset: Int64, length: Int, buffer: UnsafeMutableRawBufferPointer,
        into hash: inout FNV1a, path: String
    ) throws(Diagnostic) {
        var done = 0
        while done < length {
            let count = pread(descriptor, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw readError(path) }
            if count == 0 { break }  // the file shrank meanwhile: hash what is there
            done += count
        }
        hash.add(UnsafeRawBufferPointer(rebasing: buffer[0..<done]))
    }

    private static func hexText(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func readError(_ path: String) -> Diagnostic {
        Diagnostic(
            location: InputLocation(source: path), message: "cannot read file: \(FileSystem.lastErrorText())",
            hint: "check that it exists and is readable")
    }
}

/// 64-bit FNV-1a: simple, stable across runs and platforms (unlike `Hasher`, which is seeded per process).
/// — source: http://www.isthe.com/chongo/tech/comp/fnv/
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var state = value
        for byte in bytes {
            state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        value = state
    }
}
