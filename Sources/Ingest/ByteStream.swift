import CZlib
package import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's bytes, decompressed if it is gzip, delivered in chunks with bounded memory.
///
/// Gzip is recognised by its magic bytes `1f 8b`, not by the name: rotated backups are not always named `.gz`
/// and a `.gz` name is no promise. Multi-member files (`cat a.gz b.gz`, logrotate appending) are read through:
/// after a member ends, `inflateReset` starts the next one. Bytes after the last member that are not a gzip
/// header (tape padding) are ignored and counted in ``ignoredTrailingBytes``, as `gzip -d` does.
///
/// On a corrupt member, reading goes on at the next gzip member header after the damage (the members after
/// it are intact: `cat a.gz b.gz c.gz` with `b` damaged keeps `a` and `c`); a newline is put between what came
/// before the damage and the next member, so a half line stays a line of its own, and the damage is listed in
/// ``damages``. When no member follows, and on a truncated member, everything inflated before is delivered
/// first; the next `read` throws a ``ByteStreamError`` saying where. Memory: one input buffer and zlib's 32 KiB window.
package final class ByteStream {
    package enum Compression: Sendable, Equatable {
        case none, gzip
    }

    package let path: String
    package private(set) var compression: Compression = .none
    /// File bytes consumed so far (compressed, for gzip): progress against ``InputFile/size``.
    package private(set) var compressedBytesConsumed: Int64 = 0
    /// Bytes delivered by ``read(into:)`` so far.
    package private(set) var decompressedBytesDelivered: Int64 = 0
    /// 1-based gzip member being read; 0 for a plain file.
    package private(set) var member = 0
    /// Non-gzip bytes after the last gzip member, skipped.
    package private(set) var ignoredTrailingBytes: Int64 = 0
    /// Corrupt members skipped, reading on at the next member: where each was found damaged.
    package private(set) var damages: [ByteStreamError] = []
    /// A newline is owed between the data before a skipped damage and the next member's.
    private var separatorOwed = false
    /// Where the last resynchronisation started (compressed offset), so a header that fails at once is passed.
    private var lastResync: Int64 = -1

    private let descriptor: Int32
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var fileOffset: Int64 = 0  // bytes read from the descriptor
    private var endOfFile = false
    private var finished = false
    private var memberEnded = false
    private var pendingError: ByteStreamError?
    private var zstream: UnsafeMutablePointer<z_stream>?

    /// Opens `path` and looks at its first bytes.
    /// - Parameter inputChunkBytes: size of each `read()` from the file (and of the input buffer).
    package init(path: String, inputChunkBytes: Int = 256 << 10) throws(Diagnostic) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Diagnostic(
                location: InputLocation(source: path), message: "cannot open file: \(FileSystem.lastErrorText())",
                hint: "check that it exists and is readable")
        }
        input = .allocate(byteCount: max(inputChunkBytes, 16), alignment: 16)
        do {
            while inputEnd < 2, !endOfFile { try fillInput() }
        } catch {
            pendingError = error
        }
        if inputEnd >= 2, input[0] == 0x1f, input[1] == 0x8b {
            compression = .gzip
            member = 1
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // 15 + 16: a 32 KiB window, gzip wrapper only (the magic was checked above).
            guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()  // the descriptor and buffer are released by deinit: self is fully initialized
                throw Diagnostic(location: InputLocation(source: path), message: "cannot start gzip decoder")
            }
            zstream = stream
        }
    }

    deinit {
        if let zstream {
            inflateEnd(zstream)
            zstream.deinitialize(count: 1)
            zstream.deallocate()
        }
        input.deallocate()
        close(descriptor)
    }

    /// Fills `buffer` with the next bytes; 0 at the end. Throws once, after all readable bytes were delivered.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(ByteStreamError) -> Int {
        if let error = pendingError {
            pendingError = nil
            finished = true
            throw error
        }
        guard !finished, buffer.count > 0 else { return 0 }
        let count = compression == .gzip ? try inflateInto(buffer) : try copyInto(buffer)
        decompressedBytesDelivered += Int64(count)
        return count
    }

    /// Skips the next `count` decompressed bytes, to resume where an earlier run stopped; returns how many were
    /// skipped (fewer when the stream ends first). A plain file seeks; gzip has to inflate and discard.
    package func skip(_ count: Int64) throws(ByteStreamError) -> Int64 {
        guard count > 0 else { return 0 }
        if compression == .none {
            let buffered = Int64(inputEnd - inputStart)
            if count <= buffered {
                inputStart += Int(count)
            } else {
                inputStart = inputEnd
                var info = stat()
                let size = fstat(descriptor, &info) == 0 ? Int64(info.st_size) : fileOffset
                let target = min(fileOffset + (count - buffered), max(size, fileOffset))
                lseek(descriptor, off_t(target), SEEK_SET)
                let skipped = buffered + (target - fileOffset)
                fileOffset = target
                compressedBytesConsumed += skipped
                decompressedBytesDelivered += skipped
                return skipped
            }
            compressedBytesConsumed += count
            decompressedBytesDelivered += count
            return count
        }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { scratch.deallocate() }
        var skipped: Int64 = 0
        while skipped < count {
            let want = Int(min(Int64(scratch.count), count - skipped))
            let got = try read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<want]))
            if got == 0 { break }
            skipped += Int64(got)
        }
        return skipped
    }

    // MARK: - Plain files

    private func copyInto(_ buffer: UnsafeMutableRawBufferPointer) throws(ByteStreamError) -> Int {
        if inputStart < inputEnd {  // the bytes read to look for the magic
            let count = min(buffer.count, inputEnd - inputStart)
            buffer.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: count)
            inputStart += count
            compressedBytesConsumed += Int64(count)
            return count
        }
        while true {
            let count = FileSystem.read(descriptor, into: buffer.baseAddress!, count: buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                finished = true
                throw ByteStreamError(
                    kind: .io(FileSystem.lastErrorText()), compressedOffset: compressedBytesConsumed, member: 0)
            }
            if count == 0 { finished = true }
            compressedBytesConsumed += Int64(count)
            fileOffset += Int64(count)
            return count
        }
    }

    // MARK: - Gzip

    private func inflateInto(_ buffer: UnsafeMutableRawBufferPointer) throws(ByteStreamError) -> Int {
        guard let stream = zstream else { return 0 }
        var produced = 0
        while produced == 0 {
            if inputStart == inputEnd, !endOfFile {
                do { try fillInput() } catch {
                    finished = true
                    throw error
                }
            }
            if memberEnded {
                if inputEnd - inputStart < 2, !endOfFile {
                    do { try fillInput() } catch {
                        finished = true
                        throw error
                    }
                    continue
                }
                if inputStart == inputEnd {  // clean end after the last member
                    finished = true
                    return 0
                }
                guard inputEnd - inputStart >= 2, input[inputStart] == 0x1f, input[inputStart + 1] == 0x8b else {
                    // Not a header: a damaged one if a member follows further on, else padding.
                    let before = compressedBytesConsumed
                    let damage = failure(.gzipCorrupt("no gzip member header after member \(member)"))
                    let found: Bool
                    do { found = try skipToNextMember(from: inputStart) } catch {
                        finished = true
                        throw error
                    }
                    guard found else {
                        ignoredTrailingBytes = compressedBytesConsumed - before
                        finished = true
                        return 0
                    }
                    damages.append(damage)
                    separatorOwed = true
                    continue
                }
                inflateReset(stream)
                memberEnded = false
                member += 1
            }
            if separatorOwed {
                buffer.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: produced, as: UInt8.self)
                produced += 1
                separatorOwed = false
                if produced == buffer.count { return produced }
            }
            let available = inputEnd - inputStart
            stream.pointee.next_in = (input.baseAddress! + inputStart).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(available)
            stream.pointee.next_out = (buffer.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(buffer.count - produced)
            let status = inflate(stream, Z_NO_FLUSH)
            let used = available - Int(stream.pointee.avail_in)
            inputStart += used
            compressedBytesConsumed += Int64(used)
            produced = buffer.count - Int(stream.pointee.avail_out)

            switch status {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                if produced == 0, used == 0, inputStart == inputEnd, endOfFile {
                    finished = true
                    throw failure(.gzipTruncated)
                }
            default:
                let error = failure(.gzipCorrupt(zlibMessage(stream, status: status)))
                do {
                    // zlib stops on the damage, or (a bad length in the trailer) just after the member, on the
                    // next header: look from here, unless the last resynchronisation already started here.
                    let from = compressedBytesConsumed == lastResync ? inputStart + 1 : inputStart
                    lastResync = compressedBytesConsumed
                    if try skipToNextMember(from: from) {
                        damages.append(error)
                        inflateReset(stream)
                        member += 1
                        separatorOwed = true
                        if produced > 0 { return produced }
                        continue
                    }
                } catch {
                    finished = true
                    throw error
                }
                if produced > 0 {
                    pendingError = error
                } else {
                    finished = true
                    throw error
                }
                return produced
            }
        }
        return produced
    }

    /// Moves the input to the next gzip member header (`1f 8b 08`, reserved flags clear) at or after `start`,
    /// counting the bytes passed over as consumed; false (all input consumed) when there is none.
    private func skipToNextMember(from start: Int) throws(ByteStreamError) -> Bool {
        var index = start
        while true {
            while index + 3 < inputEnd {
                if input[index] == 0x1f, input[index + 1] == 0x8b, input[index + 2] == 0x08, input[index + 3] & 0xE0 == 0 {
                    compressedBytesConsumed += Int64(index - inputStart)
                    inputStart = index
                    return true
                }
                index += 1
            }
            // Keep the last bytes, which may start a header, and read on.
            let keep = min(3, inputEnd - inputStart)
            compressedBytesConsumed += Int64(inputEnd - inputStart - keep)
            inputStart = inputEnd - keep
            if endOfFile {
                compressedBytesConsumed += Int64(keep)
                inputStart = inputEnd
                return false
            }
            try fillInput()
            index = inputStart
        }
    }

    private func failure(_ kind: ByteStreamError.Kind) -> ByteStreamError {
        ByteStreamError(kind: kind, compressedOffset: compressedBytesConsumed, member: member)
    }

    private func zlibMessage(_ stream: UnsafeMutablePointer<z_stream>, status: Int32) -> String {
        if let text = stream.pointee.msg { return String(cString: text) }
        switch status {
        case Z_NEED_DICT: return "needs a preset dictionary"
        case Z_MEM_ERROR: return "out of memory"
        default: return "zlib status \(status)"
        }
    }

    // MARK: - Input buffer

    /// Reads more of the file after any unconsumed input, moving that to the front first.
    private func fillInput() throws(ByteStreamError) {
        if inputStart > 0 {
            let pending = inputEnd - inputStart
            if pending > 0 { input.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: pending) }
            inputStart = 0
            inputEnd = pending
        }
        while true {
            let count = FileSystem.read(descriptor, into: input.baseAddress! + inputEnd, count: input.count - inputEnd)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw ByteStreamError(
                    kind: .io(FileSystem.lastErrorText()), compressedOffset: compressedBytesConsumed, member: member)
            }
            if count == 0 { endOfFile = true }
            inputEnd += count
            fileOffset += Int64(count)
            return
        }
    }
}
