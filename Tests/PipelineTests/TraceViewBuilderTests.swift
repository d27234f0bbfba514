import Correlate
import Pipeline
import Testing
import TraceJoinCore
import TraceJoinTesting

/// How the query server shows a trace (issue #17): where each log sits, which span carries the verdict, and
/// synthetic spans for a trace whose spans were not exported.
@Suite struct TraceViewBuilderTests {
    static func t(_ milliseconds: Int64) -> Int64 { 1_795_428_000_000_000_000 + milliseconds * 1_000_000 }

    static func span(
        _ id: UInt64, parent: UInt64? = nil, service: String = "checkout", at start: Int64, lasting: Int64,
        status: SpanStatus = .unset, shared: Bool = false
    ) -> SpanRecord {
        var span = Samples.span(
            id: id, parent: parent, service: service, name: "op-\(id)", start: t(start),
            durationNanos: lasting * 1_000_000, status: status)
        span.isSharedServerHalf = shared
        return span
    }

    static func log(
        _ message: String, at time: Int64, service: String, span: UInt64? = nil, severity: LogSeverity = .info
    ) -> LogRecord {
        LogRecord(
            time: t(time), severity: severity, message: message, service: service, trace: .full(Samples.traceA),
            spanID: span.map(SpanID.init), origin: InputLocation(source: "app.log"))
    }

    static func view(spans: [SpanRecord], logs: [LogRecord]) -> TraceView {
        let trace = TraceAssembler.assembleWithSources(traceID: Samples.traceA, spans: spans, logs: logs)
        return TraceViewBuilder.view(of: trace, classRule: "rule.x")
    }

    @Test("a log joins its span, one without a span sits on the span covering its time, else on the root")
    func placements() throws {
        let view = Self.view(
            spans: [Self.span(0xA1, at: 0, lasting: 12), Self.span(0xA2, parent: 0xA1, at: 2, lasting: 6)],
            logs: [
                Self.log("joined", at: 3, service: "checkout", span: 0xA2),
                Self.log("quota exhausted", at: 6, service: "warehouse", severity: .error),
                Self.log("late", at: 50, service: "warehouse"),
            ])
        #expect(view.spans.map(\.spanID) == [SpanID(0xA1), SpanID(0xA2)])
        #expect(view.spans.map(\.isTraceRoot) == [true, false])
        #expect(view.spans[1].parentSpanID == SpanID(0xA1))
        #expect(view.spans[0].logs.map(\.log.message) == ["late"])
        #expect(view.spans[0].logs.map(\.placement) == [.root])
        #expect(view.spans[1].logs.map(\.log.message) == ["joined", "quota exhausted"])
        #expect(view.spans[1].logs.map(\.placement) == [.joined, .time])
        // The placed error log is the root cause (deepest, earliest error): the log is marked, not its host span.
        #expect(view.summary.rootCause?.service == "warehouse")
        #expect(view.spans[1].logs[1].isRootCause)
        #expect(view.spans.allSatisfy { !$0.isRootCause })
        #expect(view.spans[1].logs[1].attributes[key: "tracejoin.placed_under"] == nil)
        #expect(view.classRule == "rule.x")
    }

    @Test("the span the root cause was taken from is marked")
    func rootCauseSpan() throws {
        let view = Self.view(
            spans: [
                Self.span(0xA1, at: 0, lasting: 12, status: .error),
                Self.span(0xA2, parent: 0xA1, service: "payment", at: 2, lasting: 6, status: .error),
            ], logs: [])
        #expect(view.spans.map(\.isRootCause) == [false, true])
    }

    @Test("a trace without spans gets one synthetic span per service that logged, the first carrying the verdict")
    func synthetic() throws {
        let view = Self.view(
            spans: [],
            logs: [
                Self.log("order in", at: 0, service: "order"), Self.log("user lookup", at: 2, service: "user"),
                Self.log("user failed", at: 5, service: "user", severity: .error),
                Self.log("order out", at: 9, service: "order"),
            ])
        #expect(view.spans.map(\.record.service) == ["order", "user"])
        #expect(view.spans.allSatisfy { $0.isSynthetic && $0.parentSpanID == nil && !$0.spanID.isZero })
        #expect(view.spans.map(\.isTraceRoot) == [true, false])
        #expect(view.spans.map(\.isRootCause) == [false, true])
        #expect(view.spans[0].record.startTime == Self.t(0) && view.spans[0].record.endTime == Self.t(9))
        #expect(view.spans[1].logs.map(\.log.message) == ["user lookup", "user failed"])
        #expect(view.spans[1].logs.allSatisfy { $0.placement == .joined })
        #expect(Set(view.spans.map(\.spanID)).count == 2)
        let again = Self.view(spans: [], logs: [Self.log("user lookup", at: 2, service: "user")])
        #expect(again.spans[0].spanID == view.spans[1].spanID, "a service's synthetic span ID is stable")
    }

    @Test("a Zipkin shared server half gets an ID of its own, under its client half")
    func sharedPair() throws {
        let view = Self.view(
            spans: [
                Self.span(0xA1, service: "web", at: 0, lasting: 12),
                Self.span(0xA2, parent: 0xA1, service: "web", at: 1, lasting: 10),
                Self.span(0xA2, parent: 0xA1, service: "api", at: 2, lasting: 8, shared: true),
            ],
            logs: [Self.log("in the server", at: 3, service: "api", span: 0xA2)])
        #expect(view.spans.count == 3)
        #expect(Set(view.spans.map(\.spanID)).count == 3)
        let server = try #require(view.spans.first { $0.record.service == "api" })
        #expect(server.spanID != SpanID(0xA2))
        #expect(server.parentSpanID == SpanID(0xA2))
        #expect(server.logs.map(\.log.message) == ["in the server"])
    }
}
