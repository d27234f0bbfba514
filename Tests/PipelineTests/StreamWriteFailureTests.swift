import Foundation
import GRDB
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// A transaction that fails: the request is answered `unavailable` (nothing half-written), readiness says
/// why, and the writer recovers when the database takes writes again.
@Suite struct StreamWriteFailureTests {
    @Test("a failed write answers unavailable and turns readiness false; the next write succeeds again")
    func failedWrite() async throws {
        let setup = try StreamSetup()
        defer { setup.folder.remove() }
        setup.service.start()
        // A real SQLite failure inside the writer's transaction: another connection adds a trigger that
        // aborts every insert into `logs`.
        let other = try DatabaseQueue(path: setup.database, configuration: .waitingForLocks)
        try await other.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let first = StreamBodies.logs(service: "api", ["first"])
        let failed = await setup.intake.submit(first, signal: .logs, encoding: .json)
        guard case .unavailable(let message) = failed else {
            Issue.record("expected unavailable, got \(failed)")
            return
        }
        #expect(message.contains("cannot be written"))
        let readiness = setup.intake.readiness()
        #expect(!readiness.isReady)
        #expect(readiness.detail.contains("last write failed"))
        #expect(try setup.uncorrelatedMessages().isEmpty)

        try await other.write { db in try db.execute(sql: "DROP TRIGGER refuse") }
        let second = await setup.intake.submit(
            StreamBodies.logs(service: "api", ["second"]), signal: .logs, encoding: .json)
        #expect(second == stored(1))
        #expect(setup.intake.readiness().isReady)
        #expect(try setup.uncorrelatedMessages() == ["second"])
        #expect(setup.service.counts.failedSubmissions == 1)
        try await setup.service.shutdown()
    }
}
