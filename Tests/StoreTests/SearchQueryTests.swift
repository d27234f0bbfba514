import Store
import Testing
import TraceJoinCore

/// The query server's reads (issue #17): services, operations and the trace search over the `traces` summary.
@Suite struct SearchQueryTests {
    static let traces = (1...4).map { TraceID(high: 9, low: UInt64($0)) }

    /// Traces 1–3 summarised: 1 api `GET /a` failed (timeout, rule r.timeout), 2 worker `job` fine, 3 api `GET /b`
    /// failed (connection); trace 4 is written but not summarised yet.
    static func store() throws -> TemporaryStore {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        func span(_ trace: Int, _ service: String, _ name: String, kind: SpanKind, start: Int64, end: Int64,
            attributes: [Attribute] = [], resource: [Attribute] = []) -> Record
        {
            .span(
                SpanRecord(
                    traceID: traces[trace - 1], spanID: SpanID(UInt64(trace)), service: service, name: name, kind: kind,
                    startTime: start, endTime: end, attributes: attributes, resource: resource,
                    origin: InputLocation(source: "spans.json", byteOffset: Int64(trace))))
        }
        try temporary.write(
            [
                span(
                    1, "api", "GET /a", kind: .server, start: 1_000, end: 5_000,
                    attributes: [Attribute("http.status_code", .int(500)), Attribute("cache.hit", .bool(true))],
                    resource: [Attribute("service.name", .string("api")), Attribute("k8s.pod", .string("p1"))]),
                span(2, "worker", "job", kind: .consumer, start: 2_000, end: 2_100),
                span(3, "api", "GET /b", kind: .client, start: 3_000, end: 3_500),
            ], source: source)
        let keys = try temporary.store.dirtyTraceKeys(limit: 10)
        let facts: [(services: [String], start: Int64, end: Int64, errorClass: String?)] = [
            (["api"], 1_000, 5_000, "timeout"), (["worker"], 2_000, 2_100, nil), (["api"], 3_000, 3_500, "connection"),
        ]
        let summaries = zip(keys, facts).enumerated().map { index, pair in
            (
                traceKey: pair.0,
                summary: TraceSummary(
                    traceID: traces[index], services: pair.1.services, start: pair.1.start, end: pair.1.end,
                    isError: pair.1.errorClass != nil, sampled: true, spanCount: 1, logCount: 0, eventCount: 0,
                    errorClass: pair.1.errorClass,
                    rootCause: pair.1.errorClass.map { _ in
                        RootCause(service: "api", spanID: nil, name: "x", message: "boom")
                    })
            )
        }
        try temporary.store.saveSummaries(
            summaries,
            classifications: [
                keys[0]: TraceClassification(
                    errorClass: "timeout", ruleID: "r.timeout", entry: "api", fingerprint: "f1")
            ])
        try temporary.write([span(4, "api", "GET /c", kind: .server, start: 9_000, end: 9_100)], source: source)
        return temporary
    }

    func found(_ filter: TraceSearchFilter, in temporary: TemporaryStore) throws -> [Int] {
        let keys = try temporary.store.traceKeys(matching: filter)
        return try keys.map { key in
            let id = try temporary.store.records(traceKey: key).traceID
            return (Self.traces.firstIndex(of: id) ?? -1) + 1
        }
    }

    @Test("services of summarised traces, and the operations of one service with their kinds")
    func servicesAndOperations() throws {
        let temporary = try Self.store()
        #expect(try temporary.store.traceServiceNames() == ["api", "worker"])
        #expect(
            try temporary.store.operations(service: "api", kind: nil)
                == [OperationName(name: "GET /a", kind: .server), OperationName(name: "GET /b", kind: .client),
                    OperationName(name: "GET /c", kind: .server)])
        #expect(try temporary.store.operations(service: "api", kind: .client).map(\.name) == ["GET /b"])
        #expect(try temporary.store.operations(service: "nobody", kind: nil).isEmpty)
    }

    @Test("the search lists summarised traces newest first and applies every condition")
    func search() throws {
        let temporary = try Self.store()
        #expect(try found(TraceSearchFilter(), in: temporary) == [3, 2, 1])
        #expect(try found(TraceSearchFilter(service: "worker"), in: temporary) == [2])
        #expect(try found(TraceSearchFilter(service: "api", operation: "GET /a"), in: temporary) == [1])
        #expect(try found(TraceSearchFilter(service: "api", operation: "job"), in: temporary).isEmpty)
        #expect(try found(TraceSearchFilter(operation: "job"), in: temporary) == [2])
        #expect(try found(TraceSearchFilter(startFrom: 2_000), in: temporary) == [3, 2])
        #expect(try found(TraceSearchFilter(startUntil: 2_000), in: temporary) == [2, 1])
        #expect(try found(TraceSearchFilter(minDuration: 1_000), in: temporary) == [1])
        #expect(try found(TraceSearchFilter(maxDuration: 500), in: temporary) == [3, 2])
        #expect(try found(TraceSearchFilter(status: "error"), in: temporary) == [3, 1])
        #expect(try found(TraceSearchFilter(status: "ok"), in: temporary) == [2])
        #expect(try found(TraceSearchFilter(summaryEquals: [.errorClass: "connection"]), in: temporary) == [3])
        #expect(try found(TraceSearchFilter(summaryEquals: [.classRule: "r.timeout"]), in: temporary) == [1])
        #expect(try found(TraceSearchFilter(limit: 1), in: temporary) == [3])
    }

    @Test(
        "a tag matches a span or resource attribute as text",
        arguments: [
            ("http.status_code", "500", [1]), ("cache.hit", "true", [1]), ("cache.hit", "false", []),
            ("k8s.pod", "p1", [1]), ("http.status_code", "404", []), ("a\"b", "1", []),
        ] as [(String, String, [Int])])
    func attributes(_ key: String, _ value: String, _ expected: [Int]) throws {
        let temporary = try Self.store()
        let filter = TraceSearchFilter(spanAttributes: [TagCondition(key: key, value: value)])
        #expect(try found(filter, in: temporary) == expected)
    }
}
