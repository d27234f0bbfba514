import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The queue bound: a full queue answers `overloaded` at once, and whatever was answered `stored` is wholly
/// in the database while nothing of an overloaded request is.
@Suite struct StreamOverloadTests {
    /// Two log records per request, named after it.
    static func body(_ request: Int) -> [UInt8] {
        StreamBodies.logs(service: "api", ["request \(request) record 1", "request \(request) record 2"])
    }

    static func submitAll(_ requests: Range<Int>, to intake: StreamIntake) async -> [Int: OTLPIntakeOutcome] {
        await withTaskGroup(of: (Int, OTLPIntakeOutcome).self) { group in
            for request in requests {
                group.addTask { (request, await intake.submit(body(request), signal: .logs, encoding: .json)) }
            }
            var outcomes: [Int: OTLPIntakeOutcome] = [:]
            for await (request, outcome) in group { outcomes[request] = outcome }
            return outcomes
        }
    }

    @Test("with a tiny queue and many concurrent requests, some are refused and every stored one is whole")
    func overloadLosesNothingAcknowledged() async throws {
        var configuration = StreamConfiguration()
        configuration.queueRecords = 4
        configuration.recordsPerTransaction = 2
        configuration.retryAfterSeconds = 3
        let setup = try StreamSetup(configuration: configuration)
        defer { setup.folder.remove() }

        // The writer is not started until the queue has refused something: requests pile up as they would
        // behind a slow disk, deterministically.
        let service = setup.service
        let starter = Task {
            _ = try await eventually { service.counts.overloaded > 0 }
            service.start()
        }
        var outcomes = await Self.submitAll(0..<50, to: setup.intake)
        try await starter.value
        // Then many more while it writes.
        outcomes.merge(await Self.submitAll(50..<150, to: setup.intake)) { first, _ in first }
        try await setup.service.shutdown()

        let overloaded = outcomes.filter { $0.value == .overloaded(retryAfterSeconds: 3) }.map(\.key)
        let acknowledged = outcomes.filter { $0.value == stored(2) }.map(\.key)
        #expect(
            overloaded.count + acknowledged.count == 150,
            "every request is either stored or refused: \(outcomes.values)")
        #expect(overloaded.contains { $0 < 50 }, "a full queue refuses")
        #expect(!acknowledged.isEmpty)
        let messages = try setup.uncorrelatedMessages()
        let expected = Set(acknowledged.flatMap { ["request \($0) record 1", "request \($0) record 2"] })
        #expect(messages == expected, "exactly the records of the stored requests are in the database")
        #expect(setup.service.counts.overloaded == overloaded.count)
    }

    @Test("requests in flight are bounded too: past inFlightBytes a request is refused before it is decoded")
    func inFlightBound() async throws {
        var configuration = StreamConfiguration()
        configuration.inFlightBytes = 1  // one request at a time
        configuration.retryAfterSeconds = 5
        let setup = try StreamSetup(configuration: configuration)
        defer { setup.folder.remove() }
        let intake = setup.intake

        // The writer is not started: the first request stays in flight, waiting for its commit.
        let first = Task { await intake.submit(Self.body(1), signal: .logs, encoding: .json) }
        try #require(try await eventually { intake.bytesInFlight > 0 })
        #expect(await intake.submit(Self.body(2), signal: .logs, encoding: .json) == .overloaded(retryAfterSeconds: 5))
        setup.service.start()
        #expect(await first.value == stored(2))
        #expect(await intake.submit(Self.body(3), signal: .logs, encoding: .json) == stored(2), "the bound is released")
        try await setup.service.shutdown()
        #expect(
            try setup.uncorrelatedMessages()
                == ["request 1 record 1", "request 1 record 2", "request 3 record 1", "request 3 record 2"])
    }
}
