import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct SpanFormatSnifferTests {
    private func sniff(_ text: String, whole: Bool = true, override: InputFormat? = nil) -> InputFormat {
        InputFormat.sniff(prefix: Array(text.utf8), isWholeInput: whole, override: override)
    }

    @Test(
        "the format of each sample file is found from its content",
        arguments: [
            ("otlp/trace.json", InputFormat.jsonDocument(.otlp)),
            ("otlp/logs.json", .jsonDocument(.otlp)),
            ("otlp-quirks/every-anyvalue.json", .jsonDocument(.otlp)),
            ("otlp-quirks/collector-lines.jsonl", .otlpJSONLines),
            ("otlp-quirks/snake-case.jsonl", .otlpJSONLines),
            ("otlp-quirks/jaeger-v3-result.json", .otlpJSONLines),
            ("otlp-quirks/java-logging-otlp.jsonl", .otlpJSONLines),
            ("jaeger/ui_01.json", .jsonDocument(.jaeger)),
            ("jaeger/bare-spans-quirks.json", .jsonDocument(.jaeger)),
            ("jaeger/api-error.json", .jsonDocument(.jaeger)),
            ("jaeger/malformed/trace_success.json", .jsonDocument(.jaeger)),
            ("jaeger/malformed/trace_invalid_json.json", .jsonDocument(.jaeger)),
            ("jaeger/malformed/trace_scan_error.json", .jsonDocument(nil)),
            ("jaeger/malformed/trace_empty.json", .logLines),
            ("jaeger/malformed/trace_wrong_format.json", .logLines),
            ("zipkin/quirks.json", .jsonDocument(.zipkin)),
        ])
    func samples(file: String, expected: InputFormat) throws {
        let bytes = try SpanFixtures.bytes(FixturePaths.fixture("formats/spans/" + file))
        #expect(InputFormat.sniff(prefix: bytes, isWholeInput: true) == expected)
    }

    @Test("JSON log lines, logfmt and text are log lines, even when a log has traceId and spanId")
    func logs() {
        #expect(
            sniff(#"{"level":30,"time":1,"msg":"hi","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"# + "\n")
                == .logLines)
        #expect(
            sniff(#"{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"00f067aa0ba902b7","msg":"x"}"#) == .logLines
        )
        #expect(sniff("level=info msg=hello\n") == .logLines)
        #expect(sniff("2026-11-23 10:00:00,123 INFO started\n") == .logLines)
        #expect(
            sniff(#"{"log":"{\"msg\":\"hi\"}\n","stream":"stdout","time":"2026-11-23T10:00:00Z"}"# + "\n")
                == .logLines)
        #expect(sniff(#"{"result":"ok","msg":"a log whose field is named result"}"#) == .logLines)
        #expect(sniff("") == .logLines)
        #expect(sniff(" \n\n") == .logLines)
    }

    @Test("Jaeger or Zipkin documents one per line are read as lines; one alone as a document")
    func documentsPerLine() throws {
        let jaeger = #"{"data":[{"traceID":"1","spans":[{"traceID":"1","spanID":"2","startTime":1}],"processes":{}}]}"#
        #expect(sniff(jaeger + "\n") == .jsonDocument(.jaeger))
        #expect(sniff(jaeger + "\n" + jaeger + "\n") == .otlpJSONLines)
        let records = SpanFixtures.decode(Array((jaeger + "\n" + jaeger).utf8), format: .otlpJSONLines, source: "j")
        #expect(records.spanRecords.count == 2)
        #expect(records.recordOrigins.map(\.line) == [1, 2])
    }

    @Test("a BOM and blank lines before an OTLP line are skipped")
    func bom() {
        #expect(sniff("\u{FEFF}\n  {\"resourceSpans\":[]}\n") == .otlpJSONLines)
    }

    @Test("a first line longer than the prefix is judged by its first member name")
    func longFirstLine() {
        #expect(sniff(#"{"resourceSpans":[{"resource":{"#, whole: false) == .otlpJSONLines)
        #expect(sniff(#"{ "resource_logs":[{"#, whole: false) == .otlpJSONLines)
        #expect(sniff(#"{"data":[{"traceID":"#, whole: false) == .jsonDocument(nil))
        #expect(sniff(#"[{"traceId":"1","id":"2""#, whole: false) == .jsonDocument(nil))
        #expect(sniff(#"{"traceID":"1","spans":[{"#, whole: false) == .jsonDocument(nil))
        #expect(sniff(#"{"level":"error","stack":"at a.b(c.java:1)"#, whole: false) == .logLines)
    }

    @Test("a pretty-printed document cut by the prefix is a whole document to classify later")
    func prettyPrintedPrefix() {
        #expect(sniff("{\n  \"resourceSpans\": [\n    {\n", whole: false) == .jsonDocument(nil))
        #expect(sniff("[\n  {\n    \"traceId\": \"1\",\n", whole: false) == .jsonDocument(nil))
    }

    @Test("JSON lines with a broken first line stay lines")
    func brokenFirstLine() {
        let logs = "{\"msg\":\"cut\n" + String(repeating: "{\"msg\":\"ok\",\"level\":\"info\"}\n", count: 5)
        #expect(sniff(logs, whole: false) == .logLines)
        let otlp = "{\"resourceSpans\":[\n" + String(repeating: "{\"resourceSpans\":[]}\n", count: 3)
        #expect(sniff(otlp, whole: false) == .otlpJSONLines)
    }

    @Test("--format names map to formats; otlp-json still tells lines from one document")
    func overrides() {
        #expect(InputFormat(overrideName: "otlp-json") == .otlpJSONLines)
        #expect(InputFormat(overrideName: "jaeger") == .jaegerJSON)
        #expect(InputFormat(overrideName: "zipkin") == .zipkinJSON)
        #expect(InputFormat(overrideName: "logs") == .logLines)
        #expect(InputFormat(overrideName: "csv") == nil)
        #expect(InputFormat.overrideNames.allSatisfy { InputFormat(overrideName: $0) != nil })

        let otlp = InputFormat.otlpJSONLines
        #expect(sniff("{\n \"resourceSpans\": []\n}\n", override: otlp) == .jsonDocument(.otlp))
        #expect(sniff("{\"resourceSpans\": []}\n", override: otlp) == .otlpJSONLines)
        #expect(sniff("{\"msg\":\"a log\"}\n", override: .jaegerJSON) == .jaegerJSON)
        #expect(sniff("{\"resourceSpans\": []}\n", override: .logLines) == .logLines)
    }

    @Test(
        "documents are classified by content",
        arguments: [
            (#"{"resourceSpans":[]}"#, SpanDocumentKind?.some(.otlp)),
            (#"{"resource_logs":[]}"#, .otlp),
            (#"{"result":{"resourceSpans":[]}}"#, .otlp),
            (#"[{"resourceSpans":[]}]"#, .otlp),
            (#"{"data":[{"traceID":"1","spans":[],"processes":{}}]}"#, .jaeger),
            (#"{"data":[]}"#, .jaeger),
            (#"{"traceID":"1","spans":[],"processes":{}}"#, .jaeger),
            (#"[{"traceID":"1","spanID":"2"}]"#, .jaeger),
            (#"[{"traceId":"1","id":"2"}]"#, .zipkin),
            ("[]", .zipkin),
            (#"{"data":{"user":1}}"#, nil),
            (#"{"result":"ok"}"#, nil),
            (#"{"traceId":"1","spanId":"2","msg":"log"}"#, nil),
            (#"[1,2]"#, nil),
            (#""text""#, nil),
        ])
    func classify(text: String, expected: SpanDocumentKind?) throws {
        #expect(SpanDocumentKind.classify(document: try SpanFixtures.json(text)) == expected)
    }

    @Test("the entry point decodes what it classifies and declines a log record")
    func entryPoint() throws {
        let origin = InputLocation(source: "x.json")
        #expect(SpanDocumentDecoder.decode(try SpanFixtures.json(#"{"msg":"hi"}"#), origin: origin) == nil)
        let records = try #require(
            SpanDocumentDecoder.decode(
                try SpanFixtures.json(#"[{"traceId":"1","id":"2","timestamp":1}]"#), origin: origin))
        #expect(records.spanRecords.map(\.spanID) == [SpanID(2)])
    }

    @Test("a line that is not JSON or not a span document is a reject; a blank line is nothing")
    func lines() {
        let origin = InputLocation(source: "spans.jsonl", line: 7)
        func decode(_ text: String) -> [Record] {
            Array(text.utf8).withUnsafeBufferPointer { SpanDocumentDecoder.decodeLine($0, origin: origin) }
        }
        #expect(decode("  \r").isEmpty)
        #expect(
            decode("{\"resourceSpans\":[").rejectedRecords.map(\.reason) == [
                "line is not valid JSON: invalid JSON at byte 18: unexpected end of input"
            ])
        #expect(
            decode("{\"msg\":\"secret@example.com\"}").rejectedRecords.map(\.reason) == [
                "line is not an OTLP, Jaeger or Zipkin span document"
            ])
        #expect(decode("{\"resourceSpans\":[]}\r").isEmpty)
    }
}
