import Query
import Testing
import TraceJoinCore

@Suite struct JaegerTraceEncoderTests {
    static let traceID = TraceID(high: 0, low: 0x00f0_67aa_0ba9_02b7)
    static let origin = InputLocation(source: "test")

    /// api `GET /orders` (server, root) calls db `query` (client, error, the root cause); a log joins the root,
    /// another was placed under the query by its time.
    static func trace() -> TraceView {
        let resource = [Attribute("service.name", .string("api")), Attribute("host.name", .string("h1"))]
        let root = SpanRecord(
            traceID: traceID, spanID: SpanID(0xA1), service: "api", name: "GET /orders", kind: .server,
            startTime: 1_000_000_000, endTime: 1_012_000_000, status: .ok, resource: resource, scope: "http",
            events: [SpanEvent(time: 1_001_000_000, name: "cache.miss", attributes: [Attribute("key", .string("k"))])],
            origin: origin)
        let query = SpanRecord(
            traceID: traceID, spanID: SpanID(0xA2), parentSpanID: SpanID(0xA1), service: "db", name: "query",
            kind: .client, startTime: 1_002_000_000, endTime: 1_008_000_500, status: .error,
            statusMessage: "connection refused",
            attributes: [
                Attribute("http.status_code", .int(500)), Attribute("big", .int(1 << 60)),
                Attribute("ratio", .double(0.5)), Attribute("raw", .bytes([1, 2, 3])),
                Attribute("list", .array([.int(1), .string("a")])),
            ],
            links: [SpanLink(traceID: TraceID(high: 1, low: 2), spanID: SpanID(0xB1), kind: "link")], origin: origin)
        let joined = PlacedLog(
            log: LogRecord(time: 1_003_000_000, message: "order lookup", origin: origin), time: 1_003_000_000,
            service: "api", level: "INFO", attributes: [Attribute("user", .string("u1"))], placement: .joined)
        let placed = PlacedLog(
            log: LogRecord(time: 1_004_000_000, message: "quota exhausted", origin: origin), time: 1_004_000_000,
            service: "adapter", level: "ERROR", attributes: [], placement: .time, isRootCause: true)
        let summary = TraceSummary(
            traceID: traceID, services: ["api", "db"], start: 1_000_000_000, end: 1_012_000_000, isError: true,
            sampled: true, spanCount: 2, logCount: 2, eventCount: 1, errorClass: "connection",
            rootCause: RootCause(service: "db", spanID: SpanID(0xA2), name: "query", message: "connection refused"))
        return TraceView(
            traceID: traceID,
            spans: [
                SpanView(record: root, spanID: root.spanID, parentSpanID: nil, isTraceRoot: true, logs: [joined]),
                SpanView(
                    record: query, spanID: query.spanID, parentSpanID: root.spanID, isRootCause: true, logs: [placed]),
            ],
            summary: summary, classRule: "classify.econnrefused")
    }

    static func encoded() throws -> JSONValue {
        var writer = JSONWriter()
        JaegerTraceEncoder.write(trace(), to: &writer)
        return try JSONParser.parse(writer.text)
    }

    static func tags(_ span: JSONValue?) -> [String: JSONValue] {
        var tags: [String: JSONValue] = [:]
        for tag in span?["tags"]?.array ?? [] { tags[tag["key"]?.string ?? ""] = tag }
        return tags
    }

    @Test("a trace has Jaeger's fields; a 64-bit trace ID is written as 16 hex digits")
    func shape() throws {
        let json = try Self.encoded()
        #expect(json["traceID"]?.string == "00f067aa0ba902b7")
        #expect(json["warnings"] == .null)
        let spans = try #require(json["spans"]?.array)
        #expect(spans.count == 2)
        for span in spans {
            for key in ["traceID", "spanID", "operationName", "references", "startTime", "duration", "tags", "logs",
                "processID", "warnings"]
            {
                #expect(span[key] != nil, "span has \(key)")
            }
        }
        #expect(spans[1]["startTime"]?.int64 == 1_002_000)
        #expect(spans[1]["duration"]?.int64 == 6_000)
        #expect(spans[0]["references"]?.array?.isEmpty == true)
        let references = try #require(spans[1]["references"]?.array)
        #expect(references.first?["refType"]?.string == "CHILD_OF")
        #expect(references.first?["spanID"]?.string == "00000000000000a1")
        #expect(references.last?["refType"]?.string == "FOLLOWS_FROM")
        #expect(references.last?["traceID"]?.string == "00000000000000010000000000000002")
    }

    @Test("processes are one per service and resource; the resource's other attributes are process tags")
    func processes() throws {
        let json = try Self.encoded()
        let spans = try #require(json["spans"]?.array)
        #expect(spans.map { $0["processID"]?.string } == ["p1", "p2"])
        #expect(json["processes"]?["p1"]?["serviceName"]?.string == "api")
        #expect(json["processes"]?["p1"]?["tags"]?.array?.map { $0["key"]?.string } == ["host.name"])
        #expect(json["processes"]?["p2"]?["serviceName"]?.string == "db")
    }

    @Test("attributes keep their types; kind, status and tracejoin's verdict are tags")
    func tags() throws {
        let spans = try #require(try Self.encoded()["spans"]?.array)
        let root = Self.tags(spans[0])
        #expect(root["span.kind"]?["value"]?.string == "server")
        #expect(root["otel.scope.name"]?["value"]?.string == "http")
        #expect(root["otel.status_code"]?["value"]?.string == "OK")
        #expect(root["tracejoin.error_class"]?["value"]?.string == "connection")
        #expect(root["tracejoin.class_rule"]?["value"]?.string == "classify.econnrefused")
        #expect(root["tracejoin.root_cause.service"]?["value"]?.string == "db")
        #expect(root["tracejoin.root_cause.span_id"]?["value"]?.string == "00000000000000a2")
        #expect(root["tracejoin.root_cause.message"]?["value"]?.string == "connection refused")
        #expect(root["tracejoin.root_cause"] == nil)

        let query = Self.tags(spans[1])
        #expect(query["tracejoin.root_cause"]?["value"]?.bool == true)
        #expect(query["tracejoin.error_class"] == nil)
        #expect(query["error"]?["type"]?.string == "bool")
        #expect(query["error"]?["value"]?.bool == true)
        #expect(query["otel.status_description"]?["value"]?.string == "connection refused")
        #expect(query["http.status_code"]?["type"]?.string == "int64")
        #expect(query["http.status_code"]?["value"]?.int64 == 500)
        #expect(query["big"]?["value"]?.string == "1152921504606846976", "beyond 2^53: a string")
        #expect(query["ratio"]?["type"]?.string == "float64")
        #expect(query["raw"]?["type"]?.string == "binary")
        #expect(query["raw"]?["value"]?.string == "AQID")
        #expect(query["list"]?["type"]?.string == "string")
        #expect(query["list"]?["value"]?.string == "[1,\"a\"]")
    }

    @Test("events and placed logs are span logs in time order; a log placed by time says so")
    func spanLogs() throws {
        let spans = try #require(try Self.encoded()["spans"]?.array)
        let rootLogs = try #require(spans[0]["logs"]?.array)
        #expect(rootLogs.map { $0["timestamp"]?.int64 } == [1_001_000, 1_003_000])
        #expect(rootLogs[0]["fields"]?.array?.first?["key"]?.string == "event")
        let fields = try #require(rootLogs[1]["fields"]?.array)
        #expect(fields.map { $0["key"]?.string } == ["level", "message", "service", "user"])
        #expect(fields[1]["value"]?.string == "order lookup")

        let placed = try #require(spans[1]["logs"]?.array?.first?["fields"]?.array)
        let byKey = Dictionary(placed.map { ($0["key"]?.string ?? "", $0["value"]) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["tracejoin.placed"]??.string == "time")
        #expect(byKey["tracejoin.root_cause"]??.bool == true)
        #expect(byKey["service"]??.string == "adapter")
    }

    @Test("the envelope is Jaeger's: data, total, limit, offset, errors")
    func envelope() throws {
        let ok = try JSONParser.parse(JaegerEnvelope.strings(["a", "b"]))
        #expect(ok["data"]?.array == [.string("a"), .string("b")])
        #expect(ok["total"]?.int64 == 2)
        #expect(ok["limit"]?.int64 == 0)
        #expect(ok["offset"]?.int64 == 0)
        #expect(ok["errors"] == .null)
        let refused = try JSONParser.parse(JaegerEnvelope.error(code: 404, message: "trace not found", traceID: "ab"))
        #expect(refused["data"] == .null)
        #expect(refused["errors"]?.array?.first?["code"]?.int64 == 404)
        #expect(refused["errors"]?.array?.first?["msg"]?.string == "trace not found")
        #expect(refused["errors"]?.array?.first?["traceID"]?.string == "ab")
    }
}
