import Foundation
import Ingest
import Normalize
import Store
import TraceJoinCore

/// Reads one input file to the end: finds its format, decodes it, and passes every record on.
///
/// Span exports are either one JSON document per line (OTLP file exporters) or one whole document
/// (Jaeger, Zipkin, pretty-printed OTLP); everything else is read as log lines.
///
/// Line-oriented files (log lines, OTLP JSON lines) can resume at a checkpoint: a file that grew since
/// the last run is read from where that run stopped, with the same line numbers and offsets. A whole
/// document cannot be read from its middle: a changed one is read again whole (its spans are unique by ID).
final class FileIngestor {
    /// How far a file was read.
    struct Outcome {
        /// Where the next run that finds the file grown reads on: the first line of the last log record, or
        /// the line after the last newline-terminated line if that comes first (the start, for a whole
        /// document). That record was stored whole as far as it went, but it may go on: a stack trace still
        /// being written, a line not yet finished, a container log line split in pieces. Read again, it
        /// replaces its stored row (see `IncidentStore.reopenSource`).
        var checkpoint: LinePosition
        /// Decompressed bytes not decoded again because the file resumed at a checkpoint (0 otherwise).
        var bytesSkipped: Int64
        /// Whether the file is gzip: skipped bytes were still decompressed.
        var compressed: Bool
    }

    let path: String
    let sourceID: Int64
    let formatOverride: InputFormat?
    let rejectsPrinted: Int
    /// The largest document read, whole or on one line (``BatchConfiguration/maxDocumentBytes``).
    let maxDocumentBytes: Int
    /// The trace-context patterns handed to the log decoder (the extraction rules in force).
    let traceContextPatterns: [TraceContextPattern]
    /// The zone of the file's zone-less times.
    let timeZone: LogTimeZone
    let sink: RecordSink
    let onProgress: (_ bytesRead: Int64) -> Void

    /// Problems that stopped the file early (a truncated gzip member); what came before is kept.
    private(set) var fileError: Diagnostic?
    /// Damage read past: corrupt gzip members, after which reading went on at the next member.
    private(set) var damages: [Diagnostic] = []
    private var rejectsInFile = 0
    /// Where the records the log decoder still held at the end of the file start.
    private var lastRecordStart: LinePosition?

    init(
        path: String, sourceID: Int64, formatOverride: InputFormat?, rejectsPrinted: Int,
        maxDocumentBytes: Int = DocumentReader.defaultLimit,
        traceContextPatterns: [TraceContextPattern] = TraceContextRules.builtIn, timeZone: LogTimeZone = .utc,
        sink: RecordSink,
        onProgress: @escaping (_ bytesRead: Int64) -> Void
    ) {
        self.path = path
        self.sourceID = sourceID
        self.formatOverride = formatOverride
        self.rejectsPrinted = rejectsPrinted
        self.maxDocumentBytes = maxDocumentBytes
        self.traceContextPatterns = traceContextPatterns
        self.timeZone = timeZone
        self.sink = sink
        self.onProgress = onProgress
    }

    /// Reads the file, from `position` when it is line-oriented, and says how far it was read.
    ///
    /// `onOpened` runs once the file is open at `position` (the start, for a whole document), before the
    /// first record is passed on: a resumed source is taken over only then. An error thrown before it ran
    /// (a gzip file shorter than `position`: not the file it was taken for) leaves no record behind.
    func run(resumingAt position: LinePosition = .start, onOpened: () throws -> Void = {}) throws -> Outcome {
        let prefix = try DocumentReader.peek(path: path, count: SpanFormatSniffer.prefixLimit)
        let size = FileSystem.size(path)
        let format = InputFormat.sniff(
            prefix: prefix, isWholeInput: size.map { $0 <= Int64(prefix.count) } ?? false, override: formatOverride)
        if format.readsWholeInput {
            try onOpened()
            readWholeDocument(as: format.documentKind)
            return Outcome(checkpoint: .start, bytesSkipped: 0, compressed: false)
        }
        let reader =
            format == .otlpJSONLines
            ? try readDocumentPerLine(from: position, onOpened: onOpened)
            : try readLogLines(from: position, onOpened: onOpened)
        var checkpoint = reader.terminatedPosition
        if let last = lastRecordStart, last.byteOffset >= position.byteOffset, last.byteOffset < checkpoint.byteOffset {
            checkpoint = last
        }
        return Outcome(
            checkpoint: checkpoint, bytesSkipped: position.byteOffset, compressed: reader.compression != .none)
    }

    private func readLogLines(from position: LinePosition, onOpened: () throws -> Void) throws -> LineReader {
        var decoder = LogLineDecoder(
            source: path, serviceFromPath: ServiceName.fromPath(path),
            configuration: LogDecoderConfiguration(
                traceContextPatterns: traceContextPatterns, timeZone: timeZone,
                timesOfDayNotAfter: FileSystem.modificationNanos(path)))
        let reader = try LineReader(path: path, startingAt: position)
        try onOpened()
        var lines = 0
        readLines(of: reader) { line in
            decoder.feed(line.bytes, lineNumber: line.number, byteOffset: line.byteOffset) { self.accept($0) }
            lines += 1
            if lines & 0x3FFF == 0 { onProgress(reader.compressedBytesConsumed) }
        }
        decoder.finish { record in
            // The decoder holds each record until the next one starts: what it gives out now is the last.
            let origin: InputLocation? =
                switch record {
                case .log(let log): log.origin
                case .reject(let reject): reject.origin
                case .span: nil
                }
            if let origin, origin.line > 0, lastRecordStart.map({ origin.byteOffset < $0.byteOffset }) ?? true {
                lastRecordStart = LinePosition(byteOffset: origin.byteOffset, lineNumber: origin.line)
            }
            self.accept(record)
        }
        return reader
    }

    /// One JSON document per line (OTLP file exporters); such lines can be many megabytes long, up to
    /// `maxDocumentBytes`. A longer line is a reject with the same message as a whole document over the limit:
    /// what the reader delivers of it is cut, and parsing that would only report "unterminated string".
    private func readDocumentPerLine(from position: LinePosition, onOpened: () throws -> Void) throws -> LineReader {
        var configuration = LineReader.Configuration()
        configuration.maxLineBytes = maxDocumentBytes
        let reader = try LineReader(path: path, configuration: configuration, startingAt: position)
        try onOpened()
        readLines(of: reader) { line in
            let origin = InputLocation(source: path, line: line.number, byteOffset: line.byteOffset)
            if line.wasCut, line.bytes.count >= maxDocumentBytes {
                let refusal = DocumentReader.tooLarge(at: origin, limit: maxDocumentBytes)
                let reason = [refusal.message, refusal.hint].compactMap { $0 }.joined(separator: ": ")
                accept(SpanRejection.make(reason, raw: line.bytes, origin: origin))
                return
            }
            for record in SpanDocumentDecoder.decodeLine(line.bytes, origin: origin) { accept(record) }
            onProgress(reader.compressedBytesConsumed)
        }
        return reader
    }

    /// One document for the whole file (Jaeger and Zipkin exports, pretty-printed OTLP). One over the limit, or
    /// damaged, is this file's error: the other files of the run are still read.
    private func readWholeDocument(as kind: SpanDocumentKind?) {
        let content: [UInt8]
        do {
            content = try DocumentReader.readWhole(path: path, limit: maxDocumentBytes)
        } catch {
            fileError = error
            return
        }
        let origin = InputLocation(source: path, line: 1, byteOffset: 0)
        for record in SpanDocumentDecoder.decodeDocument(content, as: kind, origin: origin) { accept(record) }
        onProgress(Int64(content.count))
    }

    private func accept(_ record: consuming Record) {
        if case .reject(let rejected) = record {
            rejectsInFile += 1
            if rejectsInFile <= rejectsPrinted {
                Console.warning(Diagnostic(location: rejected.origin, severity: .warning, message: "record skipped: \(rejected.reason)"))
            }
        }
        sink.accept(record, sourceID: sourceID)
    }

    /// Reads every line; a read failure (a truncated gzip member) ends the file but keeps what came before.
    private func readLines(of reader: LineReader, _ body: (Line) -> Void) {
        do {
            try reader.forEachLine(body)
        } catch let diagnostic as Diagnostic {
            fileError = diagnostic
        } catch {
            fileError = Diagnostic(location: InputLocation(source: path), message: "read failed: \(error)")
        }
        damages = reader.damages.map { damage in
            Diagnostic(
                location: InputLocation(source: path), message: damage.reason + "; read on at the next gzip member",
                hint: "the file is damaged (`gzip -t` confirms it): the rest of that member is lost, the other members were read")
        }
        if rejectsPrinted > 0, rejectsInFile > rejectsPrinted {
            Console.note("\(path): \(rejectsInFile) records skipped in this file (first \(rejectsPrinted) shown)")
        }
    }

    var rejects: Int { rejectsInFile }
}
