import Rules
import Testing
import TraceJoinCore

/// The classifier on whole traces: the root-cause entry first, evidence elsewhere when it says little.
@Suite struct ClassifierTests {
    static let classifier = Classifier.builtIn

    static func span(
        _ service: String, _ name: String, id: UInt64, parent: UInt64? = nil, depth: Int, time: Int64,
        message: String = "", error: Bool = true, attributes: [Attribute] = []
    ) -> TimelineEntry {
        TimelineEntry(
            kind: .span, time: time, service: service, spanID: SpanID(id), parentSpanID: parent.map(SpanID.init),
            depth: depth, name: name, durationNanos: 1000, severity: nil, message: message,
            status: error ? "error" : "ok", isError: error, attributes: attributes)
    }

    static func log(
        _ service: String, _ message: String, span: UInt64?, depth: Int, time: Int64, attributes: [Attribute] = []
    ) -> TimelineEntry {
        TimelineEntry(
            kind: .log, time: time, service: service, spanID: span.map(SpanID.init), parentSpanID: nil, depth: depth,
            name: "error", durationNanos: nil, severity: .error, message: message, status: "error", isError: true,
            attributes: attributes)
    }

    static func event(_ service: String, span: UInt64, depth: Int, time: Int64, type: String, message: String)
        -> TimelineEntry
    {
        TimelineEntry(
            kind: .event, time: time, service: service, spanID: SpanID(span), parentSpanID: nil, depth: depth,
            name: "exception", durationNanos: nil, severity: nil, message: message, status: "error", isError: true,
            attributes: [Attribute("exception.type", .string(type)), Attribute("exception.message", .string(message))])
    }

    /// A timeline whose root cause is taken from `entries[rootIndex]`.
    static func timeline(_ entries: [TimelineEntry], root rootIndex: Int) -> TraceTimeline {
        let root = entries[rootIndex]
        let summary = TraceSummary(
            traceID: TraceID(high: 1, low: 2), services: [], start: 0, end: 10, isError: true, sampled: true,
            spanCount: entries.count, logCount: 0, eventCount: 0,
            rootCause: RootCause(service: root.service, spanID: root.spanID, name: root.name, message: root.message))
        return TraceTimeline(summary: summary, entries: entries)
    }

    static func http(_ code: Int64) -> [Attribute] { [Attribute("http.response.status_code", .int(code))] }

    @Test("a gateway 502 over an upstream ECONNREFUSED log is connection, rooted in the upstream")
    func gatewayOverRefusedUpstream() throws {
        let entries = [
            Self.span(
                "gateway", "GET /orders", id: 1, depth: 0, time: 0, message: "Bad Gateway", attributes: Self.http(502)),
            Self.log("order-service", "connect ECONNREFUSED 10.0.3.0:5432", span: nil, depth: 0, time: 5),
        ]
        let result = try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
        #expect(result.errorClass == .connection)
        #expect(result.ruleID == "classify.node-econnrefused")
        #expect(result.entry.service == "order-service")
        #expect(result.entry.kind == .log)
    }

    @Test("a bare 500 with nothing else to go on is the generic 500 rule")
    func bare500() throws {
        let entries = [Self.span("api", "GET /x", id: 1, depth: 0, time: 0, attributes: Self.http(500))]
        let result = try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
        #expect(result.errorClass == .codeDefect)
        #expect(result.ruleID == "classify.http-internal")
        #expect(result.explanation == "code_defect — rule classify.http-internal on api span `GET /x`")
    }

    @Test("a bare 500 whose own exception event says timeout is a timeout, decided in the same span")
    func exceptionInSameSpan() throws {
        let entries = [
            Self.span("payment-service", "charge", id: 7, depth: 1, time: 0, attributes: Self.http(500)),
            Self.event(
                "payment-service", span: 7, depth: 2, time: 3, type: "*url.Error",
                message: "Post \"https://psp/v1\": context deadline exceeded"),
        ]
        let result = try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
        #expect(result.errorClass == .timeout)
        #expect(result.ruleID == "classify.go-deadline")
        #expect(result.entry.text == "payment-service event `exception` in span `charge`")
    }

    @Test("a specific rule on the root-cause entry wins over specific evidence elsewhere")
    func rootCauseFirst() throws {
        let entries = [
            Self.span("gateway", "GET", id: 1, depth: 0, time: 0, message: "upstream connect error"),
            Self.span("users", "SELECT", id: 2, parent: 1, depth: 1, time: 1, message: "deadlock detected"),
        ]
        let result = try #require(Self.classifier.classify(Self.timeline(entries, root: 1), rootCauseEntryIndex: 1))
        #expect(result.errorClass == .conflict)
        #expect(result.entry.service == "users")
    }

    @Test("nothing matching anywhere is unknown, with no rule")
    func unknown() throws {
        let entries = [
            Self.span("payment-service", "reconcile", id: 1, depth: 0, time: 0, message: "reconciliation mismatch")
        ]
        let result = try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
        #expect(result.errorClass == .unknown)
        #expect(result.ruleID == nil)
        #expect(result.explanation.hasPrefix("unknown — no rule matched on payment-service span `reconcile`"))
    }

    @Test("a trace without an error has no classification")
    func noError() {
        let entries = [Self.span("api", "GET", id: 1, depth: 0, time: 0, error: false, attributes: Self.http(200))]
        #expect(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: nil) == nil)
    }

    @Test(
        "gRPC status codes map to their classes",
        arguments: [
            (Int64(4), ErrorClass.timeout), (14, .upstream), (16, .auth), (7, .auth), (8, .resourceExhausted),
            (3, .validation), (5, .notFound), (6, .conflict), (13, .codeDefect), (2, .unknown),
        ])
    func grpcCodes(_ code: Int64, _ expected: ErrorClass) throws {
        let entries = [
            Self.span(
                "svc", "Call", id: 1, depth: 0, time: 0, attributes: [Attribute("rpc.grpc.status_code", .int(code))])
        ]
        let result = try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
        #expect(result.errorClass == expected)
    }

    @Test("the old http.status_code attribute works like the new one")
    func oldHTTPAttribute() throws {
        let entries = [
            Self.span(
                "svc", "GET", id: 1, depth: 0, time: 0, attributes: [Attribute("http.status_code", .string("429"))])
        ]
        let result = try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
        #expect(result.errorClass == .rateLimit)
    }

    // MARK: - Fingerprints

    static func fingerprint(_ service: String, _ message: String) throws -> String {
        let entries = [Self.span(service, "GET /users/:id", id: 1, depth: 0, time: 0, message: message)]
        return try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
            .fingerprint
    }

    @Test("the same failure with different numbers, IDs, emails and quoted values has one fingerprint")
    func sameProblem() throws {
        #expect(try Self.fingerprint("users", "User 14841 not found") == Self.fingerprint("users", "User 9 not found"))
        #expect(
            try Self.fingerprint("users", "connect ECONNREFUSED 10.0.3.7:5432")
                == Self.fingerprint("users", "connect ECONNREFUSED 10.1.2.3:6543"))
        #expect(
            try Self.fingerprint(
                "users", "order 3f2a9c1e-0b1d-4c7e-9a55-1d2e3f4a5b6c failed for bob@example.com: 'qty'")
                == Self.fingerprint("users", "order 11111111-2222-4333-8444-555555555555 failed for al@x.org: 'sku'"))
        #expect(try Self.fingerprint("users", "User 9 not found").count == 16)
    }

    @Test("a different service, operation or wording is a different problem")
    func differentProblems() throws {
        let base = try Self.fingerprint("users", "User 9 not found")
        #expect(try Self.fingerprint("orders", "User 9 not found") != base)
        #expect(try Self.fingerprint("users", "Order 9 not found") != base)
        #expect(try Self.fingerprint("users", "User 9 deadlock detected") != base)
        let otherOperation = [Self.span("users", "DELETE /users/:id", id: 1, depth: 0, time: 0, message: "User 9 not found")]
        let result = try #require(Self.classifier.classify(Self.timeline(otherOperation, root: 0), rootCauseEntryIndex: 0))
        #expect(result.fingerprint != base)
    }

    @Test("one root cause is one problem, whichever evidence elsewhere in each trace decided its class")
    func classIsNotPartOfTheFingerprint() throws {
        func classify(_ evidence: String) throws -> Classification {
            let entries = [
                Self.span("ts-preserve-service", "/api/v1/preserveservice/preserve", id: 1, depth: 0, time: 0,
                    message: "Request processing failed for order 42", attributes: Self.http(500)),
                Self.log("ts-seat-service", evidence, span: nil, depth: 0, time: 5),
            ]
            return try #require(Self.classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
        }
        let refused = try classify("dial tcp 10.0.3.0:5432: connect: connection refused")
        let timedOut = try classify("context deadline exceeded")
        let bare = try classify("seat map rebuilt")
        #expect([refused.errorClass, timedOut.errorClass, bare.errorClass] == [.connection, .timeout, .codeDefect])
        #expect(refused.fingerprint == timedOut.fingerprint)
        #expect(refused.fingerprint == bare.fingerprint)
    }

    @Test(
        "normalising replaces variable parts with placeholders",
        arguments: [
            ("User 14841 not found", "User <n> not found"),
            ("connect ECONNREFUSED 10.0.3.0:5432", "connect ECONNREFUSED <ip>:<n>"),
            ("Post \"https://api/v1\": context deadline exceeded", "Post <str>: context deadline exceeded"),
            ("trace 6b03d16c000000005f96f4d1ed9e1701 at 0x7ffe12", "trace <hex> at <hex>"),
            ("id 3f2a9c1e-0b1d-4c7e-9a55-1d2e3f4a5b6c for bob@example.com", "id <uuid> for <email>"),
            ("can't  open\n file", "can't open file"),
            // Not addresses: five parts, three, a part of four digits, a trailing dot is kept as punctuation.
            ("at 1.2.3.4.5 and 1.2.3 or 1234.1.1.1", "at <n>.<n>.<n>.<n>.<n> and <n>.<n>.<n> or <n>.<n>.<n>.<n>"),
            ("from 10.0.0.1. then 3f2a9c1e-0b1d-4c7e-9a55-1d2e3f4a5b6", "from <ip>. then <n>f<n>a<n>c<n>e-<n>b<n>d-<n>c<n>e-<n>a<n>-<n>d<n>e<n>f<n>a<n>b<n>"),
        ])
    func normalize(_ input: String, _ expected: String) {
        #expect(Fingerprint.normalize(input) == expected)
    }

    @Test("a rule's fingerprint parts replace the default ones")
    func ruleFingerprint() throws {
        let source = RuleSource(
            path: "user/psp.yaml",
            text: """
                - id: user.psp-timeout
                  class: timeout
                  priority: 90
                  match: {pattern: 'psp'}
                  fingerprint: ['psp-timeouts']
                """)
        let rules = try ClassificationRuleLoader.load(layers: [RuleSource.builtIn, [source]])
        let classifier = Classifier(rules: rules)
        func fingerprint(_ service: String, _ message: String) throws -> String {
            let entries = [Self.span(service, "charge", id: 1, depth: 0, time: 0, message: message)]
            return try #require(classifier.classify(Self.timeline(entries, root: 0), rootCauseEntryIndex: 0))
                .fingerprint
        }
        #expect(try fingerprint("payments", "psp slow") == fingerprint("billing", "psp did not answer in time"))
        #expect(try fingerprint("payments", "psp slow") != Self.fingerprint("payments", "psp slow"))
    }
}
