import Foundation
import Normalize
import TraceJoinCore
import TraceJoinTesting

/// Reads span samples the way the pipeline will: sniff the content, then decode per line or whole.
enum SpanFixtures {
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return [UInt8](data)
    }

    /// The records of `Fixtures/formats/spans/<relative>`.
    static func records(_ relative: String) throws -> [Record] {
        try records(atPath: FixturePaths.fixture("formats/spans/" + relative))
    }

    /// The records of a file, after sniffing its format from its content.
    static func records(atPath path: String, override: InputFormat? = nil) throws -> [Record] {
        let bytes = try bytes(path)
        let format = InputFormat.sniff(prefix: bytes, isWholeInput: true, override: override)
        return decode(bytes, format: format, source: path)
    }

    static func decode(_ bytes: [UInt8], format: InputFormat, source: String) -> [Record] {
        switch format {
        case .otlpJSONLines:
            var records: [Record] = []
            var offset = 0
            for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .enumerated()
            {
                let origin = InputLocation(source: source, line: index + 1, byteOffset: Int64(offset))
                offset += line.count + 1
                records += Array(line).withUnsafeBufferPointer { SpanDocumentDecoder.decodeLine($0, origin: origin) }
            }
            return records
        case .jsonDocument, .jaegerJSON, .zipkinJSON:
            return SpanDocumentDecoder.decodeDocument(
                bytes, as: format.documentKind, origin: InputLocation(source: source))
        case .logLines:
            return []
        }
    }

    /// The document parsed from a JSON string.
    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }
}

extension [Record] {
    var spanRecords: [SpanRecord] {
        compactMap { if case .span(let span) = $0 { span } else { nil } }
    }

    var logRecords: [LogRecord] {
        compactMap { if case .log(let log) = $0 { log } else { nil } }
    }

    var rejectedRecords: [RejectedRecord] {
        compactMap { if case .reject(let reject) = $0 { reject } else { nil } }
    }

    var recordOrigins: [InputLocation] {
        map {
            switch $0 {
            case .span(let span): span.origin
            case .log(let log): log.origin
            case .reject(let reject): reject.origin
            }
        }
    }
}

extension [SpanRecord] {
    /// The span with this hex ID (the first, if exported twice).
    func first(spanHex hex: String) -> SpanRecord? {
        first { $0.spanID == SpanID(hex: hex) }
    }
}
