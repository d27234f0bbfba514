import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The Tempo API that Grafana's Tempo data source calls (issue #17), on `tracejoin ui`: Save & test, build
/// information, and a trace by ID as protobuf, decoded by the official OpenTelemetry protobuf classes
/// (Contract/tempo_trace.py, in the real client's environment), and as OTLP JSON. Each must tell the same story
/// as the Jaeger answer for the trace: the same spans, parents, services, logs and verdict.
@Suite(.serialized) struct TempoAPITests {
    /// What a span of a trace is, as both APIs can say it.
    struct SpanFacts: Hashable, CustomStringConvertible {
        var spanID: String
        var parentID: String
        var name: String
        var service: String
        var logs: Int

        var description: String { "\(service) \(name) \(spanID)<-\(parentID) logs:\(logs)" }
    }

    /// The trace as the Jaeger API serves it, and the error class on its root span.
    static func jaegerFacts(_ base: String, _ id: String) throws -> (spans: Set<SpanFacts>, errorClass: String?) {
        let trace = try #require(try QueryHTTP.request(base + "/api/traces/" + id).json()["data"]?.array?.first)
        var spans = Set<SpanFacts>()
        var errorClass: String?
        for span in trace["spans"]?.array ?? [] {
            let parent = span["references"]?.array?.first { $0["refType"]?.string == "CHILD_OF" }
            let process = span["processID"]?.string ?? ""
            spans.insert(
                SpanFacts(
                    spanID: span["spanID"]?.string ?? "", parentID: parent?["spanID"]?.string ?? "",
                    name: span["operationName"]?.string ?? "",
                    service: trace["processes"]?[process]?["serviceName"]?.string ?? "",
                    logs: span["logs"]?.array?.count ?? 0))
            errorClass = errorClass ?? QueryHTTP.tags(span)["tracejoin.error_class"]?.string
        }
        return (spans, errorClass)
    }

    /// GETs `url` asking for protobuf into a file; the HTTP status and the file.
    static func fetchProtobuf(_ url: String, into path: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = [
            "-s", "--max-time", "20", "-H", "Accept: application/protobuf", "-o", path, "-w", "%{http_code}", url,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let status = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Int(status) ?? 0
    }

    /// The spans of a protobuf body as the official OTLP classes decode it.
    static func decoded(_ version: String, _ path: String) throws -> (spans: Set<SpanFacts>, errorClass: String?) {
        try RealClientTests.ensureVirtualEnvironment()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RealClientTests.venv + "/bin/python")
        process.arguments = [FixturePaths.repositoryRoot + "/Contract/tempo_trace.py", version, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the \(version) body did not decode")
        var spans = Set<SpanFacts>()
        var errorClass: String?
        for span in try JSONParser.parse(output)["spans"]?.array ?? [] {
            spans.insert(
                SpanFacts(
                    spanID: span["spanId"]?.string ?? "", parentID: span["parentSpanId"]?.string ?? "",
                    name: span["name"]?.string ?? "", service: span["service"]?.string ?? "",
                    logs: span["events"]?.array?.count ?? 0))
            errorClass = errorClass ?? span["attributes"]?["tracejoin.error_class"]?.string
        }
        return (spans, errorClass)
    }

    /// The spans of OTLP JSON resource spans, by trace ID (hex, as OTLP JSON writes it), in order of first span.
    static func otlpJSONFacts(_ resourceSpans: [JSONValue]) -> [(traceID: String, spans: Set<SpanFacts>)] {
        var traces: [(traceID: String, spans: Set<SpanFacts>)] = []
        for resource in resourceSpans {
            let service = resource["resource"]?["attributes"]?.array?.first { $0["key"]?.string == "service.name" }
            for scope in resource["scopeSpans"]?.array ?? [] {
                for span in scope["spans"]?.array ?? [] {
                    let traceID = span["traceId"]?.string ?? ""
                    let facts = SpanFacts(
                        spanID: span["spanId"]?.string ?? "", parentID: span["parentSpanId"]?.string ?? "",
                        name: span["name"]?.string ?? "", service: service?["value"]?["stringValue"]?.string ?? "",
                        logs: span["events"]?.array?.count ?? 0)
                    if let index = traces.firstIndex(where: { $0.traceID == traceID }) {
                        traces[index].spans.insert(facts)
                    } else {
                        traces.append((traceID, [facts]))
                    }
                }
            }
        }
        return traces
    }

    @Test("Jaeger api/v3 (current Jaeger UI): services, operations, a trace as OTLP and a search, as v1 tells them")
    func jaegerV3() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (ui, base) = try QueryHTTP.startUI(database: try UICommandTests.database.get(), in: folder)
        defer { ui.terminateIfRunning() }
        let v1Services = try QueryHTTP.request(base + "/api/services").json()["data"]?.array ?? []
        let v3Services = try QueryHTTP.request(base + "/api/v3/services").json()["services"]?.array ?? []
        #expect(!v3Services.isEmpty && v3Services == v1Services)
        let operations = try QueryHTTP.request(base + "/api/v3/operations?service=user-service&span_kind=server")
            .json()["operations"]?.array ?? []
        #expect(!operations.isEmpty && operations.allSatisfy { $0["spanKind"]?.string == "server" }, "\(operations)")

        let id = UICommandTests.showcase
        let trace = try QueryHTTP.request(base + "/api/v3/traces/" + id).json()
        let facts = Self.otlpJSONFacts(trace["result"]?["resourceSpans"]?.array ?? [])
        #expect(facts.map(\.traceID) == [id])
        #expect(facts.first?.spans == (try Self.jaegerFacts(base, id).spans))

        // The same search both ways: incidents of user-service on the night of 2026-11-23.
        let (from, until) = ("2026-11-22T00:00:00Z", "2026-11-24T00:00:00.5Z")
        let v3 = try QueryHTTP.request(
            base + "/api/v3/traces?query.service_name=user-service&query.attributes.error=true"
                + "&query.start_time_min=\(from)&query.start_time_max=\(until)&query.num_traces=100")
        #expect(v3.status == 200, "\(v3.body.prefix(300))")
        let found = Set(Self.otlpJSONFacts(try v3.json()["result"]?["resourceSpans"]?.array ?? []).map(\.traceID))
        let v1 = try QueryHTTP.request(
            base + "/api/traces?service=user-service&tags=%7B%22error%22%3A%22true%22%7D"
                + "&start=1795305600000000&end=1795478400500000&limit=100").json()
        let expected = Set((v1["data"]?.array ?? []).compactMap { $0["traceID"]?.string })
        #expect(!found.isEmpty && found == expected)

        let missing = try QueryHTTP.request(base + "/api/v3/traces/" + String(repeating: "f", count: 32))
        let code = try missing.json()["error"]?["httpCode"]?.int64
        #expect(missing.status == 404 && code == 404)
        // api/v3 refuses in its own shape, whatever the reason.
        let badTime = try QueryHTTP.request(base + "/api/v3/traces?query.start_time_min=yesterday")
        let badTimeCode = try badTime.json()["error"]?["httpCode"]?.int64
        #expect(badTime.status == 400 && badTimeCode == 400, "\(badTime.body)")
        let badID = try QueryHTTP.request(base + "/api/v3/traces/not-an-id")
        let badIDMessage = try badID.json()["error"]?["message"]?.string
        #expect(badID.status == 400 && badIDMessage != nil, "\(badID.body)")
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")
    }

    @Test("Tempo search: the TraceQL of Grafana's builder finds what the same Jaeger search finds; tags and values")
    func tempoSearch() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (ui, base) = try QueryHTTP.startUI(database: try UICommandTests.database.get(), in: folder)
        defer { ui.terminateIfRunning() }
        func tempo(_ query: String) throws -> (ids: Set<String>, keys: Set<String>) {
            let escaped = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let answer = try QueryHTTP.request(base + "/api/search?limit=1000&q=" + escaped)
            #expect(answer.status == 200, "\(query): \(answer.body.prefix(300))")
            let traces = try answer.json()["traces"]?.array ?? []
            return (
                Set(traces.compactMap { $0["traceID"]?.string }),
                Set(traces.flatMap { $0.object?.members.map(\.key) ?? [] })
            )
        }
        func jaeger(_ query: String) throws -> Set<String> {
            let data = try QueryHTTP.request(base + "/api/traces?limit=1000&" + query).json()["data"]?.array ?? []
            return Set(data.compactMap { $0["traceID"]?.string })
        }
        let pairs: [(String, String)] = [
            (#"{resource.service.name="user-service" && status=error}"#,
                "service=user-service&tags=%7B%22error%22%3A%22true%22%7D"),
            (#"{span.tracejoin.error_class="timeout"}"#, "tag=tracejoin.error_class:timeout"),
            (#"{duration>=1s && name="pg.connect"}"#, "operation=pg.connect&minDuration=1s"),
            ("{}", ""),
        ]
        for (traceQL, jaegerQuery) in pairs {
            let found = try tempo(traceQL)
            #expect(!found.ids.isEmpty || traceQL.contains("duration"), "\(traceQL) found nothing")
            #expect(found.ids == (try jaeger(jaegerQuery)), "\(traceQL)")
            let tempoFields: Set<String> = [
                "traceID", "rootServiceName", "rootTraceName", "startTimeUnixNano", "durationMs",
            ]
            #expect(found.keys.isSubset(of: tempoFields), "only Tempo's fields: \(found.keys)")
        }
        for unsupported in [#"{name="a" || name="b"}"#, #"{name=~"a.*"}"#, "{status=error} | count() > 2"] {
            let escaped = unsupported.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            #expect(try QueryHTTP.request(base + "/api/search?q=" + escaped).status == 400, "\(unsupported)")
        }

        let tags = try QueryHTTP.request(base + "/api/v2/search/tags").json()["scopes"]?.array ?? []
        let resource = tags.first { $0["name"]?.string == "resource" }
        #expect(resource?["tags"]?.array?.contains(.string("service.name")) == true, "\(tags)")
        let classes = try QueryHTTP.request(base + "/api/v2/search/tag/span.tracejoin.error_class/values").json()
        let values = (classes["tagValues"]?.array ?? []).compactMap { $0["value"]?.string }
        #expect(values.contains("connection") && values == values.sorted(), "\(values)")
        let services = try QueryHTTP.request(base + "/api/search/tag/service.name/values").json()["tagValues"]
        #expect(services == (try QueryHTTP.request(base + "/api/services").json()["data"]))
        // Span names: those of every service, as the Jaeger API lists them per service.
        var operations = Set<String>()
        for service in services?.array?.compactMap(\.string) ?? [] {
            let escaped = service.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let names = try QueryHTTP.request(base + "/api/services/\(escaped)/operations").json()["data"]
            operations.formUnion(names?.array?.compactMap(\.string) ?? [])
        }
        let names = try QueryHTTP.request(base + "/api/search/tag/name/values").json()["tagValues"]?.array ?? []
        #expect(!names.isEmpty && Set(names.compactMap(\.string)) == operations)
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")
    }

    @Test("a trace by ID as Tempo protobuf (v1 and v2) and OTLP JSON tells what the Jaeger answer tells")
    func traceByID() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (ui, base) = try QueryHTTP.startUI(database: try UICommandTests.database.get(), in: folder)
        defer { ui.terminateIfRunning() }
        let id = UICommandTests.showcase
        let jaeger = try Self.jaegerFacts(base, id)
        #expect(jaeger.spans.count == 6 && jaeger.errorClass == "connection")

        #expect(try Self.fetchProtobuf(base + "/api/v2/traces/" + id, into: folder.file("v2.bin")) == 200)
        let v2 = try Self.decoded("v2", folder.file("v2.bin"))
        #expect(v2.spans == jaeger.spans)
        #expect(v2.errorClass == jaeger.errorClass)

        // Tempo's v1 path is Jaeger's too: protobuf when asked for, else Jaeger's JSON as before.
        let traceparent = "00-\(id)-00f067aa0ba902b7-01"
        #expect(try Self.fetchProtobuf(base + "/api/traces/" + traceparent, into: folder.file("v1.bin")) == 200)
        let v1 = try Self.decoded("v1", folder.file("v1.bin"))
        #expect(v1.spans == jaeger.spans)

        let json = try QueryHTTP.request(base + "/api/v2/traces/" + id).json()
        let spans = Self.otlpJSONFacts(json["trace"]?["resourceSpans"]?.array ?? [])
        #expect(spans.map(\.traceID) == [id], "hex IDs, as OTLP JSON writes them")
        #expect(spans.first?.spans == jaeger.spans)

        let unknown = base + "/api/v2/traces/" + String(repeating: "f", count: 32)
        #expect(try Self.fetchProtobuf(unknown, into: folder.file("missing.bin")) == 404)
        let malformed = try QueryHTTP.request(base + "/api/v2/traces/not-an-id")
        #expect(
            malformed.status == 400 && !malformed.body.hasPrefix("{"), "Tempo refuses in plain text: \(malformed.body)")
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")
    }

    @Test("Save & test: /api/echo answers echo; build information names tracejoin's version")
    func echoAndBuildInfo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (ui, base) = try QueryHTTP.startUI(database: try UICommandTests.database.get(), in: folder)
        defer { ui.terminateIfRunning() }
        let echo = try QueryHTTP.request(base + "/api/echo")
        #expect(echo.status == 200 && echo.body == "echo")
        let version = try CommandRunner.run(["--version"]).standardOutput.trimmingWhitespace()
        let info = try QueryHTTP.request(base + "/api/status/buildinfo").json()
        #expect(info["version"]?.string == version && !version.isEmpty)
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")
    }
}
