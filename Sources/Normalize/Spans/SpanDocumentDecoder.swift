package import TraceJoinCore

/// The one entry point for span exports: classifies a JSON document and hands it to its decoder.
package enum SpanDocumentDecoder {
    /// The records of `document`, or nil when it is not a span export (e.g. a JSON log record).
    package static func decode(_ document: JSONValue, origin: InputLocation) -> [Record]? {
        guard let kind = SpanDocumentKind.classify(document: document) else { return nil }
        return decode(document, as: kind, origin: origin)
    }

    /// The records of `document` read as `kind`; a document of another shape becomes a reject.
    package static func decode(_ document: JSONValue, as kind: SpanDocumentKind, origin: InputLocation) -> [Record] {
        switch kind {
        case .otlp: OTLPJSONDecoder.decode(document, origin: origin)
        case .jaeger: JaegerJSONDecoder.decode(document, origin: origin)
        case .zipkin: ZipkinJSONDecoder.decode(document, origin: origin)
        }
    }

    /// One line of an `otlpJSONLines` input: no records for a blank line, a reject for a line that
    /// is not JSON or not a span document.
    package static func decodeLine(_ line: UnsafeBufferPointer<UInt8>, origin: InputLocation) -> [Record] {
        guard let start = line.firstIndex(where: { !isSpaceOrBOM($0) }) else { return [] }
        let document: JSONValue
        do {
            document = try JSONParser.parse(UnsafeBufferPointer(rebasing: line[start...]))
        } catch {
            return [SpanRejection.make("line is not valid JSON: \(error)", raw: line, origin: origin)]
        }
        if let records = decode(document, origin: origin) { return records }
        return [
            SpanRejection.make(
                "line is not an OTLP, Jaeger or Zipkin span document", json: document, origin: origin)
        ]
    }

    /// A whole-input JSON document (`jsonDocument`, `jaegerJSON`, `zipkinJSON`): rejects, never a
    /// crash, for an empty input, invalid JSON or a document that is no span export. `kind` nil
    /// classifies the content.
    package static func decodeDocument(
        _ bytes: UnsafeBufferPointer<UInt8>, as kind: SpanDocumentKind?,
        origin: InputLocation
    ) -> [Record] {
        guard let start = bytes.firstIndex(where: { !isSpaceOrBOM($0) }) else {
            return [SpanRejection.make("the document is empty: no spans to read", raw: [UInt8](), origin: origin)]
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[start...]))
        } catch {
            var failure = error
            failure.offset += start
            return [SpanRejection.make("document is not valid JSON: \(failure)", raw: bytes, origin: origin)]
        }
        if let kind { return decode(document, as: kind, origin: origin) }
        if let records = decode(document, origin: origin) { return records }
        return [
            SpanRejection.make(
                "document is not an OTLP, Jaeger or Zipkin span export", json: document, origin: origin)
        ]
    }

    /// `decodeDocument` for bytes held in an array.
    package static func decodeDocument(_ bytes: [UInt8], as kind: SpanDocumentKind?, origin: InputLocation)
        -> [Record]
    {
        bytes.withUnsafeBufferPointer { decodeDocument($0, as: kind, origin: origin) }
    }

    @inline(__always)
    private static func isSpaceOrBOM(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0xEF || byte == 0xBB || byte == 0xBF
    }
}
