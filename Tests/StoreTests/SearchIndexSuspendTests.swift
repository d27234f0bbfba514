import Foundation
import GRDB
import Store
import Testing
import TraceJoinCore

/// `batch` drops the trace search indexes while it writes a big night and builds them after
/// (`TraceSearchIndexes`): they must come back exactly as the migrations made them, also after a kill.
@Suite struct SearchIndexSuspendTests {
    static let names = ["traces_by_fingerprint", "traces_by_status"]

    @Test("search indexes dropped for a big write come back as the migrations made them, and a killed batch's are rebuilt at the next open")
    func suspendRestoreAndHeal() throws {
        let reference = try TemporaryStore()
        let made = try Self.definitions(reference.path)
        #expect(made.count == 2, "a new database has both: \(made)")

        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let traces = (1...3).map { TraceID(high: 7, low: UInt64($0)) }
        try temporary.write(
            traces.map { .span(StoreSamples.span(trace: $0, id: 1, offset: Int64($0.low) * 100)) }, source: source)

        // Fewer rows to write than traces stored: rebuilding would cost more than it saves.
        #expect(try !temporary.store.suspendTraceSearchIndexes(beforeWriting: 2))
        #expect(try Self.definitions(temporary.path) == made)

        #expect(try temporary.store.suspendTraceSearchIndexes(beforeWriting: 3))
        #expect(try Self.definitions(temporary.path).isEmpty, "dropped while the batch writes")
        try temporary.store.restoreTraceSearchIndexes()
        #expect(try Self.definitions(temporary.path) == made)

        // A batch killed between the two: the next store opened for writing builds them.
        #expect(try temporary.store.suspendTraceSearchIndexes(beforeWriting: 100))
        let reopened = try IncidentStore(path: temporary.path)
        #expect(try Self.definitions(temporary.path) == made)
        _ = reopened
    }

    @Test("a store opened while a batch writes its grouped rows leaves the indexes that batch dropped to it")
    func notRebuiltUnderALiveBatch() throws {
        let temporary = try TemporaryStore()
        let made = try Self.definitions(temporary.path)
        // A batch of this process (alive) that has begun its grouped rows and dropped the indexes.
        let run = try temporary.store.beginRun(command: "batch", inputs: ["night"], rulesDigest: "r")
        try temporary.store.beginGroupedRun(run)
        #expect(try temporary.store.suspendTraceSearchIndexes(beforeWriting: 100))
        // Another writer opening the file (a second batch it refuses, a `tail`) does not build them meanwhile.
        _ = try IncidentStore(path: temporary.path)
        #expect(try Self.definitions(temporary.path).isEmpty)
        try temporary.store.restoreTraceSearchIndexes()
        #expect(try Self.definitions(temporary.path) == made)
    }

    /// The search indexes' definitions in the file at `path`, by name.
    static func definitions(_ path: String) throws -> [String: String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (?, ?)",
                arguments: StatementArguments(names))
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as String, $0["sql"] as String) })
        }
    }
}
