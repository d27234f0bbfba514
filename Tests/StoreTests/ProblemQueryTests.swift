import Store
import Testing
import TraceJoinCore

/// Classifications saved with summaries, and `problems` folding incidents by fingerprint.
@Suite struct ProblemQueryTests {
    /// Three error traces, two with one fingerprint, and one ok trace; returns their keys.
    static func fill(_ temporary: TemporaryStore) throws -> [Int64] {
        let source = try temporary.source()
        var keys: [Int64] = []
        for (index, service) in ["payments", "payments", "users", "users"].enumerated() {
            let trace = TraceID(high: 1, low: UInt64(index + 1))
            try temporary.write(
                [
                    .span(
                        StoreSamples.span(
                            trace: trace, id: UInt64(index + 1), service: service, start: Int64(index) * 1000))
                ],
                source: source)
            keys.append(try #require(try temporary.store.traceKeys(for: .full(trace)).first))
        }
        var summaries: [(traceKey: Int64, summary: TraceSummary)] = []
        var classifications: [Int64: TraceClassification] = [:]
        for (index, key) in keys.enumerated() {
            let isError = index < 3
            let errorClass = index < 2 ? "timeout" : "not_found"
            summaries.append(
                (
                    key,
                    TraceSummary(
                        traceID: TraceID(high: 1, low: UInt64(index + 1)),
                        services: [index < 2 ? "payments" : "users", "gateway"],
                        start: Int64(index) * 1000, end: Int64(index) * 1000 + 500, isError: isError, sampled: true,
                        spanCount: 1, logCount: 0, eventCount: 0, errorClass: isError ? errorClass : nil,
                        rootCause: isError
                            ? RootCause(service: "payments", spanID: nil, name: "charge", message: "slow") : nil)
                ))
            if isError {
                classifications[key] = TraceClassification(
                    errorClass: errorClass, ruleID: "classify.x", entry: "payments span `charge`",
                    fingerprint: index < 2 ? "aaaaaaaaaaaaaaaa" : "bbbbbbbbbbbbbbbb")
            }
        }
        try temporary.store.saveSummaries(summaries, classifications: classifications)
        return keys
    }

    @Test("a saved classification reads back with its rule, entry and fingerprint; an ok trace has none")
    func classificationRoundTrip() throws {
        let temporary = try TemporaryStore()
        let keys = try Self.fill(temporary)
        let stored = try #require(try temporary.store.classification(traceKey: keys[0]))
        #expect(stored.errorClass == "timeout")
        #expect(stored.ruleID == "classify.x")
        #expect(stored.entry == "payments span `charge`")
        #expect(try temporary.store.classification(traceKey: keys[3]) == nil)
        #expect(try temporary.store.summary(traceKey: keys[0])?.errorClass == "timeout")
    }

    @Test("problems fold incidents by fingerprint, most frequent first, with first/last seen and services")
    func problemsFold() throws {
        let temporary = try TemporaryStore()
        _ = try Self.fill(temporary)
        let problems = try temporary.store.problems(IncidentFilter())
        #expect(problems.map(\.count) == [2, 1])
        let top = try #require(problems.first)
        #expect(top.fingerprint == "aaaaaaaaaaaaaaaa")
        #expect(top.errorClass == "timeout")
        #expect(top.firstSeen == 0)
        #expect(top.lastSeen == 1000)
        #expect(top.services == ["gateway", "payments"])
        #expect(top.exampleTraceID == TraceID(high: 1, low: 2))
        #expect(top.ruleID == "classify.x")
        #expect(
            try temporary.store.problems(IncidentFilter(errorClass: "not_found")).map(\.fingerprint) == [
                "bbbbbbbbbbbbbbbb"
            ])
        #expect(try temporary.store.problems(IncidentFilter(limit: 1)).count == 1)
    }

    @Test("a problem holding incidents of two classes takes the latest one's class, or the latest of the filtered class")
    func problemOfTwoClasses() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        var summaries: [(traceKey: Int64, summary: TraceSummary)] = []
        var classifications: [Int64: TraceClassification] = [:]
        for (index, errorClass) in ["timeout", "connection", "timeout", "connection"].enumerated() {
            let trace = TraceID(high: 2, low: UInt64(index + 1))
            let start = Int64(index) * 1000
            try temporary.write(
                [.span(StoreSamples.span(trace: trace, id: UInt64(index + 1), service: "preserve", start: start))],
                source: source)
            let key = try #require(try temporary.store.traceKeys(for: .full(trace)).first)
            summaries.append(
                (
                    key,
                    TraceSummary(
                        traceID: trace, services: ["preserve"], start: start, end: start + 500, isError: true,
                        sampled: true, spanCount: 1, logCount: 0, eventCount: 0, errorClass: errorClass,
                        rootCause: RootCause(service: "preserve", spanID: nil, name: "preserve", message: "failed"))
                ))
            classifications[key] = TraceClassification(
                errorClass: errorClass, ruleID: "classify.\(errorClass)", entry: "preserve span `preserve`",
                fingerprint: "cccccccccccccccc")
        }
        try temporary.store.saveSummaries(summaries, classifications: classifications)

        let all = try temporary.store.problems(IncidentFilter())
        #expect(all.map(\.count) == [4])
        #expect(all.first?.errorClass == "connection")
        #expect(all.first?.exampleTraceID == TraceID(high: 2, low: 4))

        let timeouts = try temporary.store.problems(IncidentFilter(errorClass: "timeout"))
        #expect(timeouts.map(\.count) == [2])
        #expect(timeouts.first?.errorClass == "timeout")
        #expect(timeouts.first?.ruleID == "classify.timeout")
        #expect(timeouts.first?.exampleTraceID == TraceID(high: 2, low: 3))
    }
}
