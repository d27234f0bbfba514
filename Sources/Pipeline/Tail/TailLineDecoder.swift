import Ingest
import Normalize
import TraceJoinCore

/// Turns the lines of one followed file into records: log lines, or one span export document per line.
///
/// Which one is decided once per content, from the file's first bytes, by the same sniffing `batch` uses
/// (`InputFormat.sniff`): an OpenTelemetry SDK or Collector file exporter writes one `TracesData` /
/// `ExportTraceServiceRequest` (or `LogsData` / `ExportLogsServiceRequest`) per line, and reading those as log
/// lines would store each export as one meaningless log record. Reading a span export per line needs no state:
/// each line's records are emitted at once, with the line's offset and their index in the document as
/// `ordinal`, so a line read twice (after `kill -9`) yields the same keys and is stored once.
///
/// A multi-line JSON document (a pretty-printed export, a Jaeger answer) cannot be followed line by line: it is
/// read as log lines, and `tracejoin batch` is the way to load it.
struct TailLineDecoder {
    /// Set for log files; nil for span exports.
    private var logs: LogLineDecoder?
    private let source: String
    private let maxLineBytes: Int

    /// - Parameters:
    ///   - firstBytes: the file's first bytes (up to `SpanFormatSniffer.prefixLimit`), whatever line is read first.
    ///   - maxLineBytes: the tailer's line limit, named in the reject of a span export line it had to cut.
    ///   - timeZone: the zone of the file's zone-less times.
    init(
        path: String, firstBytes: [UInt8], traceContextPatterns: [TraceContextPattern], timeZone: LogTimeZone = .utc,
        maxLineBytes: Int
    ) {
        source = path
        self.maxLineBytes = maxLineBytes
        if !Self.holdsSpanDocumentLines(firstBytes) {
            var configuration = LogDecoderConfiguration(traceContextPatterns: traceContextPatterns, timeZone: timeZone)
            configuration.timesOfDayFromClock = true  // lines are read as they are written
            logs = LogLineDecoder(
                source: path, serviceFromPath: ServiceName.fromPath(path), configuration: configuration)
        }
    }

    /// Whether the file holds one span export document per line rather than log lines.
    var readsSpanDocuments: Bool { logs == nil }

    /// Whether a file starting with `prefix` holds one span document per line (a single-line Jaeger or Zipkin
    /// document is one such line too).
    static func holdsSpanDocumentLines(_ prefix: [UInt8]) -> Bool {
        switch InputFormat.sniff(prefix: prefix) {
        case .otlpJSONLines, .jsonDocument(_?): true
        case .jsonDocument(nil), .jaegerJSON, .zipkinJSON, .logLines: false
        }
    }

    /// Decodes one line; a log decoder may hold its record back until the next one starts.
    mutating func feed(_ line: TailedLine, emit: (consuming Record) -> Void) {
        if logs != nil {
            logs!.feed(line.bytes, lineNumber: line.number, byteOffset: line.byteOffset, emit: emit)
            return
        }
        let origin = InputLocation(source: source, line: line.number, byteOffset: line.byteOffset)
        if line.wasCut {
            emit(
                SpanRejection.make(
                    "span export line longer than \(maxLineBytes) bytes was cut by the tailer; its records are lost "
                        + "(load the file with `tracejoin batch`, which reads lines of any length)",
                    raw: line.bytes, origin: origin))
            return
        }
        for record in SpanDocumentDecoder.decodeLine(line.bytes, origin: origin) { emit(record) }
    }

    /// Where the record held back starts, if one is (log files only).
    var heldBackStart: InputLocation? { logs?.heldBackStart }

    /// Emits the record held back, if any.
    mutating func finish(emit: (consuming Record) -> Void) {
        if logs != nil { logs!.finish(emit: emit) }
    }
}
