#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file a tailer follows: `fstat`, its head, and line splitting with `pread` from a given offset.
///
/// Keeping the descriptor is what makes rotation lossless: after a rename, a gzip of the renamed file or an
/// `unlink`, the descriptor still reads the original inode to its end. Reads use `pread` at explicit offsets,
/// so the position lives in ``FollowedFile`` (and in checkpoints), not in the kernel.
final class TailDescriptor {
    let path: String
    private let descriptor: Int32

    /// Opens `path` for reading; throws when it cannot be opened (gone since it was listed, or unreadable).
    init(path: String) throws(TailOpenError) {
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { throw TailOpenError(code: errno) }
        self.path = path
        descriptor = opened
    }

    deinit { close(descriptor) }

    /// Device, inode and size of the open file.
    func status() -> (device: UInt64, inode: UInt64, size: Int64)? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino), Int64(info.st_size))
    }

    /// Whether the file has no name left (unlinked everywhere): it lives only as long as this descriptor.
    var isDeleted: Bool {
        var info = stat()
        return fstat(descriptor, &info) == 0 && info.st_nlink == 0
    }

    /// The first `min(size, TailFileIdentity.window)` bytes.
    func head() -> [UInt8] {
        bytes(at: 0, count: TailFileIdentity.window)
    }

    /// The identity and head of the open file now; nil if `fstat` fails.
    func identity() -> (identity: TailFileIdentity, head: [UInt8], size: Int64)? {
        guard let status = status() else { return nil }
        let head = head()
        return (TailFileIdentity(device: status.device, inode: status.inode, head: head), head, status.size)
    }

    /// A line found by ``readLines(from:maxLineBytes:chunkBytes:_:)``; `bytes` is valid during the callback only.
    struct RawLine {
        var bytes: UnsafeBufferPointer<UInt8>
        var number: Int
        var byteOffset: Int64
        var wasCut: Bool
        /// Where the line after it starts.
        var next: LinePosition
    }

    /// Result of ``readLines(from:maxLineBytes:chunkBytes:_:)``.
    struct ReadResult {
        /// Start of the first line not delivered (its newline has not been written yet).
        var position: LinePosition
        /// Offset where the data ended.
        var endOffset: Int64
        /// Bytes after the last newline.
        var unterminatedBytes: Int64
        /// Lines delivered cut.
        var linesCut: Int
    }

    /// Delivers every newline-terminated line from `start` to the end of the file.
    ///
    /// A line longer than `maxLineBytes` is delivered cut when its newline arrives; until then its start is
    /// re-read on each poll (bounded by what the writer added), so no state but the position survives a read.
    func readLines(
        from start: LinePosition, maxLineBytes: Int, chunkBytes: Int, _ body: (RawLine) throws -> Void
    ) rethrows -> ReadResult {
        var capacity = max(chunkBytes, 16)
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var base = start.byteOffset  // file offset of buffer[0]
        var end = 0
        var lineStart = 0
        var scanFrom = 0
        var number = start.lineNumber
        var position = start
        var linesCut = 0
        var longLine: (start: Int64, prefix: [UInt8])?  // a line past maxLineBytes, waiting for its newline

        while true {
            let count = pread(descriptor, buffer + end, capacity - end, off_t(base + Int64(end)))
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            if base == 0, end < 3, end + count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF,
                lineStart == 0
            {  // a UTF-8 byte-order mark at the start of the file is not part of line 1
                lineStart = 3
                scanFrom = 3
                position = LinePosition(byteOffset: 3, lineNumber: number)
            }
            end += count
            while scanFrom < end, let found = memchr(buffer + scanFrom, Int32(UInt8(ascii: "\n")), end - scanFrom) {
                let newline = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if let long = longLine {
                    linesCut += 1
                    let next = LinePosition(byteOffset: base + Int64(newline + 1), lineNumber: number + 1)
                    try long.prefix.withUnsafeBufferPointer {
                        try body(RawLine(bytes: $0, number: number, byteOffset: long.start, wasCut: true, next: next))
                    }
                    longLine = nil
                } else {
                    var length = newline - lineStart
                    if length > 0, buffer[newline - 1] == UInt8(ascii: "\r") { length -= 1 }
                    let cut = length > maxLineBytes
                    if cut { linesCut += 1 }
                    try body(
                        RawLine(
                            bytes: UnsafeBufferPointer(start: buffer + lineStart, count: min(length, maxLineBytes)),
                            number: number, byteOffset: base + Int64(lineStart), wasCut: cut,
                            next: LinePosition(byteOffset: base + Int64(newline + 1), lineNumber: number + 1)))
                }
                number += 1
                lineStart = newline + 1
                scanFrom = lineStart
                position = LinePosition(byteOffset: base + Int64(lineStart), lineNumber: number)
            }
            scanFrom = end
            if longLine == nil, end - lineStart > maxLineBytes + 1 {
                longLine = (
                    base + Int64(lineStart), Array(UnsafeBufferPointer(start: buffer + lineStart, count: maxLineBytes))
                )
            }
            if longLine != nil { lineStart = end }  // the rest of a cut line is skipped
            if lineStart > 0 {
                let pending = end - lineStart
                if pending > 0 { memmove(buffer, buffer + lineStart, pending) }
                base += Int64(lineStart)
                end = pending
                lineStart = 0
                scanFrom = pending
            }
            if end == capacity {
                let grown = capacity * 2
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
                bigger.update(from: buffer, count: end)
                buffer.deallocate()
                buffer = bigger
                capacity = grown
            }
        }
        let endOffset = base + Int64(end)
        return ReadResult(
            position: position, endOffset: endOffset, unterminatedBytes: endOffset - position.byteOffset,
            linesCut: linesCut)
    }

    /// Reads the unterminated last line `[start, end)` (at most `maxLineBytes` of it) for a forced delivery.
    func readPartialLine(from start: Int64, to end: Int64, maxLineBytes: Int) -> [UInt8] {
        bytes(at: start, count: Int(max(0, min(end - start, Int64(maxLineBytes)))))
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    func bytes(at offset: Int64, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        let read = readFully(into: &bytes, at: offset)
        bytes.removeSubrange(read...)
        return bytes
    }

    private func readFully(into bytes: inout [UInt8], at offset: Int64) -> Int {
        let wanted = bytes.count
        var done = 0
        while done < wanted {
            let count = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, wanted - done, off_t(offset + Int64(done)))
            }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            done += count
        }
        return done
    }
}

/// Why a matched file could not be opened: its `errno`.
struct TailOpenError: Error {
    var code: Int32

    /// Gone since the glob listed it: not worth a word, the next poll will not list it.
    var isMissing: Bool { code == ENOENT || code == ENOTDIR }

    /// The process (or system) has no descriptor left: the file is fine, try again later.
    var isOutOfDescriptors: Bool { code == EMFILE || code == ENFILE }

    /// The system's wording (`Permission denied`), never the file's content.
    var reason: String { String(cString: strerror(code)) }
}
