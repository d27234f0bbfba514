#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
package import TraceJoinCore

/// Splits a file's (decompressed) bytes into lines, without allocating per line.
///
/// Reads large chunks into one buffer, finds `\n` with `memchr`, and hands each line to a closure as a view into
/// that buffer. Only the unfinished tail of a chunk is moved to the front before the next read, so a line that
/// spans two chunks costs one small copy. The buffer starts at `chunkBytes` and grows (doubling) only while a
/// single line needs more, up to `maxLineBytes` + 2.
///
/// Handles what real log files hold: `\r\n` endings (the `\r` is dropped), a UTF-8 BOM at the start (dropped),
/// a missing final newline (the last line is still delivered), empty lines (delivered), invalid UTF-8 (passed
/// through). Lines over `maxLineBytes` are cut and counted: the first `maxLineBytes` bytes are delivered with
/// `wasCut`, the rest is skipped to the newline, so one runaway line (a base64 blob, a binary file) cannot
/// exhaust memory.
package final class LineReader {
    package struct Configuration: Sendable {
        /// Longest line delivered whole; longer lines are cut to this (default 1 MiB).
        package var maxLineBytes: Int
        /// Size of each read from the decompressed stream (default 256 KiB).
        package var chunkBytes: Int

        package init(maxLineBytes: Int = 1 << 20, chunkBytes: Int = 256 << 10) {
            self.maxLineBytes = max(1, maxLineBytes)
            self.chunkBytes = max(4, chunkBytes)
        }
    }

    package let path: String
    package let configuration: Configuration
    /// Lines delivered so far (cut lines included).
    package private(set) var linesRead = 0
    /// Lines delivered cut because they were longer than `maxLineBytes`.
    package private(set) var linesCut = 0
    private let stream: ByteStream

    /// Whether the file is gzip (found from its magic bytes).
    package var compression: ByteStream.Compression { stream.compression }
    /// File bytes consumed so far (compressed for gzip), for progress against ``InputFile/size``.
    package var compressedBytesConsumed: Int64 { stream.compressedBytesConsumed }
    /// Decompressed bytes read so far.
    package var decompressedBytesRead: Int64 { stream.decompressedBytesDelivered }

    package init(path: String, configuration: Configuration = Configuration()) throws(Diagnostic) {
        self.path = path
        self.configuration = configuration
        stream = try ByteStream(path: path)
    }

    /// Calls `body` for every line, in order. Call once per reader.
    ///
    /// Errors thrown by `body` stop the reading and are rethrown as they are. A read failure (truncated or corrupt
    /// gzip, an I/O error) is thrown as a ``Diagnostic`` after every line before it was delivered; the unfinished
    /// line the data stopped in is delivered too, with `wasCut`.
    package func forEachLine(_ body: (Line) throws -> Void) throws {
        let maxLine = configuration.maxLineBytes
        var capacity = configuration.chunkBytes
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var base: Int64 = 0  // stream offset of buffer[0]
        var lineStart = 0
        var end = 0
        var skipping = false  // inside the rest of a line that was cut

        func deliver(from start: Int, count: Int, cut: Bool) throws {
            linesRead += 1
            let line = Line(
                bytes: UnsafeBufferPointer(start: buffer + start, count: count), number: linesRead,
                byteOffset: base + Int64(start), wasCut: cut)
            try body(line)
        }

        /// Delivers `buffer[lineStart..<stop]` (a line without its `\n`), dropping a final `\r`, cutting if long.
        func deliverLine(upTo stop: Int) throws {
            var count = stop - lineStart
            if count > 0, buffer[stop - 1] == UInt8(ascii: "\r") { count -= 1 }
            let cut = count > maxLine
            if cut { linesCut += 1 }
            try deliver(from: lineStart, count: min(count, maxLine), cut: cut)
        }

        /// Reads into `buffer[end...]`; on failure delivers the unfinished line, then throws the diagnostic.
        func fill() throws -> Int {
            do {
                let count = try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
                end += count
                return count
            } catch {
                let linesBefore = linesRead
                if !skipping, end > lineStart {
                    try deliver(from: lineStart, count: min(end - lineStart, maxLine), cut: true)
                }
                throw error.diagnostic(path: path, linesBefore: linesBefore, decompressedOffset: base + Int64(end))
            }
        }

        // A byte-order mark is only looked for at the very start, so gather three bytes first.
        while end < 3, try fill() > 0 {}
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { lineStart = 3 }
        var scanFrom = lineStart

        while true {
            while scanFrom < end, let found = memchr(buffer + scanFrom, Int32(UInt8(ascii: "\n")), end - scanFrom) {
                let newline = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if skipping {
                    skipping = false
                } else {
                    try deliverLine(upTo: newline)
                }
                lineStart = newline + 1
                scanFrom = lineStart
            }
            scanFrom = end
            if !skipping, end - lineStart >= maxLine + 2 {  // no newline yet and too long whatever follows
                linesCut += 1
                try deliver(from: lineStart, count: maxLine, cut: true)
                skipping = true
            }
            if skipping { lineStart = end }  // drop what was skipped
            if lineStart > 0 {  // keep only the unfinished line
                let pending = end - lineStart
                if pending > 0 { memmove(buffer, buffer + lineStart, pending) }  // regions may overlap
                base += Int64(lineStart)
                end = pending
                lineStart = 0
                scanFrom = pending
            }
            if end == capacity {  // one line fills the buffer: grow it, at most to maxLine + 2
                let grown = min(capacity * 2, maxLine + 2)
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
                bigger.update(from: buffer, count: end)
                buffer.deallocate()
                buffer = bigger
                capacity = grown
            }
            if try fill() == 0 {
                if !skipping, end > lineStart { try deliverLine(upTo: end) }
                return
            }
        }
    }
}
