/// How an input file is read and which decoder gets its contents.
///
/// Found from the content (`sniff(prefix:isWholeInput:)`), never from the file name; the
/// `--format` option overrides it (`init(overrideName:)`).
package enum InputFormat: Hashable, Sendable {
    /// One span document per line, as the OpenTelemetry Collector file exporter writes OTLP JSON;
    /// a file holding one single-line document is the same case. Decode each line with
    /// `SpanDocumentDecoder.decodeLine(_:origin:)`, which also reads a Jaeger or Zipkin document
    /// per line (concatenated query-API answers). Lines can be megabytes long.
    case otlpJSONLines
    /// One JSON document spread over the whole input: read it whole, then decode it with
    /// `SpanDocumentDecoder.decodeDocument(_:as:origin:)`. The kind is known when the sniffed
    /// prefix held the whole document; nil means "classify once read".
    case jsonDocument(SpanDocumentKind?)
    /// `--format jaeger`: the whole input is one Jaeger JSON document.
    case jaegerJSON
    /// `--format zipkin`: the whole input is one Zipkin v2 JSON array.
    case zipkinJSON
    /// Service log lines (JSON, logfmt or text), decoded by the log decoders.
    case logLines

    /// The names `--format` accepts, in the order help text lists them.
    package static let overrideNames = ["otlp-json", "jaeger", "zipkin", "logs"]

    /// The format a `--format` name forces; nil for an unknown name.
    package init?(overrideName: String) {
        switch overrideName.lowercased() {
        case "otlp-json", "otlp": self = .otlpJSONLines
        case "jaeger": self = .jaegerJSON
        case "zipkin": self = .zipkinJSON
        case "logs": self = .logLines
        default: return nil
        }
    }

    /// The span decoder this format uses when read as a whole document; nil for lines and for
    /// a document still to be classified.
    package var documentKind: SpanDocumentKind? {
        switch self {
        case .jsonDocument(let kind): kind
        case .jaegerJSON: .jaeger
        case .zipkinJSON: .zipkin
        case .otlpJSONLines, .logLines: nil
        }
    }

    /// Whether the whole input must be read before decoding (a JSON document), rather than line by line.
    package var readsWholeInput: Bool {
        switch self {
        case .jsonDocument, .jaegerJSON, .zipkinJSON: true
        case .otlpJSONLines, .logLines: false
        }
    }

    /// The format of an input from its first bytes (decompressed; up to `SpanFormatSniffer.prefixLimit`).
    ///
    /// - Parameters:
    ///   - prefix: the first bytes of the input.
    ///   - isWholeInput: true when `prefix` is the entire input (a small file), which lets a
    ///     multi-line document be classified at once.
    ///   - override: the format named by `--format`, if any. `otlp-json` still looks at the
    ///     content to choose between one document per line and one pretty-printed document.
    package static func sniff(prefix: [UInt8], isWholeInput: Bool = false, override: InputFormat? = nil)
        -> InputFormat
    {
        SpanFormatSniffer.sniff(prefix: prefix, isWholeInput: isWholeInput, override: override)
    }
}
