import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Every JSON endpoint of `tracejoin ui`, over real HTTP, held to the shape its upstream project defines
/// (``UpstreamShapes``): only the members the upstream message has, of the right JSON types, the required ones
/// present. Grafana's Tempo decoder rejects unknown fields, and Jaeger UI validates api/v3 answers with schemas made
/// from Jaeger's protos, so a member too many or a number written as a string breaks them.
@Suite(.serialized) struct UpstreamContractTests {
    @Test("the shape check finds an unknown member, a missing one, a wrong type and a malformed ID")
    func shapeCheckFails() throws {
        let shape = JSONShape.object(
            ["traceId": .hex(length: 4), "start": .decimalString, "count": .number], required: ["traceId"])
        #expect(shape.violations(of: try JSONParser.parse(#"{"traceId":"ab12","start":"17","count":2}"#)).isEmpty)
        #expect(
            shape.violations(of: try JSONParser.parse(#"{"traceId":"ab12","extra":1}"#))
                == [#"$: unknown member "extra""#])
        #expect(shape.violations(of: try JSONParser.parse(#"{"count":2}"#)) == [#"$: no member "traceId""#])
        #expect(
            shape.violations(of: try JSONParser.parse(#"{"traceId":"ab12","start":17}"#))
                == ["$.start: a number where a decimal string belongs"])
        #expect(
            shape.violations(of: try JSONParser.parse(#"{"traceId":"xyz1"}"#))
                == [#"$.traceId: "xyz1" is not 4 hex digits"#])
        let envelope = UpstreamShapes.jaegerEnvelope(.array(.string))
        #expect(
            envelope.violations(of: try JSONParser.parse(#"{"data":["a"],"total":1,"limit":0,"offset":0}"#))
                == [#"$: no member "errors""#])
    }

    /// The endpoints, each with a request that finds something (so arrays are not checked empty) and its shape.
    static let contracts: [(path: String, shape: JSONShape)] = {
        let showcase = UICommandTests.showcase
        let unsampled = UICommandTests.unsampled
        let window = "query.startTimeMin=2026-11-22T00:00:00Z&query.startTimeMax=2026-11-24T00:00:00Z"
        return [
            ("/api/services", UpstreamShapes.jaegerEnvelope(.array(.string))),
            ("/api/services/user-service/operations", UpstreamShapes.jaegerEnvelope(.array(.string))),
            ("/api/operations?service=user-service", UpstreamShapes.jaegerEnvelope(.array(UpstreamShapes.jaegerOperation))),
            ("/api/traces/" + showcase, UpstreamShapes.jaegerEnvelope(.array(UpstreamShapes.jaegerTrace))),
            ("/api/traces/" + unsampled, UpstreamShapes.jaegerEnvelope(.array(UpstreamShapes.jaegerTrace))),
            (
                "/api/traces?service=user-service&tags=%7B%22error%22%3A%22true%22%7D&limit=5",
                UpstreamShapes.jaegerEnvelope(.array(UpstreamShapes.jaegerTrace))
            ),
            ("/api/traces/" + String(repeating: "f", count: 32), UpstreamShapes.jaegerEnvelope(.nullable(.any))),
            (
                "/api/dependencies?endTs=1800000000000&lookback=100000000000",
                UpstreamShapes.jaegerEnvelope(.array(UpstreamShapes.jaegerDependency))
            ),
            ("/api/v3/services", UpstreamShapes.v3Services),
            ("/api/v3/operations?service=user-service", UpstreamShapes.v3Operations),
            ("/api/v3/traces/" + showcase, UpstreamShapes.v3Traces),
            ("/api/v3/traces/" + unsampled, UpstreamShapes.v3Traces),
            ("/api/v3/traces?query.serviceName=user-service&" + window, UpstreamShapes.v3Traces),
            ("/api/v3/traces/" + String(repeating: "f", count: 32), UpstreamShapes.v3Error),
            ("/api/v3/trace-summaries?query.serviceName=user-service&" + window, UpstreamShapes.v3TraceSummaries),
            ("/api/v3/trace-summaries?query.attributes=error%3Dtrue", UpstreamShapes.v3TraceSummaries),
            ("/api/search?q=%7Bstatus%3Derror%7D&limit=5", UpstreamShapes.tempoSearch),
            ("/api/search/tags", UpstreamShapes.tempoTags),
            ("/api/v2/search/tags", UpstreamShapes.tempoTagsV2),
            ("/api/search/tag/service.name/values", UpstreamShapes.tempoTagValues),
            ("/api/v2/search/tag/resource.service.name/values", UpstreamShapes.tempoTagValuesV2),
            ("/api/v2/traces/" + showcase, UpstreamShapes.tempoTraceV2),
            ("/api/status/buildinfo", UpstreamShapes.tempoBuildInfo),
        ]
    }()

    @Test("every JSON endpoint answers in the shape of its upstream project")
    func everyEndpoint() throws {
        try UICommandTests().withUI { base in
            for (path, shape) in Self.contracts {
                let answer = try QueryHTTP.request(base + path)
                let json = try answer.json()
                #expect(shape.violations(of: json).isEmpty, "\(path): \(shape.violations(of: json).prefix(5))")
                #expect(!Self.holdsEmptyArraysOnly(json), "\(path) found nothing to check: \(answer.body.prefix(200))")
            }
        }
    }

    /// True when the answer's arrays are all empty (and there is one): a contract checked on nothing.
    static func holdsEmptyArraysOnly(_ value: JSONValue) -> Bool {
        var arrays = 0
        var filled = 0
        func visit(_ value: JSONValue) {
            switch value {
            case .array(let items):
                arrays += 1
                if !items.isEmpty { filled += 1 }
                items.forEach(visit)
            case .object(let object): object.members.forEach { visit($0.value) }
            default: break
            }
        }
        visit(value)
        return arrays > 0 && filled == 0
    }

    @Test("trace summaries tell what the traces themselves tell, for the same search written either way")
    func traceSummaries() throws {
        try UICommandTests().withUI(checkSummaries)
    }

    private func checkSummaries(_ base: String) throws {
        // Incidents of user-service on the night of 2026-11-23, as Jaeger UI 2.19+ asks (camel case, the tags field)
        // and as earlier versions name the same parameters.
        let window = "2026-11-22T00:00:00Z&query.%@=2026-11-24T00:00:00.5Z"
        let camel =
            "/api/v3/trace-summaries?query.serviceName=user-service&query.attributes=error%3Dtrue&query.searchDepth=50"
            + "&query.startTimeMin=" + String(format: window, "startTimeMax")
        let snake =
            "/api/v3/trace-summaries?query.service_name=user-service&query.attributes.error=true&query.num_traces=50"
            + "&query.start_time_min=" + String(format: window, "start_time_max")
        let json = "/api/v3/trace-summaries?query.serviceName=user-service&query.searchDepth=50"
            + "&query.attributes=%7B%22error%22%3A%22true%22%7D"
        let summaries = try QueryHTTP.request(base + camel).json()["summaries"]?.array ?? []
        #expect(summaries.count >= 2, "\(summaries)")
        #expect(try QueryHTTP.request(base + snake).json()["summaries"]?.array ?? [] == summaries)
        #expect(try QueryHTTP.request(base + json).json()["summaries"]?.array ?? [] == summaries)

        let v1 = try QueryHTTP.request(
            base + "/api/traces?service=user-service&tags=%7B%22error%22%3A%22true%22%7D"
                + "&start=1795305600000000&end=1795478400500000&limit=50"
        ).json()["data"]?.array ?? []
        #expect(summaries.map { $0["traceId"]?.string } == v1.map { Self.padded($0["traceID"]?.string) })
        for (summary, trace) in zip(summaries, v1) {
            let spans = trace["spans"]?.array ?? []
            let services = { (span: JSONValue) in trace["processes"]?[span["processID"]?.string ?? ""]?["serviceName"]?.string ?? "" }
            // Jaeger's `error` tag may hold a message (Datadog spans); the status is `otel.status_code`.
            let isError = { (span: JSONValue) in QueryHTTP.tags(span)["otel.status_code"]?.string == "ERROR" }
            #expect(summary["spanCount"]?.int64 == Int64(spans.count))
            #expect(summary["errorSpanCount"]?.int64 == Int64(spans.count(where: isError)))
            let byService = Dictionary(grouping: spans, by: services)
            let listed = summary["services"]?.array ?? []
            #expect(listed.compactMap { $0["name"]?.string } == byService.keys.sorted())
            for entry in listed {
                let mine = byService[entry["name"]?.string ?? ""] ?? []
                #expect(entry["spanCount"]?.int64 == Int64(mine.count))
                #expect(entry["errorSpanCount"]?.int64 == Int64(mine.count(where: isError)))
            }
            let starts = spans.compactMap { $0["startTime"]?.int64 }
            let ends = spans.compactMap { span in span["startTime"]?.int64.map { $0 + (span["duration"]?.int64 ?? 0) } }
            // Jaeger's microseconds against the summary's nanoseconds.
            #expect(summary["minStartTimeUnixNano"]?.string.flatMap { Int64($0) }.map { $0 / 1_000 } == starts.min())
            let lastEnd = summary["maxEndTimeUnixNano"]?.string.flatMap { Int64($0) }.map { $0 / 1_000 } ?? 0
            #expect(abs(lastEnd - (ends.max() ?? 0)) <= 1)
            // The root: the earliest span whose parent the trace does not hold (a partial trace has no true root).
            let ids = Set(spans.compactMap { $0["spanID"]?.string })
            let root = spans.filter { span in
                !(span["references"]?.array ?? []).contains {
                    $0["refType"]?.string == "CHILD_OF" && ids.contains($0["spanID"]?.string ?? "")
                }
            }.min { ($0["startTime"]?.int64 ?? 0) < ($1["startTime"]?.int64 ?? 0) }
            #expect(summary["rootOperationName"]?.string == root?["operationName"]?.string)
            #expect(summary["rootServiceName"]?.string == root.map(services))
        }

        // Nothing found is an empty list, not an error: the search page shows "no traces".
        let none = try QueryHTTP.request(base + "/api/v3/trace-summaries?query.serviceName=no-such-service")
        let noneFound = try none.json()["summaries"]?.array
        #expect(none.status == 200 && noneFound?.isEmpty == true, "\(none.body)")
        let bad = try QueryHTTP.request(base + "/api/v3/trace-summaries?query.attributes=error")
        let badCode = try bad.json()["error"]?["httpCode"]?.int64
        #expect(bad.status == 400 && badCode == 400, "\(bad.body)")
    }

    @Test("api/v3 refuses in its own shape, naming the parameter as the request wrote it")
    func v3Refusals() throws {
        try UICommandTests().withUI { base in
            let refusals: [(path: String, status: Int, naming: String)] = [
                ("/api/v3/no-such-endpoint", 404, "no such endpoint"),
                ("/api/v3/traces?query.durationMin=5s&query.durationMax=1s", 400, "'query.durationMax'"),
                ("/api/v3/trace-summaries?query.duration_min=5s&query.duration_max=1s", 400, "'query.duration_max'"),
                ("/api/v3/operations?service=user-service&span_kind=sideways", 400, "'span_kind'"),
                ("/api/v3/operations?service=user-service&spanKind=sideways", 400, "'spanKind'"),
            ]
            for refusal in refusals {
                let answer = try QueryHTTP.request(base + refusal.path)
                let json = try answer.json()
                #expect(UpstreamShapes.v3Error.violations(of: json).isEmpty, "\(refusal.path): \(answer.body)")
                #expect(answer.status == refusal.status, "\(refusal.path): \(answer.body)")
                #expect(json["error"]?["message"]?.string?.contains(refusal.naming) == true, "\(answer.body)")
            }
            // The camel-case kind filters as the snake-case one does.
            let camel = try QueryHTTP.request(base + "/api/v3/operations?service=user-service&spanKind=client").json()
            let snake = try QueryHTTP.request(base + "/api/v3/operations?service=user-service&span_kind=client").json()
            #expect(camel == snake && (camel["operations"]?.array?.count ?? 0) > 0, "\(camel)")
        }
    }

    @Test("several traces by ID at once, in the order asked, as each alone answers; an unknown one left out")
    func severalTraces() throws {
        try UICommandTests().withUI { base in
            let ids = [UICommandTests.unsampled, String(repeating: "e", count: 32), UICommandTests.showcase]
            let answer = try QueryHTTP.request(base + "/api/traces?" + ids.map { "traceID=" + $0 }.joined(separator: "&"))
            let traces = try answer.json()["data"]?.array ?? []
            #expect(traces.map { $0["traceID"]?.string } == [UICommandTests.unsampled, UICommandTests.showcase])
            for trace in traces {
                let alone = try QueryHTTP.request(base + "/api/traces/" + (trace["traceID"]?.string ?? "")).json()
                #expect(alone["data"]?.array?.first == trace)
            }
            let malformed = try QueryHTTP.request(base + "/api/traces?traceID=not-an-id")
            #expect(malformed.status == 400, "\(malformed.body)")
        }
    }

    @Test("times the CLI's --since takes are taken by the API too: a date, hours and minutes, no zone")
    func shortTimes() throws {
        try UICommandTests().withUI { base in
            let full = try QueryHTTP.request(base + "/api/tracejoin/incidents?since=2026-11-23T00:00:00Z&limit=500")
            #expect(full.status == 200)
            for short in ["2026-11-23T00:00Z", "2026-11-23", "2026-11-23T00:00"] {
                let answer = try QueryHTTP.request(base + "/api/tracejoin/incidents?since=\(short)&limit=500")
                #expect(answer.status == 200 && answer.body == full.body, "\(short): \(answer.body.prefix(200))")
            }
            let v3 = try QueryHTTP.request(
                base + "/api/v3/trace-summaries?query.startTimeMin=2026-11-23T00:00Z&query.startTimeMax=2026-11-24")
            let found = try v3.json()["summaries"]?.array ?? []
            #expect(v3.status == 200 && !found.isEmpty, "\(v3.body.prefix(200))")
        }
    }

    /// A Jaeger trace ID (leading zeros dropped for a 64-bit ID) as 32 hex digits.
    static func padded(_ id: String?) -> String? {
        id.map { String(repeating: "0", count: max(0, 32 - $0.count)) + $0 }
    }
}
