import Foundation
import Ingest
import Normalize
import Store
import TraceJoinCore

/// Reads one input file to the end: finds its format, decodes it, and passes every record on.
///
/// Span exports are either one JSON document per line (OTLP file exporters) or one whole document
/// (Jaeger, Zipkin, pretty-printed OTLP); everything else is read as log lines.
final class FileIngestor {
    let path: String
    let sourceID: Int64
    let formatOverride: InputFormat?
    let rejectsPrinted: Int
    let sink: RecordSink
    let onProgress: (_ bytesRead: Int64) -> Void

    /// Problems that stopped the file early (a truncated gzip member); what came before is kept.
    private(set) var fileError: Diagnostic?
    private var rejectsInFile = 0

    init(
        path: String, sourceID: Int64, formatOverride: InputFormat?, rejectsPrinted: Int, sink: RecordSink,
        onProgress: @escaping (_ bytesRead: Int64) -> Void
    ) {
        self.path = path
        self.sourceID = sourceID
        self.formatOverride = formatOverride
        self.rejectsPrinted = rejectsPrinted
        self.sink = sink
        self.onProgress = onProgress
    }

    /// Reads the file and returns the offset up to which it was read.
    func run() throws -> Int64 {
        let prefix = try DocumentReader.peek(path: path, count: SpanFormatSniffer.prefixLimit)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
        let format = InputFormat.sniff(
            prefix: prefix, isWholeInput: size.map { $0 <= Int64(prefix.count) } ?? false, override: formatOverride)
        if format.readsWholeInput { return try readWholeDocument(as: format.documentKind) }
        if format == .otlpJSONLines { return try readDocumentPerLine() }
        return try readLogLines()
    }

    private func readLogLines() throws -> Int64 {
        var decoder = LogLineDecoder(source: path, serviceFromPath: ServiceName.fromPath(path))
        let reader = try LineReader(path: path)
        var lines = 0
        readLines(of: reader) { line in
            decoder.feed(line.bytes, lineNumber: line.number, byteOffset: line.byteOffset) { self.accept($0) }
            lines += 1
            if lines & 0x3FFF == 0 { onProgress(reader.compressedBytesConsumed) }
        }
        decoder.finish { self.accept($0) }
        return reader.decompressedBytesRead
    }

    /// One JSON document per line (OTLP file exporters); such lines can be many megabytes long.
    private func readDocumentPerLine() throws -> Int64 {
        var configuration = LineReader.Configuration()
        configuration.maxLineBytes = 256 << 20
        let reader = try LineReader(path: path, configuration: configuration)
        readLines(of: reader) { line in
            let origin = InputLocation(source: path, line: line.number, byteOffset: line.byteOffset)
            for record in SpanDocumentDecoder.decodeLine(line.bytes, origin: origin) { accept(record) }
            onProgress(reader.compressedBytesConsumed)
        }
        return reader.decompressedBytesRead
    }

    /// One document for the whole file (Jaeger and Zipkin exports, pretty-printed OTLP).
    private func readWholeDocument(as kind: SpanDocumentKind?) throws -> Int64 {
        let content = try DocumentReader.readWhole(path: path)
        let origin = InputLocation(source: path, line: 1, byteOffset: 0)
        for record in SpanDocumentDecoder.decodeDocument(content, as: kind, origin: origin) { accept(record) }
        onProgress(Int64(content.count))
        return Int64(content.count)
    }

    private func accept(_ record: Record) {
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
        if rejectsInFile > rejectsPrinted {
            Console.note("\(path): \(rejectsInFile) records skipped in this file (first \(rejectsPrinted) shown)")
        }
    }

    var rejects: Int { rejectsInFile }
}
