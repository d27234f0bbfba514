package import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

        /// Whether a last line without a newline is delivered (default true). A tailer sets it false: the writer
        /// may still be writing that line, and ``LineReader/nextPosition`` then stays at its start.
        package var deliversUnterminatedLastLine: Bool

        package init(
            maxLineBytes: Int = 1 << 20, chunkBytes: Int = 256 << 10, deliversUnterminatedLastLine: Bool = true
        ) {
            self.maxLineBytes = max(1, maxLineBytes)
            self.chunkBytes = max(4, chunkBytes)
            self.deliversUnterminatedLastLine = deliversUnterminatedLastLine
        }
    }

    package let path: String
    package let configuration: Configuration
    /// Lines delivered so far by this reader (cut lines included).
    package private(set) var linesRead = 0
    /// Where the first line not yet delivered starts: the checkpoint to resume from after ``forEachLine(_:)``.
    package private(set) var nextPosition: LinePosition
    /// Where the line after the last newline-terminated line starts: the checkpoint to resume a file that may
    /// still grow. Equals ``nextPosition`` unless an unterminated last line was delivered, which a later run
    /// then reads again (whole, if the writer has finished it) at the same offset and number.
    package private(set) var terminatedPosition: LinePosition
    /// Lines delivered cut because they were longer than `maxLineBytes`.
    package private(set) var linesCut = 0
    private let stream: ByteStream

    /// Whether the file is gzip (found from its magic bytes).
    package var compression: ByteStream.Compression { stream.compression }
    /// File bytes consumed so far (compressed for gzip), for progress against ``InputFile/size``.
    package var compressedBytesConsumed: Int64 { stream.compressedBytesConsumed }
    /// Decompressed bytes read so far.
    package var decompressedBytesRead: Int64 { stream.decompressedBytesDelivered }
    /// Corrupt gzip members passed over, reading on at the next member (``ByteStream/damages``).
    package var damages: [ByteStreamError] { stream.damages }

    /// Opens `path`, positioned at `position` (the start by default; a saved ``nextPosition`` to resume).
    ///
    /// A file shorter than the position (truncated or replaced since) is a diagnostic: the caller decides whether
    /// to read it again from the start.
    package init(
        path: String, configuration: Configuration = Configuration(), startingAt position: LinePosition = .start
    ) throws(Diagnostic) {
        self.path = path
        self.configuration = configuration
        nextPosition = position
        terminatedPosition = position
        stream = try ByteStream(path: path)
        guard position.byteOffset > 0 else { return }
        let skipped: Int64
        do { skipped = try stream.skip(position.byteOffset) } catch {
            throw error.diagnostic(path: path, linesBefore: nil, decompressedOffset: stream.decompressedBytesDelivered)
        }
        guard skipped == position.byteOffset else {
            throw Diagnostic(
                location: InputLocation(source: path, byteOffset: skipped),
                message: "file is shorter than the position to resume from (\(position.byteOffset) bytes)",
                hint: "it was truncated or replaced; read it again from the start")
        }
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
        var base = nextPosition.byteOffset  // stream offset of buffer[0]
        var number = nextPosition.lineNumber - 1
        var lineStart = 0
        var end = 0
        var skipping = false  // inside the rest of a line that was cut

        func deliver(from start: Int, count: Int, cut: Bool) throws {
            linesRead += 1
            number += 1
            let line = Line(
                bytes: UnsafeBufferPointer(start: buffer + start, count: count), number: number,
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
                let count = try stream.read(
                    into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
                end += count
                return count
            } catch {
                let linesBefore = linesRead
                let stoppedIn = number + 1
                if !skipping, end > lineStart {
                    try deliver(from: lineStart, count: min(end - lineStart, maxLine), cut: true)
                }
                throw error.diagnostic(
                    path: path, linesBefore: linesBefore, line: stoppedIn, decompressedOffset: base + Int64(end))
            }
        }

        // A byte-order mark is only looked for at the very start, so gather three bytes first.
        if base == 0 {
            while end < 3, try fill() > 0 {}
            if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                lineStart = 3
                nextPosition = LinePosition(byteOffset: 3, lineNumber: 1)
                terminatedPosition = nextPosition
            }
        }
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
                nextPosition = LinePosition(byteOffset: base + Int64(lineStart), lineNumber: number + 1)
                terminatedPosition = nextPosition
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
                guard configuration.deliversUnterminatedLastLine else { return }
                if !skipping, end > lineStart { try deliverLine(upTo: end) }
                if skipping || end > lineStart {  // the last line, cut or whole, is done
                    nextPosition = LinePosition(byteOffset: base + Int64(end), lineNumber: number + 1)
                }
                return
            }
        }
    }
}
