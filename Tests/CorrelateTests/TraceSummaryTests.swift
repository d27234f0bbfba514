import Correlate
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct TraceSummaryTests {
    typealias R = TestRecords

    /// gateway → order-service → user-service, with logs from each and one from a cron job.
    static let request = R.assemble(
        spans: [
            R.span(id: 3, parent: 2, service: "user-service", name: "GET /users/:id", at: 20, lasting: 30),
            R.span(id: 1, service: "gateway", name: "GET /orders", at: 0, lasting: 100),
            R.span(
                id: 2, parent: 1, service: "order-service", name: "GET /orders", at: 10, lasting: 60,
                events: [SpanEvent(time: R.t(12), name: "cache miss")]),
            R.span(id: 2, parent: 1, service: "order-service", name: "GET /orders", at: 10, lasting: 60),
        ],
        logs: [
            R.log("fetching user", at: 15, service: "order-service", span: 2),
            R.log("user found", at: 40, service: "user-service", span: 3),
            R.log("response sent", at: 120, service: "gateway", span: 1),
        ])

    @Test("the summary names the trace, its services in order of appearance and its counts")
    func servicesAndCounts() {
        let summary = Self.request.summary
        #expect(summary.traceID == Samples.traceA)
        #expect(summary.services == ["gateway", "order-service", "user-service"])
        #expect(summary.spanCount == 3)
        #expect(summary.logCount == 3)
        #expect(summary.eventCount == 1)
        #expect(summary.sampled)
        #expect(!summary.isError)
        #expect(summary.rootCause == nil)
        #expect(summary.errorClass == nil)
        #expect(Self.request.entries.count == 7)
    }

    @Test("the trace runs from its first entry to the later of its last span end and its last entry")
    func startAndEnd() {
        #expect(Self.request.summary.start == R.t(0))
        #expect(Self.request.summary.end == R.t(120))  // the gateway's log after its span ended
        #expect(Self.request.summary.durationNanos == 120_000_000)
        let spanEndsLast = R.assemble(spans: [R.span(id: 1, at: 0, lasting: 500)], logs: [R.log("x", at: 10, span: 1)])
        #expect(spanEndsLast.summary.end == R.t(500))
    }

    @Test("a service is listed once, and a log's own service name gives way to its span's")
    func servicesOnce() {
        let timeline = R.assemble(
            spans: [R.span(id: 1, service: "payment-service")],
            logs: [
                R.log("a", at: 1, service: "paymentservice-server", span: 1), R.log("b", at: 2, service: "worker"),
                R.log("c", at: 3, service: "payment-service"), R.log("d", at: 4),
            ])
        #expect(timeline.summary.services == ["payment-service", "worker"])
    }

    @Test("a trace with logs but no spans still has a timeline, marked unsampled")
    func unsampled() {
        let timeline = R.assemble(logs: [
            R.log("charge failed", at: 30, severity: .error, service: "payment-service", span: 9),
            R.log("charging", at: 10, service: "payment-service", span: 9),
        ])
        #expect(!timeline.summary.sampled)
        #expect(timeline.summary.spanCount == 0)
        #expect(timeline.summary.logCount == 2)
        #expect(timeline.summary.start == R.t(10))
        #expect(timeline.summary.end == R.t(30))
        #expect(timeline.summary.services == ["payment-service"])
        #expect(timeline.entries.map(\.message) == ["charging", "charge failed"])
        #expect(timeline.entries.allSatisfy { $0.depth == 0 })
    }

    @Test("nothing in, an empty unsampled timeline out")
    func empty() {
        let timeline = R.assemble()
        #expect(timeline.entries.isEmpty)
        #expect(!timeline.summary.sampled && !timeline.summary.isError)
        #expect(timeline.summary.durationNanos == 0)
    }

    @Test("logs that all lack a time keep their input order")
    func allUntimed() {
        let timeline = R.assemble(logs: (1...5).map { R.log("line \($0)", at: nil, line: $0) })
        #expect(timeline.entries.map(\.message) == (1...5).map { "line \($0)" })
    }

    @Test(
        "an error span, an error event or an error-level log makes the trace an incident; a warning does not",
        arguments: [
            ("error span", [R.span(id: 1, status: .error)], [], true),
            ("error event", [R.span(id: 1, events: [R.exception("KeyError", "'user'", at: 1)])], [], true),
            ("error log", [R.span(id: 1)], [R.log("boom", at: 1, severity: .error, span: 1)], true),
            ("fatal log, no span", [], [R.log("boom", at: 1, severity: .fatal)], true),
            ("warning log", [R.span(id: 1, status: .ok)], [R.log("slow", at: 1, severity: .warn, span: 1)], false),
            ("ok spans", [R.span(id: 1, status: .ok), R.span(id: 2, parent: 1)], [], false),
        ] as [(String, [SpanRecord], [LogRecord], Bool)])
    func status(_ label: String, spans: [SpanRecord], logs: [LogRecord], isError: Bool) {
        let summary = R.assemble(spans: spans, logs: logs).summary
        #expect(summary.isError == isError, "\(label)")
        #expect((summary.rootCause != nil) == isError, "\(label)")
    }
}
