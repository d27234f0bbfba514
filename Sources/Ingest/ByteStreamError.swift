package import TraceJoinCore

/// Why a ``ByteStream`` stopped early. Everything readable before it was delivered first.
package struct ByteStreamError: Error, Sendable {
    package enum Kind: Sendable, Equatable {
        /// The file ended inside a gzip member (a copy cut short, a writer killed mid-flush).
        case gzipTruncated
        /// zlib rejected the data; the reason is zlib's own text (it never quotes content).
        case gzipCorrupt(String)
        /// `read` failed; the reason is the system's text for `errno`.
        case io(String)
    }

    package var kind: Kind
    /// Bytes of the file (compressed, for gzip) consumed when it stopped.
    package var compressedOffset: Int64
    /// 1-based gzip member it stopped in; 0 for a plain file.
    package var member: Int

    /// What went wrong, without where: `gzip data truncated at byte 123456 (member 3)`.
    package var reason: String {
        let place = member > 0 ? "at byte \(compressedOffset) (member \(member))" : "at byte \(compressedOffset)"
        switch kind {
        case .gzipTruncated: return "gzip data truncated \(place)"
        case .gzipCorrupt(let why): return "gzip data corrupt \(place): \(why)"
        case .io(let why): return "read failed \(place): \(why)"
        }
    }

    /// A diagnostic naming the file and, when lines were read, how many survived.
    /// - Parameters:
    ///   - linesBefore: complete lines delivered before the failure, nil when not line-oriented.
    ///   - line: the number of the line the data stopped in, for the location (`file.gz:4813:`); 0 if none.
    ///   - decompressedOffset: where the decompressed data stopped.
    package func diagnostic(path: String, linesBefore: Int?, line: Int = 0, decompressedOffset: Int64) -> Diagnostic {
        var message = reason
        if let linesBefore {
            message += "; \(NumberText.grouped(linesBefore)) \(linesBefore == 1 ? "line" : "lines") before it were read"
        }
        let hint: String
        switch kind {
        case .gzipTruncated: hint = "the file was cut short (a copy still in progress?); the lines before were kept"
        case .gzipCorrupt: hint = "the file is damaged; `gzip -t` confirms it; the lines before were kept"
        case .io: hint = "check the disk or the network mount"
        }
        return Diagnostic(
            location: InputLocation(source: path, line: line, byteOffset: decompressedOffset), message: message,
            hint: hint, code: kind == .gzipTruncated ? .gzipTruncated : nil)
    }
}

/// Numbers for people: `4,812`.
enum NumberText {
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
