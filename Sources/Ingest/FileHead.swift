package import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The first bytes of a file as stored on disk, to recognise the same file once it has grown.
///
/// A log that is appended to gets a new ``FileFingerprint`` (its size and tail change), but its first
/// bytes stay. A source stores a hash of its first `min(size, window)` bytes and that length; a later
/// file whose prefix of that length hashes the same, and which is at least as large, is that source grown
/// (or renamed, then grown). Reads at most `window` bytes. Gzip files are recognised from their magic
/// bytes: they are rotated backups, which do not grow, and are never resumed.
package struct FileHead: Sendable {
    /// Bytes hashed at most (64 KiB).
    package static let window = 64 << 10

    /// The first `min(size, window)` bytes.
    package let bytes: [UInt8]

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the head of the file at `path`.
    package static func read(path: String) throws(Diagnostic) -> FileHead {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw readError(path) }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: window)
        var done = 0
        while done < window {
            let count = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, window - done, off_t(done))
            }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw readError(path) }
            if count == 0 { break }
            done += count
        }
        bytes.removeSubrange(done...)
        return FileHead(bytes: bytes)
    }

    /// Bytes read (the whole file when it is smaller than the window).
    package var length: Int { bytes.count }

    /// True for a gzip file (magic bytes `1f 8b`).
    package var isGzip: Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The FNV-1a hash of the first `length` bytes (all of them by default), as the 64 bits SQLite stores.
    ///
    /// A `length` beyond what was read yields nil: this file is too small to be that source grown.
    package func hash(length: Int? = nil) -> Int64? {
        let count = length ?? bytes.count
        guard count >= 0, count <= bytes.count else { return nil }
        var hash = FNV1a()
        bytes.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        return Int64(bitPattern: hash.value)
    }

    /// Hashes of growing prefixes in one pass: asked for increasing lengths, it hashes each byte once.
    ///
    /// A database of many small sources has many distinct head lengths; hashing each prefix from the start
    /// would read the head once per length.
    package struct PrefixHasher {
        private let head: FileHead
        private var hash = FNV1a()
        private var hashed = 0

        package init(_ head: FileHead) {
            self.head = head
        }

        /// The hash of the first `length` bytes (as ``FileHead/hash(length:)``); nil beyond the head.
        package mutating func hash(length: Int) -> Int64? {
            guard length >= 0, length <= head.bytes.count else { return nil }
            if length < hashed {
                hash = FNV1a()
                hashed = 0
            }
            let from = hashed
            head.bytes.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[from..<length])) }
            hashed = length
            return Int64(bitPattern: hash.value)
        }
    }

    private static func readError(_ path: String) -> Diagnostic {
        Diagnostic(
            location: InputLocation(source: path), message: "cannot read file: \(FileSystem.lastErrorText())",
            hint: "check that it exists and is readable")
    }
}
