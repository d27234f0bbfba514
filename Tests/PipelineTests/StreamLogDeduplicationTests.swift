import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Received log records carry no ID; they are stored at a position made from their content, so the same
/// record received again (an exporter's retry after a lost answer, a second exporter sending the same
/// records in another encoding, a retry after tracejoin restarted) is stored once.
@Suite struct StreamLogDeduplicationTests {
    static let trace = "5b8efff798038103d269b633813fc60c"

    @Test("the same logs request sent three times, once after a restart, is stored once; different logs are all kept")
    func retriesStoreOnce() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("stream.db")
        let body = StreamBodies.logs(service: "payments", trace: Self.trace, ["charging card", "charge accepted"])
        let other = StreamBodies.logs(service: "payments", trace: Self.trace, ["charging card", "refund issued"])

        let first = try StreamService(store: try IncidentStore(path: path), rules: RulesInForce(.init()))
        first.start()
        #expect(await first.intake.submit(body, signal: .logs, encoding: .json) == stored(2))
        #expect(await first.intake.submit(body, signal: .logs, encoding: .json) == stored(2))
        try await first.shutdown()

        let store = try IncidentStore(path: path)
        let second = try StreamService(store: store, rules: RulesInForce(.init()))
        second.start()
        #expect(await second.intake.submit(body, signal: .logs, encoding: .json) == stored(2))
        // Same time and message as the first record of `body`, but the second record differs in message.
        #expect(await second.intake.submit(other, signal: .logs, encoding: .json) == stored(2))
        try await second.shutdown()

        let traceID = try #require(TraceID(hex: Self.trace))
        let timeline = try #require(try TimelineQuery.timelines(for: .full(traceID), in: store).first)
        let messages = timeline.entries.filter { $0.kind == .log }.map(\.message).sorted()
        #expect(messages == ["charge accepted", "charging card", "refund issued"])
    }
}
