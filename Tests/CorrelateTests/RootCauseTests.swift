import Correlate
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct RootCauseTests {
    typealias R = TestRecords

    /// gateway answers 502 because order-service failed because user-service could not reach its database.
    static let gateway = R.span(
        id: 1, service: "gateway", name: "GET /checkout", at: 0, lasting: 120, status: .error, statusMessage: "502",
        attributes: [Attribute("http.response.status_code", .int(502))])
    static let order = R.span(
        id: 2, parent: 1, service: "order-service", name: "POST /orders", at: 5, lasting: 100, status: .error,
        statusMessage: "upstream user-service failed")
    static func user(events: [SpanEvent] = [], statusMessage: String = "") -> SpanRecord {
        R.span(
            id: 3, parent: 2, service: "user-service", name: "SELECT users", at: 10, lasting: 30, status: .error,
            statusMessage: statusMessage, events: events)
    }

    @Test("a 502 at the gateway over a failing chain is rooted in the deepest failing span, with its exception")
    func gatewayChain() throws {
        let timeline = R.assemble(
            spans: [
                Self.gateway, Self.order,
                Self.user(events: [R.exception("ConnectionRefusedError", "[Errno 111] Connection refused", at: 38)]),
            ],
            logs: [R.log("upstream failed", at: 110, severity: .error, service: "gateway", span: 1)])
        let cause = try #require(timeline.summary.rootCause)
        #expect(cause.service == "user-service")
        #expect(cause.spanID == SpanID(3))
        #expect(cause.name == "SELECT users")
        #expect(cause.message == "ConnectionRefusedError: [Errno 111] Connection refused")
        #expect(timeline.summary.isError)
    }

    @Test("the assembled trace points at the entry the root cause was taken from")
    func rootCauseEntry() throws {
        let assembled = TraceAssembler.assembleWithSources(
            traceID: Samples.traceA,
            spans: [Self.gateway, Self.order, Self.user(events: [R.exception("TimeoutError", "timed out", at: 38)])],
            logs: [])
        let entry = try #require(assembled.rootCauseEntry)
        #expect(entry.source == .event(span: 2, event: 0))
        #expect(entry.entry.kind == .event)
        #expect(assembled.timeline.entries[try #require(assembled.rootCauseEntryIndex)].depth == 3)
        #expect(assembled.timeline.summary.rootCause?.message == "TimeoutError: timed out")
    }

    @Test("the deepest failing span without an exception takes the message of an error log under it")
    func messageFromErrorLog() throws {
        let timeline = R.assemble(
            spans: [Self.gateway, Self.order, Self.user(statusMessage: "Error")],
            logs: [
                R.log("query ok", at: 15, service: "user-service", span: 3),
                R.log("connect ECONNREFUSED 10.0.0.7:5432", at: 20, severity: .error, service: "user-service", span: 3),
            ])
        let cause = try #require(timeline.summary.rootCause)
        #expect(
            cause
                == RootCause(
                    service: "user-service", spanID: SpanID(3), name: "SELECT users",
                    message: "connect ECONNREFUSED 10.0.0.7:5432"))
    }

    @Test("the deepest failing span with nothing under it is described by its status message")
    func messageFromStatus() throws {
        let timeline = R.assemble(spans: [Self.gateway, Self.order, Self.user(statusMessage: "deadline exceeded")])
        #expect(timeline.summary.rootCause?.service == "user-service")
        #expect(timeline.summary.rootCause?.message == "deadline exceeded")
    }

    @Test("a failing span without a status message is described by its error attributes or status code")
    func messageFromAttributes() {
        let only502 = R.assemble(spans: [Self.gateway.with { $0.statusMessage = "" }])
        #expect(only502.summary.rootCause?.message == "HTTP 502")
        let errorTag = R.assemble(spans: [
            R.span(id: 1, status: .error, attributes: [Attribute("error", .string("Connection reset by peer"))])
        ])
        #expect(errorTag.summary.rootCause?.message == "Connection reset by peer")
        let bare = R.assemble(spans: [R.span(id: 1, status: .error, attributes: [Attribute("error", .bool(true))])])
        #expect(bare.summary.rootCause?.message == "")
    }

    @Test("a trace whose only error is an error-level log is rooted in that log")
    func onlyErrorLog() throws {
        let timeline = R.assemble(
            spans: [R.span(id: 1, service: "gateway"), R.span(id: 2, parent: 1, service: "payment-service", at: 5)],
            logs: [
                R.log("charging card", at: 6, service: "payment-service", span: 2),
                R.log("card declined by issuer", at: 8, severity: .error, severityText: "ERROR", span: 2),
            ])
        let cause = try #require(timeline.summary.rootCause)
        #expect(cause.service == "payment-service")
        #expect(cause.spanID == SpanID(2))
        #expect(cause.message == "card declined by issuer")
        #expect(timeline.summary.isError)
    }

    @Test("an error log that joins no span names itself by its level text, else by its first words")
    func unjoinedErrorLog() {
        let withText = R.assemble(logs: [
            R.log("retrying", at: 1, service: "worker"),
            R.log("job 42 failed: disk full", at: 2, severity: .error, severityText: "ERROR", service: "worker"),
        ])
        #expect(
            withText.summary.rootCause
                == RootCause(
                    service: "worker", spanID: nil, name: "ERROR", message: "job 42 failed: disk full"))
        let withoutText = R.assemble(logs: [
            R.log("job 42 failed: disk full on /var/lib/worker, giving up", at: 2, severity: .fatal, service: "worker")
        ])
        #expect(withoutText.summary.rootCause?.name == "job 42 failed: disk full on")
    }

    @Test("an exception event under a span that is not marked failed is rooted in that span")
    func errorEventUnderOKSpan() throws {
        let timeline = R.assemble(spans: [
            R.span(id: 1, service: "gateway", status: .ok),
            R.span(
                id: 2, parent: 1, service: "inventory", name: "reserve", at: 3, status: .unset,
                events: [R.exception("KeyError", "'sku-991'", at: 4)]),
        ])
        #expect(
            timeline.summary.rootCause
                == RootCause(
                    service: "inventory", spanID: SpanID(2), name: "reserve", message: "KeyError: 'sku-991'"))
    }

    @Test("among errors equally deep, the earliest is where the failure began")
    func earliestAmongEqualDepth() {
        // order-service retried user-service three times; the first attempt failed first.
        let attempts = (0..<3).map { attempt in
            R.span(
                id: 10 + UInt64(attempt), parent: 2, service: "user-service", name: "GET /users/7",
                at: 20 + Int64(attempt) * 30, status: .error, statusMessage: "timeout after \(attempt + 1)")
        }
        let timeline = R.assemble(spans: [Self.gateway, Self.order] + attempts.reversed())
        #expect(timeline.summary.rootCause?.spanID == SpanID(10))
        #expect(timeline.summary.rootCause?.message == "timeout after 1")
    }

    @Test("depth beats time: a later, deeper error wins over an earlier, shallower one")
    func deeperWins() {
        let timeline = R.assemble(
            spans: [
                Self.gateway, Self.order, Self.user(statusMessage: "pool exhausted").with { $0.startTime = R.t(90) },
            ],
            logs: [R.log("order validation failed", at: 6, severity: .error, service: "order-service", span: 2)])
        // The order-service log (depth 2) and the user-service span (depth 2) are equally deep: earliest wins.
        #expect(timeline.summary.rootCause?.service == "order-service")
        #expect(timeline.summary.rootCause?.message == "order validation failed")
        let deeper = R.assemble(
            spans: [Self.gateway, Self.order, Self.user(events: [R.exception("PoolError", "pool exhausted", at: 95)])],
            logs: [R.log("order validation failed", at: 6, severity: .error, service: "order-service", span: 2)])
        #expect(deeper.summary.rootCause?.service == "user-service")
    }

    @Test("in a Zipkin shared RPC the callee's server half is deeper than the caller's client half")
    func sharedServerHalfIsDeeper() {
        let timeline = R.assemble(spans: [
            R.span(id: 1, service: "order-service", name: "checkout"),
            R.span(
                id: 2, parent: 1, service: "order-service", name: "get", at: 1, status: .error,
                statusMessage: "500"),
            R.span(
                id: 2, parent: 1, service: "user-service", name: "get", at: 2, status: .error,
                statusMessage: "NullPointerException", shared: true),
        ])
        #expect(timeline.summary.rootCause?.service == "user-service")
        #expect(timeline.summary.rootCause?.message == "NullPointerException")
    }

    @Test("a long root-cause message is cut to 500 characters")
    func longMessageCut() throws {
        let long = String(repeating: "x", count: 2_000)
        let timeline = R.assemble(spans: [R.span(id: 1, status: .error, statusMessage: long)])
        let message = try #require(timeline.summary.rootCause?.message)
        #expect(message.count == 500)
        #expect(message.hasSuffix("…"))
        // The entry itself keeps the whole message.
        #expect(timeline.entries[0].message == long)
    }

    @Test("a long Python traceback keeps its first line and the exception line, not the frames")
    func longTraceback() throws {
        let frames = (1...40).map {
            "  File \"/app/users/repo_\($0).py\", line \($0), in fetch\n    return db.query(sql)"
        }
        let text =
            (["user lookup failed", "Traceback (most recent call last):"] + frames
            + ["ConnectionRefusedError: [Errno 111] Connection refused"]).joined(separator: "\n")
        let timeline = R.assemble(logs: [R.log(text, at: 1, severity: .error, service: "user-service")])
        let message = try #require(timeline.summary.rootCause?.message)
        #expect(message == "user lookup failed\nConnectionRefusedError: [Errno 111] Connection refused")
    }

    @Test("a long Java stack trace keeps its exception and cause lines")
    func longJavaTrace() throws {
        let frames = (1...40).map { "\tat com.shop.users.Repository.find(Repository.java:\($0))" }
        let text =
            (["Failed to load user", "org.springframework.dao.DataAccessResourceFailureException: db down"]
            + frames + ["Caused by: java.net.ConnectException: Connection refused"] + frames.prefix(3) + [
                "\t... 37 more"
            ])
            .joined(separator: "\n")
        let timeline = R.assemble(logs: [R.log(text, at: 1, severity: .error, service: "user-service")])
        let message = try #require(timeline.summary.rootCause?.message)
        #expect(
            message == """
                Failed to load user
                org.springframework.dao.DataAccessResourceFailureException: db down
                Caused by: java.net.ConnectException: Connection refused
                """)
    }

    @Test("a trace without errors has no root cause")
    func noErrors() {
        let timeline = R.assemble(
            spans: [R.span(id: 1, status: .ok)], logs: [R.log("slow", at: 1, severity: .warn, span: 1)])
        #expect(timeline.summary.rootCause == nil)
    }
}

extension SpanRecord {
    func with(_ change: (inout SpanRecord) -> Void) -> SpanRecord {
        var copy = self
        change(&copy)
        return copy
    }
}
