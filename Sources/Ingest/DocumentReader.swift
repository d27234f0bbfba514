package import TraceJoinCore

/// Whole-file reads for what is not line-oriented: a pretty-printed JSON export, and the first bytes for sniffing.
package enum DocumentReader {
    /// Default cap for ``readWhole(path:limit:)``: 256 MiB.
    package static let defaultLimit = 256 << 20
    /// Bytes ``peek(path:count:)`` returns by default: enough to see a few lines or the start of a document.
    package static let defaultPeekBytes = 64 << 10

    /// The whole decompressed content. A document must be parsed whole, so memory grows with it: hence the limit,
    /// beyond which the file is refused with a diagnostic rather than read. A damaged gzip member is an error too:
    /// half a JSON document is not worth parsing.
    package static func readWhole(path: String, limit: Int = defaultLimit) throws(Diagnostic) -> [UInt8] {
        let stream = try ByteStream(path: path)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        defer { chunk.deallocate() }
        var content: [UInt8] = []
        while content.count <= limit {
            let count: Int
            do { count = try stream.read(into: chunk) } catch {
                throw error.diagnostic(path: path, linesBefore: nil, decompressedOffset: Int64(content.count))
            }
            if count == 0 { return content }
            content.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        throw tooLarge(at: InputLocation(source: path), limit: limit)
    }

    /// The refusal of a document over `limit`, whole or on one line (an OTLP JSON line is a document too).
    package static func tooLarge(at location: InputLocation, limit: Int) -> Diagnostic {
        Diagnostic(
            location: location, message: "document larger than \(sizeText(limit)); not read",
            hint: "write one JSON object per line (JSON lines), which is read as a stream, or raise the document limit")
    }

    /// `256 MiB`, `64 KiB`, or bytes.
    static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// Up to `count` decompressed bytes from the start, for finding the format. Stops quietly at damage: whatever
    /// was readable is enough to sniff, and the full read reports the damage.
    package static func peek(path: String, count: Int = defaultPeekBytes) throws(Diagnostic) -> [UInt8] {
        let stream = try ByteStream(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < count {
            let got = (try? stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<count]))) ?? 0
            if got == 0 { break }
            filled += got
        }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
    }
}
