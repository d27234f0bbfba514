import Foundation
import OTLPProto
import Pipeline
import Rules
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `StreamIntake`, the write path behind `tracejoin serve`: what a request body becomes in the database, and
/// what the exporter is told.
@Suite struct StreamIntakeTests {
    static let trace = "5b8efff798038103d269b633813fc60c"

    @Test("a protobuf traces body and a JSON logs body are committed when answered, and show joins them")
    func tracesAndLogsJoined() async throws {
        // An idle window no slow machine reaches while the test runs, so "not summarised yet" holds.
        var configuration = StreamConfiguration()
        configuration.traceIdle = .seconds(3_600)
        let setup = try StreamSetup(configuration: configuration)
        defer { setup.folder.remove() }
        setup.service.start()
        let spans = try StreamBodies.traces(
            service: "checkout",
            [
                StreamBodies.span(trace: Self.trace, id: "eee19b7ec3c1b174", name: "POST /checkout"),
                StreamBodies.span(
                    trace: Self.trace, id: "eee19b7ec3c1b175", parent: "eee19b7ec3c1b174", name: "charge",
                    offsetMillis: 2),
            ])
        let logs = StreamBodies.logs(service: "payments", trace: Self.trace, ["charging card", "charge accepted"])

        #expect(await setup.intake.submit(spans, signal: .traces, encoding: .protobuf) == stored(2))
        #expect(await setup.intake.submit(logs, signal: .logs, encoding: .json) == stored(2))

        // Answered means committed: a query right now, with no summary pass yet, sees every entry.
        let traceID = try #require(TraceID(hex: Self.trace))
        let timeline = try #require(try TimelineQuery.timelines(for: .full(traceID), in: setup.store).first)
        let names: Set<String> = Set(timeline.entries.map(\.name))
        #expect(names.isSuperset(of: ["POST /checkout", "charge"]))
        #expect(Set(timeline.entries.map(\.message)).isSuperset(of: ["charging card", "charge accepted"]))
        #expect(Set(timeline.summary.services) == ["checkout", "payments"])
        let key = try #require(try setup.store.traceKeys(for: .full(traceID)).first)
        #expect(try setup.store.summary(traceKey: key) == nil, "summarised although it is not idle yet")
        try await setup.service.shutdown()
    }

    @Test("personal data planted in a span attribute and a log message never reaches the database file")
    func piiScrubbed() async throws {
        let scrubber = try Scrubber.load()
        let setup = try StreamSetup(rules: RulesInForce(.init(scrubber: scrubber)))
        defer { setup.folder.remove() }
        setup.service.start()
        let email = "mallory.kowalski@example.org"
        let card = "4111 1111 1111 1111"
        let spans = try StreamBodies.traces(
            service: "users",
            [
                StreamBodies.span(trace: Self.trace, id: "eee19b7ec3c1b174", name: "GET /users/:id") { span in
                    span.attributes = [StreamBodies.attribute("enduser.email", email)]
                }
            ])
        let logs = StreamBodies.logs(service: "users", trace: Self.trace, ["payment with card \(card) declined"])
        #expect(await setup.intake.submit(spans, signal: .traces, encoding: .protobuf) == stored(1))
        #expect(await setup.intake.submit(logs, signal: .logs, encoding: .json) == stored(1))
        try await setup.service.shutdown()

        let counts = try setup.store.counts()
        #expect(counts.spans == 1 && counts.logs == 1)
        let bytes = setup.databaseBytes()
        #expect(bytes.range(of: Data(email.utf8)) == nil, "the email is in the database")
        #expect(bytes.range(of: Data(card.utf8)) == nil, "the card number is in the database")
        #expect(bytes.range(of: Data("GET /users/:id".utf8)) != nil)
    }

    @Test("a body that is not an export request is undecodable, its message names the fault, not the bytes")
    func undecodable() async throws {
        let setup = try StreamSetup()
        defer { setup.folder.remove() }
        setup.service.start()
        let secret = "hunter2-secret-token"
        let bodies: [([UInt8], OTLPSignal, OTLPBodyEncoding)] = [
            (Array("\u{0A}\u{FF}\u{FF}\(secret)".utf8), .traces, .protobuf),
            (Array("{\"resourceSpans\": [\(secret)".utf8), .traces, .json),
            (Array("[\"\(secret)\"]".utf8), .logs, .json),
            (StreamBodies.logs(service: "api", [secret]), .traces, .json),
            (Array("{\"resourceSpans\":\"nope\"}".utf8), .traces, .json),
            (Array("{\"resourceLogs\":{\"\(secret)\":1}}".utf8), .logs, .json),
        ]
        for (body, signal, encoding) in bodies {
            let outcome = await setup.intake.submit(body, signal: signal, encoding: encoding)
            guard case .undecodable(let message) = outcome else {
                Issue.record("expected undecodable for a \(encoding) \(signal) body, got \(outcome)")
                continue
            }
            #expect(!message.isEmpty)
            #expect(!message.contains(secret))
        }
        try await setup.service.shutdown()
        let counts = try setup.store.counts()
        #expect(counts.spans == 0 && counts.logs == 0 && counts.rejects == 0)
    }

    @Test("spans that cannot be read are stored as rejects and counted; the others of the request are kept")
    func partialRejects() async throws {
        let setup = try StreamSetup()
        defer { setup.folder.remove() }
        setup.service.start()
        let body = try StreamBodies.traces(
            service: "orders",
            [
                StreamBodies.span(trace: Self.trace, id: "eee19b7ec3c1b174", name: "kept"),
                StreamBodies.span(trace: Self.trace, id: "eee19b7ec3c1b175", name: "no start") {
                    $0.startTimeUnixNano = 0
                },
                StreamBodies.span(trace: Self.trace, id: "eee19b7ec3c1b176", name: "no start either") {
                    $0.startTimeUnixNano = 0
                },
            ])
        let outcome = await setup.intake.submit(body, signal: .traces, encoding: .protobuf)
        #expect(
            outcome
                == .stored(accepted: 1, rejected: 2, rejectionMessage: "2 spans rejected: span start time is missing"))
        let rejects = try setup.store.rejects(limit: 10)
        #expect(rejects.count == 2)
        #expect(rejects.allSatisfy { $0.location.source == StreamIntake.sourcePath(.traces) })
        #expect(rejects.allSatisfy { $0.reason == "span start time is missing" })
        #expect(Set(rejects.map(\.location.ordinal)).count == 2)
        #expect(try setup.store.counts().spans == 1)
        try await setup.service.shutdown()
    }

    @Test("logs of separate requests never overwrite each other: each request has its own position")
    func requestsHaveDistinctPositions() async throws {
        let setup = try StreamSetup()
        defer { setup.folder.remove() }
        setup.service.start()
        for number in 1...3 {
            let outcome = await setup.intake.submit(
                StreamBodies.logs(service: "api", ["request \(number)"]), signal: .logs, encoding: .json)
            #expect(outcome == stored(1))
        }
        #expect(try setup.uncorrelatedMessages() == ["request 1", "request 2", "request 3"])
        try await setup.service.shutdown()
    }

    @Test("rules replaced while running apply to the next request: a drop-record rule drops, the request is stored")
    func rulesInForceAreSwappable() async throws {
        let rules = RulesInForce(.init())
        let setup = try StreamSetup(rules: rules)
        defer { setup.folder.remove() }
        setup.service.start()
        let kept = StreamBodies.logs(service: "api", ["kept before the reload"])
        #expect(await setup.intake.submit(kept, signal: .logs, encoding: .json) == stored(1))
        rules.replace(.init(scrubber: DropEverything()))
        let dropped = StreamBodies.logs(service: "api", ["dropped after the reload"])
        #expect(await setup.intake.submit(dropped, signal: .logs, encoding: .json) == stored(0))
        try await setup.service.shutdown()
        #expect(try setup.uncorrelatedMessages() == ["kept before the reload"])
        #expect(setup.service.counts.droppedByRules == 1)
    }

    @Test("ready while the database takes writes and the queue has room; not once shutting down")
    func readiness() async throws {
        let setup = try StreamSetup()
        defer { setup.folder.remove() }
        setup.service.start()
        let ready = setup.intake.readiness()
        #expect(ready.isReady)
        #expect(ready.detail.contains("database writable"))
        try await setup.service.shutdown()
        #expect(!setup.intake.readiness().isReady)
        let late = await setup.intake.submit(
            StreamBodies.logs(service: "api", ["late"]), signal: .logs, encoding: .json)
        #expect(late == .unavailable(message: "shutting down"))
    }
}

/// A rule set whose every rule is `drop-record`.
struct DropEverything: RecordScrubber {
    func scrub(_ record: consuming Record) -> Record? { nil }
    var digest: String { "drop-everything" }
}
