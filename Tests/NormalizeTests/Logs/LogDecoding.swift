import Normalize
import TraceJoinCore

/// Runs a `LogLineDecoder` over text the way Ingest hands it lines: split at `\n` only, so a
/// `\r` before it stays on the line (CRLF residue), with 1-based line numbers and byte offsets.
enum LogDecoding {
    static let base: Int64 = 1_795_428_000 * 1_000_000_000  // 2026-11-23T10:00:00Z

    static func records(
        _ text: String, service: String? = "file-service", configuration: LogDecoderConfiguration = .init()
    ) -> [Record] {
        records(bytes: Array(text.utf8), service: service, configuration: configuration)
    }

    static func records(
        bytes: [UInt8], source: String = "test.log", service: String? = "file-service",
        configuration: LogDecoderConfiguration = .init()
    ) -> [Record] {
        var decoder = LogLineDecoder(source: source, serviceFromPath: service, configuration: configuration)
        var output: [Record] = []
        var lineStart = 0
        var lineNumber = 1
        bytes.withUnsafeBufferPointer { buffer in
            while lineStart < buffer.count {
                var lineEnd = lineStart
                while lineEnd < buffer.count, buffer[lineEnd] != 0x0A { lineEnd += 1 }
                decoder.feed(
                    UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd]), lineNumber: lineNumber,
                    byteOffset: Int64(lineStart)
                ) { output.append($0) }
                lineStart = lineEnd + 1
                lineNumber += 1
            }
        }
        decoder.finish { output.append($0) }
        return output
    }

    static func logs(_ text: String, service: String? = "file-service") -> [LogRecord] {
        records(text, service: service).compactMap { if case .log(let log) = $0 { log } else { nil } }
    }

    static func log(_ line: String, service: String? = "file-service") -> LogRecord? {
        let all = logs(line, service: service)
        return all.count == 1 ? all[0] : nil
    }

    static func rejects(_ records: [Record]) -> [RejectedRecord] {
        records.compactMap { if case .reject(let reject) = $0 { reject } else { nil } }
    }

    static func trace(_ hex: String) -> TraceReference { .full(TraceID(hex: hex)!) }
    static func span(_ hex: String) -> SpanID { SpanID(hex: hex)! }

    /// Nanoseconds since the epoch of a UTC date and time.
    static func nanos(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, nanos: Int64 = 0)
        -> Int64
    {
        // days_from_civil, independent of the decoder's own helper.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = Int64(era * 146_097 + doe - 719_468)
        return (days * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000_000 + nanos
    }
}
