import CZlib

/// Why a `Content-Encoding: gzip` body could not be inflated.
package enum GzipBodyError: Error, Equatable, Sendable {
    /// zlib found bad data (wrong magic, bad checksum, invalid block); zlib's own words.
    case corrupt(String)
    /// The body ended inside a gzip member.
    case truncated
    /// Bytes after the last member that do not start another one.
    case trailingData(byteCount: Int)
    /// The inflated body would be larger than the limit; inflating stopped there.
    case tooLarge(limit: Int)

    /// For the 400/413 answer; names what was wrong, never the bytes.
    package var message: String {
        switch self {
        case .corrupt(let reason): "gzip body is corrupt: \(reason)"
        case .truncated: "gzip body is truncated: it ends inside a gzip member"
        case .trailingData(let count): "gzip body has \(count) bytes after the last gzip member that are not gzip"
        case .tooLarge(let limit): "body inflates to more than the limit of \(limit) bytes"
        }
    }
}

/// Undoes `Content-Encoding: gzip` on a request body held in memory, with a hard limit on the output.
///
/// Inflates in 64 KiB steps and stops as soon as the output would pass `outputLimit`, so a gzip bomb
/// (16 MiB of zeros is 16 KiB of gzip) costs at most the limit in memory. Multi-member bodies
/// (`cat a.gz b.gz`) inflate to the concatenation, as `gunzip` does. Unlike `gunzip`, bytes after the last
/// member are an error, not a warning: an HTTP body has no tape padding, so they mean damage.
///
/// zlib keeps a pointer back to the `z_stream` it was initialised with and checks it on every call, so the
/// stream lives at one heap address for its whole life; `next_in`/`next_out` are set, used and cleared inside
/// the closures that own the buffers they point into.
package enum GzipBodyInflater {
    /// Output step; also the most the output may overshoot the limit before it is checked.
    private static let chunkBytes = 64 << 10

    package static func inflate(_ body: [UInt8], outputLimit: Int) throws(GzipBodyError) -> [UInt8] {
        guard !body.isEmpty else { throw .truncated }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        // 15 + 16: a 32 KiB window, gzip wrapper only ("deflate" bodies are refused before this, with 415).
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib could not start (out of memory?)")
        }
        defer { inflateEnd(stream) }  // runs before the deallocation above: defers run in reverse order

        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkBytes)
        defer { chunk.deallocate() }
        var output: [UInt8] = []
        let result: Result<[UInt8], GzipBodyError> = body.withUnsafeBufferPointer { input in
            var consumed = 0
            while true {
                let offered = min(input.count - consumed, Int(UInt32.max))
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                stream.pointee.avail_in = uInt(offered)
                stream.pointee.next_out = chunk.baseAddress
                stream.pointee.avail_out = uInt(chunk.count)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                let used = offered - Int(stream.pointee.avail_in)
                let produced = chunk.count - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                consumed += used
                guard output.count + produced <= outputLimit else { return .failure(.tooLarge(limit: outputLimit)) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<produced]))

                switch status {
                case Z_STREAM_END:
                    let left = input.count - consumed
                    if left == 0 { return .success(output) }
                    guard left >= 2, input[consumed] == 0x1f, input[consumed + 1] == 0x8b else {
                        return .failure(.trailingData(byteCount: left))
                    }
                    inflateReset(stream)  // the next member
                case Z_OK, Z_BUF_ERROR:
                    // Z_BUF_ERROR: no progress was possible. With output space given, that means no input left.
                    if used == 0, produced == 0 { return .failure(.truncated) }
                default:
                    return .failure(.corrupt(zlibMessage(stream, status: status)))
                }
            }
        }
        return try result.get()
    }

    private static func zlibMessage(_ stream: UnsafeMutablePointer<z_stream>, status: Int32) -> String {
        if let text = stream.pointee.msg { return String(cString: text) }
        switch status {
        case Z_NEED_DICT: return "needs a preset dictionary"
        case Z_MEM_ERROR: return "out of memory"
        default: return "zlib status \(status)"
        }
    }
}
