import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tracejoin ui` over real HTTP (issue #17): the Jaeger query API that Grafana's Jaeger data source and Jaeger UI
/// call, on a database the real `batch` made from the bundled night plus a trace with a log that joins no span.
@Suite(.serialized) struct UICommandTests {
    static let showcase = "b7d7adfae85d4a78333dbbe4895be857"
    static let unsampled = "8e27b9d9c80a692855bdab5f74c472bb"

    /// The night and `PlacedLogCommandTests`' trace, ingested by one `batch` run of the binary.
    static let database: Result<String, any Error> = Result {
        let folder = try TemporaryFolder()
        try PlacedLogCommandTests.spans.write(toFile: folder.file("spans.json"), atomically: true, encoding: .utf8)
        try PlacedLogCommandTests.logs.write(toFile: folder.file("warehouse.log"), atomically: true, encoding: .utf8)
        let path = folder.file("night.db")
        let result = try CommandRunner.run(
            ["batch", "--quiet", "--db", path, FixturePaths.fixture("night"), folder.file("spans.json"),
                folder.file("warehouse.log")])
        guard result.status == 0 else { throw NightCommandTests.CommandFailure(result: result) }
        return path
    }

    /// Runs `body` against a `ui` on the shared database, then stops it with SIGTERM and expects exit 0.
    func withUI(_ body: (String) throws -> Void) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (ui, base) = try QueryHTTP.startUI(database: try Self.database.get(), in: folder)
        defer { ui.terminateIfRunning() }
        try body(base)
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")
    }

    @Test("services and operations answer in Jaeger's envelope")
    func servicesAndOperations() throws {
        try withUI { base in
            let services = try QueryHTTP.request(base + "/api/services")
            #expect(services.status == 200)
            let json = try services.json()
            let names = try #require(json["data"]?.array).compactMap { $0.string }
            #expect(names.contains("user-service") && names.contains("payment-service"), "\(names)")
            #expect(json["total"]?.int64 == Int64(names.count))
            #expect(json["errors"] == .null)

            let operations = try QueryHTTP.request(base + "/api/services/user-service/operations").json()
            #expect(operations["data"]?.array?.contains(.string("pg.connect")) == true, "\(operations)")
            let kinds = try QueryHTTP.request(base + "/api/operations?service=user-service&spanKind=server").json()
            let server = try #require(kinds["data"]?.array)
            #expect(!server.isEmpty && server.allSatisfy { $0["spanKind"]?.string == "server" }, "\(kinds)")
            #expect(try QueryHTTP.request(base + "/api/operations").status == 400)
        }
    }

    @Test("a failing trace by its traceparent: its spans, references, logs inside spans and the verdict")
    func failingTrace() throws {
        try withUI { base in
            let answer = try QueryHTTP.request(
                base + "/api/traces/00-\(Self.showcase)-00f067aa0ba902b7-01")
            #expect(answer.status == 200, "\(answer.body.prefix(300))")
            let trace = try #require(try answer.json()["data"]?.array?.first)
            #expect(trace["traceID"]?.string == Self.showcase)
            let spans = try #require(trace["spans"]?.array)
            #expect(spans.count == 6)
            let ids = Set(spans.compactMap { $0["spanID"]?.string })
            let children = spans.filter { !($0["references"]?.array ?? []).isEmpty }
            #expect(children.count == 5)
            for child in children {
                let parent = try #require(child["references"]?.array?.first)
                #expect(parent["refType"]?.string == "CHILD_OF")
                #expect(ids.contains(parent["spanID"]?.string ?? ""), "parent in the trace")
            }
            let processes = try #require(trace["processes"]?.object)
            for span in spans { #expect(processes[span["processID"]?.string ?? ""] != nil) }

            let root = try #require(spans.first { ($0["references"]?.array ?? []).isEmpty })
            let verdict = QueryHTTP.tags(root)
            #expect(verdict["tracejoin.error_class"]?.string == "connection")
            #expect(verdict["tracejoin.class_rule"]?.string?.isEmpty == false)
            #expect(verdict["tracejoin.root_cause.service"]?.string == "user-service")
            #expect(verdict["tracejoin.root_cause.message"]?.string?.contains("ECONNREFUSED") == true, "\(verdict)")

            let causes = spans.filter { QueryHTTP.tags($0)["tracejoin.root_cause"]?.bool == true }
            #expect(causes.count == 1)
            #expect(causes.first?["operationName"]?.string == "pg.connect")
            #expect(QueryHTTP.tags(causes[0])["error"]?.bool == true)

            // Logs sit inside their spans, with level, message and service.
            let logs = spans.flatMap { $0["logs"]?.array ?? [] }.map(QueryHTTP.fields)
            let lines = logs.filter { $0["message"] != nil }
            #expect(lines.count >= 3, "\(logs)")
            #expect(lines.allSatisfy { $0["level"]?.string != nil && $0["service"]?.string != nil })
            #expect(lines.contains { $0["message"]?.string == "database connection failed" })
            let exceptions = logs.filter { $0["event"]?.string == "exception" }
            #expect(exceptions.contains { $0["exception.message"]?.string?.contains("ECONNREFUSED") == true })
        }
    }

    @Test(
        "the trace ID may take any form show accepts",
        arguments: ["b7d7adfae85d4a78333dbbe4895be857", "B7D7ADFAE85D4A78333DBBE4895BE857", "t9et+uhdSngzPbvkiVvoVw==",
            "t9et%2BuhdSngzPbvkiVvoVw%3D%3D"])
    func traceIDForms(_ form: String) throws {
        try withUI { base in
            let answer = try QueryHTTP.request(base + "/api/traces/" + form)
            #expect(answer.status == 200)
            #expect(try answer.json()["data"]?.array?.first?["traceID"]?.string == Self.showcase)
        }
    }

    @Test(
        "a trace without spans gets a synthetic span per service; a log without a span sits on the span of its time")
    func syntheticAndPlaced() throws {
        try withUI { base in
            let unsampled = try #require(
                try QueryHTTP.request(base + "/api/traces/" + Self.unsampled).json()["data"]?.array?.first)
            let spans = try #require(unsampled["spans"]?.array)
            #expect(spans.count == 2)
            #expect(spans.allSatisfy { QueryHTTP.tags($0)["tracejoin.synthetic"]?.bool == true })
            #expect(spans.reduce(0) { $0 + ($1["logs"]?.array?.count ?? 0) } == 6)

            let placed = try #require(
                try QueryHTTP.request(base + "/api/traces/" + PlacedLogCommandTests.traceID).json()["data"]?.array?
                    .first)
            let reserve = try #require(placed["spans"]?.array?.first { $0["operationName"]?.string == "reserve-stock" })
            let fields = try #require(
                reserve["logs"]?.array?.map(QueryHTTP.fields).first { $0["service"]?.string == "warehouse-adapter" })
            #expect(fields["tracejoin.placed"]?.string == "time")
            #expect(fields["tracejoin.root_cause"]?.bool == true)
        }
    }

    @Test("search by service and by the error tag, newest first")
    func search() throws {
        try withUI { base in
            let tags = QueryHTTP.encoded("{\"error\":\"true\"}")
            let incidents = try QueryHTTP.request(base + "/api/traces?tags=\(tags)&limit=100")
            #expect(incidents.status == 200)
            let traces = try #require(try incidents.json()["data"]?.array)
            #expect(traces.count == 21, "the night's 20 incidents and the placed-log trace")
            let starts = traces.compactMap { $0["spans"]?.array?.compactMap { $0["startTime"]?.int64 }.min() }
            #expect(starts == starts.sorted(by: >))
            #expect(traces.allSatisfy { trace in
                trace["spans"]?.array?.contains { QueryHTTP.tags($0)["tracejoin.error_class"] != nil } == true
            })

            let worker = try QueryHTTP.request(base + "/api/traces?service=inventory-worker&limit=5").json()
            let found = try #require(worker["data"]?.array)
            #expect(!found.isEmpty && found.count <= 5)
            #expect(found.allSatisfy { trace in
                trace["processes"]?.object?.members.contains { $0.value["serviceName"]?.string == "inventory-worker" }
                    == true
            })
            let timeouts = try QueryHTTP.request(base + "/api/traces?tag=tracejoin.error_class:timeout").json()
            #expect(timeouts["data"]?.array?.count == 4, "the night's four timeouts")
        }
    }

    @Test("refusals: a missing trace 404, malformed IDs and bad parameters 400, unknown paths 404, POST 405")
    func refusals() throws {
        try withUI { base in
            let missing = try QueryHTTP.request(base + "/api/traces/0123456789abcdef0123456789abcdef")
            #expect(missing.status == 404)
            #expect(try missing.json()["errors"]?.array?.first?["code"]?.int64 == 404)
            for path in [
                "/api/traces/not-a-trace-id", "/api/traces?minDuration=fast", "/api/traces?tags=%7Bbroken",
                "/api/traces?start=yesterday", "/api/operations?service=a&spanKind=sideways",
            ] {
                let answer = try QueryHTTP.request(base + path)
                #expect(answer.status == 400, "\(path)")
                #expect(try answer.json()["errors"]?.array?.first?["msg"]?.string?.isEmpty == false)
            }
            #expect(try QueryHTTP.request(base + "/api/nothing").status == 404)
            #expect(try QueryHTTP.request(base + "/api/services", method: "POST").status == 405)
        }
    }

    @Test("dependencies: the calls between services that the traces' spans show, in a window of ms; bad values 400")
    func dependencies() throws {
        try withUI { base in
            // The night's traces start on 2026-11-23; the window covers them all.
            let (end, lookback): (Int64, Int64) = (1_795_500_000_000, 7 * 86_400_000)
            let answer = try QueryHTTP.request(base + "/api/dependencies?endTs=\(end)&lookback=\(lookback)")
            #expect(answer.status == 200, "\(answer.body.prefix(300))")
            var served: [String: Int64] = [:]
            for link in try #require(answer.json()["data"]?.array) {
                served["\(link["parent"]?.string ?? "?") -> \(link["child"]?.string ?? "?")"] = link["callCount"]?.int64
            }
            #expect(served["checkout-api -> order-service"] ?? 0 > 0, "\(served)")

            // The same counted from the traces the search API serves for that window: a span whose parent span
            // is another service's is one call.
            let micros = "start=\((end - lookback) * 1000)&end=\(end * 1000)&limit=1000"
            var counted: [String: Int64] = [:]
            for trace in try #require(QueryHTTP.request(base + "/api/traces?" + micros).json()["data"]?.array) {
                var services: [String: String] = [:]
                for span in trace["spans"]?.array ?? [] {
                    let process = span["processID"]?.string ?? ""
                    services[span["spanID"]?.string ?? ""] = trace["processes"]?[process]?["serviceName"]?.string
                }
                for span in trace["spans"]?.array ?? [] {
                    for reference in span["references"]?.array ?? [] where reference["refType"]?.string == "CHILD_OF" {
                        guard let parent = services[reference["spanID"]?.string ?? ""],
                            let child = services[span["spanID"]?.string ?? ""], parent != child
                        else { continue }
                        counted["\(parent) -> \(child)", default: 0] += 1
                    }
                }
            }
            #expect(served == counted)

            let before = try QueryHTTP.request(base + "/api/dependencies?endTs=1700000000000&lookback=3600000").json()
            #expect(before["data"]?.array?.isEmpty == true, "nothing before the night")
            for bad in ["endTs=soon", "lookback=-5", "endTs=1.5"] {
                #expect(try QueryHTTP.request(base + "/api/dependencies?" + bad).status == 400, "\(bad)")
            }
        }
    }
}
