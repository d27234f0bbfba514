import Foundation
import Ingest
import Normalize
import Store
import TraceJoinCore

/// Reads one input file to the end: finds its format, decodes it, and passes every record on.
///
/// Span exports are either one JSON document per line (OTLP file exporters) or one whole document
/// (Jaeger, Zipkin, pretty-printed OTLP); everything else is read as log lines.
struct FileIngestor {
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
    mutating func run() throws -> Int64 {
        let prefix = try DocumentReader.peek(path: path, count: 64 * 1024)
        let format = formatOverride ?? InputFormat.sniff(prefix: prefix)
        switch format {
        case .otlpJSONLines: return try readDocumentPerLine()
        case .jsonDocument: return try readWholeDocument()
        case .logLines: return try readLogLines()
        }
    }

    private mutating func readLogLines() throws -> Int64 {
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

    private mutating func readDocumentPerLine() throws -> Int64 {
        let reader = try LineReader(path: path)
        readLines(of: reader) { line in
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            let origin = InputLocation(source: path, line: line.number, byteOffset: line.byteOffset)
            decode(line.bytes, origin: origin)
            onProgress(reader.compressedBytesConsumed)
        }
        return reader.decompressedBytesRead
    }

    private mutating func readWholeDocument() throws -> Int64 {
        let content = try DocumentReader.readWhole(path: path)
        content.withUnsafeBufferPointer { bytes in
            decode(bytes, origin: InputLocation(source: path, line: 1, byteOffset: 0))
        }
        onProgress(Int64(content.count))
        return Int64(content.count)
    }

    /// Parses and decodes one JSON document; a document that is not a span export is rejected.
    private mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, origin: InputLocation) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            reject(origin: origin, reason: error.description, raw: bytes)
            return
        }
        guard let records = SpanDocumentDecoder.decode(document, origin: origin) else {
            reject(origin: origin, reason: "JSON is not an OTLP, Jaeger or Zipkin span export", raw: bytes)
            return
        }
        for record in records { accept(record) }
    }

    private mutating func reject(origin: InputLocation, reason: String, raw: UnsafeBufferPointer<UInt8>) {
        let cut = UnsafeBufferPointer(rebasing: raw.prefix(4096))
        accept(.reject(RejectedRecord(origin: origin, reason: reason, raw: String(decoding: cut, as: UTF8.self))))
    }

    private mutating func accept(_ record: Record) {
        if case .reject(let rejected) = record {
            rejectsInFile += 1
            if rejectsInFile <= rejectsPrinted {
                Console.warning(Diagnostic(location: rejected.origin, severity: .warning, message: "record skipped: \(rejected.reason)"))
            }
        }
        sink.accept(record, sourceID: sourceID)
    }

    /// Reads every line; a read failure (a truncated gzip member) ends the file but keeps what came before.
    private mutating func readLines(of reader: LineReader, _ body: (Line) -> Void) {
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
