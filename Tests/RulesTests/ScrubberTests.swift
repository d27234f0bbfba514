import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct ScrubberTests {
    static let scrubber: Scrubber = {
        let rules = try! RuleSet(layers: [RuleSource.builtIn])
        return try! Scrubber(ruleSet: rules, hashKey: nil)
    }()

    static func log(_ message: String, attributes: [Attribute] = [], service: String = "api") -> LogRecord {
        LogRecord(time: 1, message: message, service: service, attributes: attributes, origin: Samples.origin)
    }

    static func scrubbed(_ log: LogRecord, with scrubber: Scrubber = scrubber) throws -> LogRecord {
        guard case .log(let result) = try #require(scrubber.scrub(.log(log))) else {
            Issue.record("not a log record")
            return log
        }
        return result
    }

    static func scrubbed(_ span: SpanRecord) throws -> SpanRecord {
        guard case .span(let result) = try #require(scrubber.scrub(.span(span))) else {
            Issue.record("not a span")
            return span
        }
        return result
    }

    @Test("texts seen again after thousands of others (their cache slots reused) scrub the same, hits counted again")
    func rememberedTextsAfterEviction() throws {
        let rules = try RuleSet(layers: [RuleSource.builtIn])
        let engine = ScrubEngine(rules: rules.rules, hashKey: [])
        let texts = (0..<10_000).map { index in
            index % 2 == 0 ? "user\(index)@example.com signed in" : "order \(index) shipped to warehouse \(index % 7)"
        }
        var firstHits: [String: Int] = [:]
        let first = texts.map { engine.scrubText($0, field: "message", hits: &firstHits) }
        #expect(first.filter { $0 == .replace("<email> signed in") }.count == 5_000)
        #expect(first.filter { $0 == .keep }.count == 5_000)
        var againHits: [String: Int] = [:]
        for (text, outcome) in zip(texts, first).reversed() {
            #expect(engine.scrubText(text, field: "message", hits: &againHits) == outcome)
        }
        #expect(againHits == firstHits && firstHits.values.reduce(0, +) == 5_000)
    }

    @Test("email in a log message becomes <email>")
    func emailInMessage() throws {
        let result = try Self.scrubbed(Self.log("login ok for alice@example.com"))
        #expect(result.message == "login ok for <email>")
    }

    @Test("a key rule replaces the whole value of secret keys, nested ones too, whatever the value")
    func nestedKeys() throws {
        let request = AttributeValue.keyValueList([
            Attribute(
                "headers",
                .keyValueList([Attribute("Cookie", .string("sid=abc")), Attribute("accept", .string("*/*"))])),
            Attribute("body", .keyValueList([Attribute("user", .string("bob")), Attribute("password", .int(1234))])),
        ])
        let result = try Self.scrubbed(Self.log("request", attributes: [Attribute("req", request)]))
        let expected = AttributeValue.keyValueList([
            Attribute(
                "headers",
                .keyValueList([Attribute("Cookie", .string("<redacted>")), Attribute("accept", .string("*/*"))])),
            Attribute(
                "body",
                .keyValueList([Attribute("user", .string("bob")), Attribute("password", .string("<redacted>"))])),
        ])
        #expect(result.attributes == [Attribute("req", expected)])
    }

    @Test("URL credentials and secret query parameters in span attributes and messages go")
    func urls() throws {
        var span = Samples.span(id: 1)
        span.attributes = [
            Attribute("db.statement", .string("connect postgres://app:s3cr3t@db:5432/orders")),
            Attribute("url.full", .string("https://api.example.com/cb?code=xyz789&state=ok&email=bob%40example.com")),
            Attribute("http.request.header.authorization", .string("Bearer abcdefgh12345678")),
            Attribute("server.port", .int(5432)),
            Attribute("http.response.status_code", .int(200)),
        ]
        let result = try Self.scrubbed(span)
        #expect(result.attributes[key: "db.statement"] == .string("connect postgres://app:<password>@db:5432/orders"))
        #expect(
            result.attributes[key: "url.full"]
                == .string("https://api.example.com/cb?code=<redacted>&state=ok&email=<redacted>"))
        #expect(result.attributes[key: "http.request.header.authorization"] == .string("<redacted>"))
        #expect(result.attributes[key: "server.port"] == .int(5432))
        #expect(result.attributes[key: "http.response.status_code"] == .int(200))
    }

    @Test("a card number sent as an integer is masked, alone or in a list; times and IDs sent as integers stay")
    func integerCardNumbers() throws {
        var span = Samples.span(id: 1)
        span.attributes = [
            Attribute("payment.card", .int(4_111_111_111_111_111)),
            Attribute("list", .array([.string("x"), .int(5_555_555_555_554_444)])),
            Attribute("sent.millis", .int(1_795_428_000_123)),  // an epoch-millisecond time: 13 digits, no card
            Attribute("sent.micros", .int(1_795_428_000_123_456)),  // 16 digits, not a card brand's prefix
            Attribute("request.number", .int(7_744_123_456_789_012_345)),  // 19 digits, as Datadog's decimal IDs
            Attribute("order.total", .int(4_111)),
        ]
        let result = try Self.scrubbed(span)
        #expect(result.attributes[key: "payment.card"] == .string("************1111"))
        #expect(result.attributes[key: "list"] == .array([.string("x"), .string("************4444")]))
        #expect(result.attributes[key: "sent.millis"] == .int(1_795_428_000_123))
        #expect(result.attributes[key: "sent.micros"] == .int(1_795_428_000_123_456))
        #expect(result.attributes[key: "request.number"] == .int(7_744_123_456_789_012_345))
        #expect(result.attributes[key: "order.total"] == .int(4_111))
    }

    @Test("exception message and stack trace in a span event are scrubbed; the span's IDs are not")
    func spanEvent() throws {
        var span = Samples.span(id: 0x1234_5678_9012_3456, name: "charge 4111 1111 1111 1111")
        span.statusMessage = "card declined for carol@example.com"
        span.events = [
            SpanEvent(
                time: 5, name: "exception",
                attributes: [
                    Attribute("exception.message", .string("no user dave@example.org")),
                    Attribute("exception.stacktrace", .string("Error: token=abc123secret\n    at charge (pay.js:10)")),
                ])
        ]
        span.resource = [Attribute("host.ip", .string("203.0.113.7"))]
        let result = try Self.scrubbed(span)
        #expect(result.name == "charge **** **** **** 1111")
        #expect(result.statusMessage == "card declined for <email>")
        #expect(result.events[0].attributes[key: "exception.message"] == .string("no user <email>"))
        #expect(
            result.events[0].attributes[key: "exception.stacktrace"]
                == .string("Error: token=<redacted>\n    at charge (pay.js:10)"))
        #expect(result.resource[key: "host.ip"] == .string("203.0.113.0"))
        #expect(result.traceID == Samples.traceA)
        #expect(result.spanID == SpanID(0x1234_5678_9012_3456))
    }

    @Test("the raw text of a reject is scrubbed")
    func reject() throws {
        let record = Record.reject(
            RejectedRecord(origin: Samples.origin, reason: "not JSON", raw: "{bad json email=eve@example.com"))
        guard case .reject(let result) = try #require(Self.scrubber.scrub(record)) else {
            Issue.record("not a reject")
            return
        }
        #expect(result.raw == "{bad json email=<email>")
    }

    @Test(
        "IDs, UUIDs, timestamps, durations, versions and order numbers survive",
        arguments: [
            "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
            "order 4111111111111112 shipped at 1748503543012",
            "dd.trace_id=12345678901234567890 dd.span_id=1234567890123456",
            "request 123e4567-e89b-12d3-a456-426614174000 took 12.5ms",
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "2026-11-23T10:00:00.123456789Z GET /orders/42 200 in 35ms",
            "started v1.22.3 (build 10.0.19041.1) on port 8080",
        ])
    func idsSurvive(_ message: String) throws {
        #expect(try Self.scrubbed(Self.log(message)).message == message)
    }

    @Test("trace context attributes are never scrubbed, even when all digits")
    func protectedKeys() throws {
        let attributes = [
            Attribute("dd.trace_id", .string("4111111111111111")), Attribute("otelSpanID", .string("4111111111111111")),
        ]
        #expect(try Self.scrubbed(Self.log("x", attributes: attributes)).attributes == attributes)
    }

    @Test("hits are counted per rule and service, without values")
    func hitCounts() throws {
        let scrubber = try Scrubber(ruleSet: RuleSet(layers: [RuleSource.builtIn]), hashKey: nil)
        _ = try Self.scrubbed(Self.log("a@example.com and b@example.com", service: "auth"), with: scrubber)
        _ = try Self.scrubbed(Self.log("c@example.com", service: "pay"), with: scrubber)
        #expect(scrubber.hitCounts[ScrubHit(rule: "pii.email", service: "auth")] == 2)
        #expect(scrubber.hitCounts[ScrubHit(rule: "pii.email", service: "pay")] == 1)
        #expect(scrubber.hitCounts.count == 2)
    }

    @Test("a value seen again is scrubbed again and its hits counted again (the per-thread cache replays them)")
    func repeatedValues() throws {
        let scrubber = try Scrubber(ruleSet: RuleSet(layers: [RuleSource.builtIn]), hashKey: nil)
        let address = Attribute("customer.email", .string("jane.doe@example.com"))
        for round in 1...3 {
            // The same texts each round: a log message and a span attribute with an address, a clean route.
            let log = try Self.scrubbed(Self.log("sent to jane.doe@example.com", service: "mail"), with: scrubber)
            #expect(!log.message.contains("jane.doe"), "round \(round)")
            let span = SpanRecord(
                traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), service: "shop", name: "GET /orders",
                startTime: 1, endTime: 2, attributes: [address, Attribute("http.route", .string("/orders"))],
                origin: Samples.origin)
            guard case .span(let scrubbedSpan) = try #require(scrubber.scrub(.span(span))) else {
                Issue.record("not a span")
                continue
            }
            #expect(scrubbedSpan.attributes[key: "customer.email"]?.text.contains("jane.doe") == false, "round \(round)")
            #expect(scrubbedSpan.attributes[key: "http.route"] == .string("/orders"))
            #expect(scrubber.hitCounts[ScrubHit(rule: "pii.email", service: "mail")] == round)
            #expect(scrubber.hitCounts[ScrubHit(rule: "pii.email", service: "shop")] == round)
        }
    }

    @Test("hash gives the same token for the same value and needs a key")
    func hash() throws {
        let source = RuleSource(
            path: "user/hash.yaml",
            text:
                "- id: user.email-hash\n  priority: 60\n  match: {pattern: '[a-z]+@example\\.com', prefilter: '@'}\n  action: {hash: {label: email, length: 12}}\n"
        )
        let rules = try RuleSet(layers: [RuleSource.builtIn, [source]])
        #expect(throws: Diagnostic.self) { try Scrubber(ruleSet: rules, hashKey: nil) }
        let scrubber = try Scrubber(ruleSet: rules, hashKey: Array("0123456789abcdef".utf8))
        let first = try Self.scrubbed(Self.log("from bob@example.com"), with: scrubber).message
        let second = try Self.scrubbed(Self.log("to bob@example.com"), with: scrubber).message
        let token = String(first.dropFirst("from ".count))
        #expect(token.hasPrefix("<email:") && token.count == "<email:>".count + 12)
        #expect(second == "to " + token)
        let other = try Scrubber(ruleSet: rules, hashKey: Array("another key 0123".utf8))
        #expect(try Self.scrubbed(Self.log("from bob@example.com"), with: other).message != first)
    }

    @Test("drop-record drops the record and drop-field removes the attribute")
    func drops() throws {
        let source = RuleSource(
            path: "user/drop.yaml",
            text: """
                - id: user.drop-health
                  match: {pattern: 'GET /healthz', fields: [message]}
                  action: drop-record
                - id: user.drop-ua
                  match: {keys: '^user_agent\\.original$'}
                  action: drop-field
                - id: user.drop-ticket
                  match: {pattern: 'ticket-[0-9]+'}
                  action: drop-field
                """)
        let scrubber = try Scrubber(ruleSet: RuleSet(layers: [[source]]), hashKey: nil)
        #expect(scrubber.scrub(.log(Self.log("GET /healthz 200"))) == nil)
        let kept = try Self.scrubbed(
            Self.log(
                "GET /orders", attributes: [Attribute("user_agent.original", .string("curl")), Attribute("a", .int(1))]),
            with: scrubber)
        #expect(kept.attributes == [Attribute("a", .int(1))])

        // Removed attributes anywhere in a list, nested ones too: the rest keep their order.
        let mixed = try Self.scrubbed(
            Self.log(
                "GET /orders",
                attributes: [
                    Attribute("a", .int(1)), Attribute("user_agent.original", .string("curl")),
                    Attribute("user_agent.original", .string("wget")), Attribute("b", .string("two")),
                    Attribute(
                        "c", .keyValueList([Attribute("user_agent.original", .string("x")), Attribute("d", .bool(true))])),
                    Attribute("user_agent.original", .string("httpie")), Attribute("e", .null),
                    Attribute(
                        "f", .array([.string("x"), .string("ticket-1"), .string("y"), .string("ticket-2"), .int(3)])),
                ]),
            with: scrubber)
        #expect(
            mixed.attributes == [
                Attribute("a", .int(1)), Attribute("b", .string("two")),
                Attribute("c", .keyValueList([Attribute("d", .bool(true))])), Attribute("e", .null),
                Attribute("f", .array([.string("x"), .string("y"), .int(3)])),
            ])
    }

    @Test("explain lists the rules that hit, in order, and the result")
    func explain() throws {
        let engine = Self.scrubber.engine
        let explanation = RuleExplainer.explain("card 4111 1111 1111 1111 failed for bob@example.com", engine: engine)
        #expect(explanation.hits.map(\.rule) == ["pii.email", "pii.card"])
        #expect(explanation.result == "card **** **** **** 1111 failed for <email>")
    }
}

@Suite struct HostileInputTests {
    @Test(
        "long lines of one repeated shape scrub in well under a second (no runaway backtracking)",
        arguments: [
            "a", "1", "1-", "a.", ":", "1 ", "a@", "x=", "eyJ", "AKIA", "1111 ", "0-", "a:", "f:", "token=", "?a=&",
        ])
    func noRunawayBacktracking(_ unit: String) throws {
        let text = String(repeating: unit, count: 65_536 / unit.count)
        let engine = ScrubberTests.scrubber.engine
        var hits: [String: Int] = [:]
        let elapsed = ContinuousClock().measure { _ = engine.scrubText(text, field: "message", hits: &hits) }
        #expect(elapsed < .seconds(1))
    }
}

@Suite struct UnscannedTests {
    @Test("a value a pattern cannot finish scanning is replaced whole, not kept")
    func matchLimit() throws {
        // Nested quantifiers with no required literal: exponential backtracking on a run of a's.
        let source = RuleSource(
            path: "user/slow.yaml",
            text: "- id: user.slow\n  match: {pattern: '^(\\w+\\s?)+$'}\n  action: {redact: x}\n")
        let engine = ScrubEngine(rules: try RuleSet(layers: [[source]]).rules, hashKey: [])
        var hits: [String: Int] = [:]
        let outcome = engine.scrubText(String(repeating: "a", count: 40) + "!", field: "message", hits: &hits)
        #expect(outcome == .replace(ScrubEngine.unscannedText))
        #expect(hits["user.slow"] == 1)
    }
}
