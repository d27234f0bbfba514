import TraceJoinCore

/// Tells span exports from log files by their first bytes.
///
/// The rules, in order:
/// 1. Nothing but whitespace (or a UTF-8 BOM), or a first byte other than `{` or `[`: log lines.
/// 2. The first line is complete JSON: OTLP (`resourceSpans`, `resourceLogs`, `result`) → one
///    document per line; a Jaeger or Zipkin document → that document, or one per line when more
///    lines follow; anything else (a JSON log record) → log lines.
/// 3. The first line is longer than the prefix: how it opens decides (`{"resourceSpans"…` is a
///    Collector line of many megabytes, `{"data"…` or `[` a Jaeger or Zipkin document, any other
///    object a log line).
/// 4. The first line is not complete JSON (a pretty-printed document): a whole document, unless
///    most of the following lines are complete JSON objects, which makes it JSON lines with a
///    broken first line.
package enum SpanFormatSniffer {
    /// How many bytes of an input the sniffer wants to see.
    package static let prefixLimit = 64 * 1024

    static func sniff(prefix: [UInt8], isWholeInput: Bool, override: InputFormat?) -> InputFormat {
        switch override {
        case .jaegerJSON?, .zipkinJSON?, .logLines?, .jsonDocument?:
            return override!
        case .otlpJSONLines?:
            if case .jsonDocument = sniffContent(prefix, isWholeInput: isWholeInput) { return .jsonDocument(.otlp) }
            return .otlpJSONLines
        case nil:
            return sniffContent(prefix, isWholeInput: isWholeInput)
        }
    }

    private static func sniffContent(_ prefix: [UInt8], isWholeInput: Bool) -> InputFormat {
        var start = 0
        if prefix.count >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { start = 3 }
        while start < prefix.count, isSpace(prefix[start]) { start += 1 }
        guard start < prefix.count else { return .logLines }
        guard prefix[start] == UInt8(ascii: "{") || prefix[start] == UInt8(ascii: "[") else { return .logLines }

        let newline = prefix[start...].firstIndex(of: UInt8(ascii: "\n"))
        guard newline != nil || isWholeInput else {
            // Rule 3: a first line longer than the prefix.
            return longFirstLineFormat(prefix[start...])
        }
        let lineEnd = newline ?? prefix.count
        if let document = try? JSONParser.parse(prefix[start..<lineEnd]) {
            switch SpanDocumentKind.classify(document: document) {
            case .otlp?: return .otlpJSONLines
            case let kind?:
                // One Jaeger or Zipkin document per line (concatenated API answers) is read as lines.
                let rest = prefix[min(lineEnd + 1, prefix.count)...]
                return rest.contains(where: { !isSpace($0) }) ? .otlpJSONLines : .jsonDocument(kind)
            case nil: return .logLines
            }
        }
        // Rule 4.
        if let newline, let kind = laterJSONLineKind(prefix[(newline + 1)...], isWholeInput: isWholeInput) {
            return kind
        }
        if isWholeInput, let document = try? JSONParser.parse(prefix[start...]) {
            return .jsonDocument(SpanDocumentKind.classify(document: document))
        }
        return .jsonDocument(nil)
    }

    /// How many lines after a broken first line are looked at to tell JSON lines from a document.
    static let linesToCompare = 16

    /// JSON lines with a broken first line, or nil for one multi-line document.
    ///
    /// In JSON lines, most later lines are complete JSON objects; in a pretty-printed document
    /// almost none are (its inner lines are indented and end in commas). The first complete line
    /// then says whether the lines are OTLP documents or log records.
    private static func laterJSONLineKind(_ rest: ArraySlice<UInt8>, isWholeInput: Bool) -> InputFormat? {
        var lineStart = rest.startIndex
        var examined = 0
        var complete = 0
        var firstKind: InputFormat?
        while lineStart < rest.endIndex, examined < linesToCompare {
            let newline = rest[lineStart...].firstIndex(of: UInt8(ascii: "\n"))
            guard let lineEnd = newline ?? (isWholeInput ? rest.endIndex : nil) else { break }
            defer { lineStart = lineEnd + 1 }
            let line = rest[lineStart..<lineEnd]
            guard line.contains(where: { !isSpace($0) }) else { continue }
            examined += 1
            if line.first == UInt8(ascii: "{"), let document = try? JSONParser.parse(line), case .object = document {
                complete += 1
                if firstKind == nil {
                    firstKind = SpanDocumentKind.classify(document: document) == .otlp ? .otlpJSONLines : .logLines
                }
            }
        }
        return complete * 2 > examined ? firstKind : nil
    }

    /// The format of an input whose first line does not end within the prefix, from how it opens:
    /// an array is a Jaeger or Zipkin document, an object opening with an OTLP member is a
    /// Collector line, one opening with a Jaeger member a Jaeger document, anything else a log line.
    private static func longFirstLineFormat(_ bytes: ArraySlice<UInt8>) -> InputFormat {
        var index = bytes.startIndex
        guard bytes[index] == UInt8(ascii: "{") else { return .jsonDocument(nil) }
        index += 1
        while index < bytes.endIndex, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { return .logLines }
        index += 1
        guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "\"")) else { return .logLines }
        switch String(decoding: bytes[index..<close], as: UTF8.self) {
        case "resourceSpans", "resource_spans", "resourceLogs", "resource_logs", "result": return .otlpJSONLines
        case "data", "traceID", "spans", "processes": return .jsonDocument(nil)
        case "resource":
            // A bare ResourceSpans/ResourceLogs line (Java `logging-otlp`) names its scope list after the resource.
            let text = String(decoding: bytes, as: UTF8.self)
            return text.contains("\"scopeSpans\"") || text.contains("\"scopeLogs\"") ? .otlpJSONLines : .logLines
        default: return .logLines
        }
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
