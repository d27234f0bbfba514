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
        var spans = Set<SpanFacts>()
        for resource in json["trace"]?["resourceSpans"]?.array ?? [] {
            let service = resource["resource"]?["attributes"]?.array?.first { $0["key"]?.string == "service.name" }
            for scope in resource["scopeSpans"]?.array ?? [] {
                for span in scope["spans"]?.array ?? [] {
                    #expect(span["traceId"]?.string == id, "hex IDs, as OTLP JSON writes them")
                    spans.insert(
                        SpanFacts(
                            spanID: span["spanId"]?.string ?? "", parentID: span["parentSpanId"]?.string ?? "",
                            name: span["name"]?.string ?? "",
                            service: service?["value"]?["stringValue"]?.string ?? "",
                            logs: span["events"]?.array?.count ?? 0))
                }
            }
        }
        #expect(spans == jaeger.spans)

        let unknown = base + "/api/v2/traces/" + String(repeating: "f", count: 32)
        #expect(try Self.fetchProtobuf(unknown, into: folder.file("missing.bin")) == 404)
        #expect(try QueryHTTP.request(base + "/api/v2/traces/not-an-id").status == 400)
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
