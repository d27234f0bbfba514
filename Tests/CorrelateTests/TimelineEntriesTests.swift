import Correlate
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct TimelineEntriesTests {
    typealias R = TestRecords

    @Test("entries are in time order, whatever order the records arrive in")
    func timeOrder() {
        let timeline = R.assemble(
            spans: [
                R.span(id: 2, parent: 1, name: "child", at: 5, events: [SpanEvent(time: R.t(7), name: "retry")]),
                R.span(id: 1, name: "root", at: 0, lasting: 20),
            ],
            logs: [R.log("late", at: 15, span: 1), R.log("early", at: 1, span: 1)])
        #expect(timeline.entries.map(\.label) == ["span:root", "log:early", "span:child", "event:retry", "log:late"])
        #expect(timeline.entries.map(\.time) == timeline.entries.map(\.time).sorted())
    }

    @Test("random traces come out in timeline order, every record once", arguments: 0..<40)
    func randomOrder(_ seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        let spanCount = Int.random(in: 1...30, using: &generator)
        let spans = (1...spanCount).map { id in
            R.span(
                id: UInt64(id), parent: id == 1 ? nil : UInt64.random(in: 1...UInt64(id), using: &generator),
                at: Int64.random(in: 0...8, using: &generator),
                events: Bool.random(using: &generator) ? [SpanEvent(time: R.t(Int64.random(in: 0...8, using: &generator)), name: "e")] : [])
        }
        let logs = (0..<Int.random(in: 0...60, using: &generator)).map { index in
            R.log(
                "l\(index)", at: Bool.random(using: &generator) ? Int64.random(in: 0...8, using: &generator) : nil,
                span: UInt64.random(in: 1...UInt64(spanCount), using: &generator), line: index + 1)
        }
        let ordered = TraceAssembler.orderedEntries(tree: SpanTree(spans: spans), logs: logs)
        #expect(zip(ordered, ordered.dropFirst()).allSatisfy { $0.orderKey < $1.orderKey })
        #expect(ordered.map(\.sequence).sorted() == Array(0..<ordered.count))
        #expect(ordered.count == spans.count + spans.reduce(0) { $0 + $1.events.count } + logs.count)
    }

    @Test("at equal times: spans, then events, then logs; then the shallower first; then input order")
    func tieBreaks() {
        let timeline = R.assemble(
            spans: [
                R.span(id: 2, parent: 1, name: "child", at: 0, events: [SpanEvent(time: R.t(0), name: "started")]),
                R.span(id: 1, name: "root", at: 0),
            ],
            logs: [
                R.log("child log", at: 0, span: 2), R.log("root log", at: 0, span: 1),
                R.log("second root log", at: 0, span: 1),
            ])
        #expect(
            timeline.entries.map(\.label) == [
                "span:root", "span:child", "event:started", "log:root log", "log:second root log", "log:child log",
            ])
    }

    @Test("a span entry carries the span's status, duration and status message")
    func spanEntry() throws {
        let timeline = R.assemble(spans: [
            R.span(
                id: 1, service: "payment-service", name: "charge", lasting: 250, status: .error,
                statusMessage: "card declined"),
            R.span(id: 2, parent: 1, status: .ok), R.span(id: 3, parent: 1, at: 1),
        ])
        let entries = timeline.entries
        try #require(entries.count == 3)
        #expect(entries[0].kind == .span)
        #expect(entries[0].service == "payment-service")
        #expect(entries[0].spanID == SpanID(1))
        #expect(entries[0].durationNanos == 250_000_000)
        #expect(entries[0].status == "error")
        #expect(entries[0].isError)
        #expect(entries[0].message == "card declined")
        #expect(entries[1].status == "ok")
        #expect(entries[1].parentSpanID == SpanID(1))
        #expect(entries[1].depth == 1)
        #expect(!entries[1].isError)
        #expect(entries[2].status == "unset")
    }

    @Test("an orphan span keeps its entry, at depth 0, marked tracejoin.orphan")
    func orphanEntry() throws {
        let timeline = R.assemble(spans: [R.span(id: 1, at: 0), R.span(id: 5, parent: 42, name: "lost", at: 3)])
        let orphan = try #require(timeline.entries.first { $0.name == "lost" })
        #expect(orphan.depth == 0)
        #expect(orphan.has("tracejoin.orphan"))
        #expect(orphan.parentSpanID == SpanID(42))
        #expect(!timeline.entries[0].has("tracejoin.orphan"))
    }

    @Test("a duplicate span gives one entry; a shared client/server pair gives two")
    func duplicatesAndSharedPair() {
        let timeline = R.assemble(spans: [
            R.span(id: 1, service: "gateway", name: "GET /users"),
            R.span(id: 1, service: "gateway", name: "GET /users"),
            R.span(id: 1, service: "user-service", name: "GET /users", at: 1, shared: true),
        ])
        #expect(timeline.entries.map(\.service) == ["gateway", "user-service"])
        #expect(timeline.entries.map(\.depth) == [0, 1])
        #expect(timeline.summary.spanCount == 2)
    }

    @Test("an exception event sits one level under its span, with the exception message")
    func eventEntry() throws {
        let timeline = R.assemble(spans: [
            R.span(id: 1),
            R.span(
                id: 2, parent: 1, service: "user-service", at: 1,
                events: [R.exception("ConnectionRefusedError", "[Errno 111] Connection refused", at: 4)]),
        ])
        let event = try #require(timeline.entries.first { $0.kind == .event })
        #expect(event.depth == 2)
        #expect(event.name == "exception")
        #expect(event.message == "[Errno 111] Connection refused")
        #expect(event.service == "user-service")
        #expect(event.spanID == SpanID(2))
        #expect(event.isError)
        #expect(event.status == "error")
        #expect(event.attributes[key: "exception.type"] == .string("ConnectionRefusedError"))
    }

    @Test("an event that is not an exception is named by itself and is no error")
    func plainEvent() throws {
        let timeline = R.assemble(spans: [
            R.span(
                id: 1,
                events: [
                    SpanEvent(time: R.t(1), name: "cache miss"),
                    SpanEvent(
                        time: R.t(2), name: "log", attributes: [Attribute("message", .string("retrying in 50ms"))]),
                ])
        ])
        let events = timeline.entries.filter { $0.kind == .event }
        #expect(events.map(\.message) == ["cache miss", "retrying in 50ms"])
        #expect(events.allSatisfy { !$0.isError && $0.status.isEmpty })
        #expect(!timeline.summary.isError)
    }

    @Test("an event without a time is placed at its span's start, not in 1970")
    func untimedEvent() {
        let timeline = R.assemble(spans: [R.span(id: 1, at: 40, events: [SpanEvent(time: 0, name: "annotation")])])
        #expect(timeline.entries.map(\.time) == [R.t(40), R.t(40)])
        #expect(timeline.summary.start == R.t(40))
    }

    @Test("a log that joins a span sits under it and takes the span's service")
    func logJoinsSpan() throws {
        let timeline = R.assemble(
            spans: [R.span(id: 1, service: "gateway"), R.span(id: 2, parent: 1, service: "payment-service", at: 1)],
            logs: [
                R.log("charging card", at: 2, severityText: "INFO", service: "paymentservice-server", span: 2),
                R.log("no span here", at: 3, service: "cron"),
                R.log("span of another trace", at: 4, service: "batch", span: 77),
            ])
        let logs = timeline.entries.filter { $0.kind == .log }
        try #require(logs.count == 3)
        #expect(logs[0].service == "payment-service")
        #expect(logs[0].depth == 2)
        #expect(logs[0].spanID == SpanID(2))
        #expect(logs[0].name == "INFO")
        #expect(logs[0].severity == .info)
        // The other two join no span: placed by time under payment-service's span (depth 1), as another
        // service's logs two levels below it (`LogPlacementTests`).
        #expect(logs[1].service == "cron")
        #expect(logs[1].depth == 3)
        #expect(logs[2].service == "batch")
        #expect(logs[2].depth == 3)
        #expect(logs[2].spanID == SpanID(77))
    }

    @Test("a log with a zero span ID (logged outside a span) joins no span and carries no span ID")
    func zeroSpanID() throws {
        let timeline = R.assemble(
            spans: [R.span(id: 1, service: "worker")],
            logs: [R.log("outside any span", at: 1, severity: .error, service: "worker-proc", span: 0)])
        let log = try #require(timeline.entries.first { $0.kind == .log })
        #expect(log.spanID == nil)
        #expect(log.depth == 2, "placed by time under worker's span, as another service's log")
        #expect(log.service == "worker-proc")
        #expect(timeline.summary.rootCause?.spanID == nil)
    }

    @Test("a log's level decides whether it is an error, and names it when it has no level text")
    func logSeverity() {
        let timeline = R.assemble(logs: [
            R.log("a", at: 0, severity: .warn, severityText: "WARNING"), R.log("b", at: 1, severity: .error),
            R.log("c", at: 2, severity: .fatal, severityText: "FATAL"),
            R.log("d", at: 3, severity: .error, severityText: "50"),
        ])
        #expect(timeline.entries.map(\.name) == ["WARNING", "error", "FATAL", "error"], "pino's 50 is named error")
        #expect(timeline.entries.map(\.isError) == [false, true, true, true])
        #expect(timeline.entries.map(\.status) == ["", "error", "error", "error"])
    }

    @Test("a log without a time is placed at its span's start, after the span, in input order")
    func untimedLogsUnderSpan() {
        let timeline = R.assemble(
            spans: [R.span(id: 1, name: "root", at: 0, lasting: 100), R.span(id: 2, parent: 1, name: "child", at: 30)],
            logs: [
                R.log("first", at: nil, span: 2), R.log("timed", at: 50, span: 2), R.log("second", at: nil, span: 2),
            ])
        #expect(
            timeline.entries.map(\.label) == ["span:root", "span:child", "log:first", "log:second", "log:timed"])
        let untimed = timeline.entries.filter { $0.message == "first" || $0.message == "second" }
        #expect(untimed.allSatisfy { $0.time == R.t(30) && $0.has("tracejoin.time_inferred") })
        #expect(!timeline.entries.contains { $0.message == "timed" && $0.has("tracejoin.time_inferred") })
    }

    @Test("a log without a time and without a span is placed at the trace start")
    func untimedLogsWithoutSpan() {
        let timeline = R.assemble(
            spans: [R.span(id: 1, at: 10)],
            logs: [R.log("timed before the span", at: 5), R.log("untimed", at: nil, service: "worker")])
        #expect(timeline.entries.map(\.label) == ["log:timed before the span", "log:untimed", "span:op"])
        #expect(timeline.entries[1].time == R.t(5))
        #expect(timeline.summary.start == R.t(5))
    }
}
