import Foundation
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct WALCheckpointerTests {
    /// Size in bytes of the file at `path` (0 when there is none).
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// `count` logs of `bytes` bytes each, at offsets from `first`. Keep `bytes` under ~4,000: a longer row
    /// spills into an overflow page of its own (16 KiB), and the log would grow by a page per row.
    static func bulkyLogs(count: Int, bytes: Int, first: Int64) -> [Record] {
        (0..<count).map { index in
            let offset = first + Int64(index) * 10_000
            let filler = String(repeating: String(format: "%016llx", UInt64(offset) &* 0x9E37_79B9_7F4A_7C15), count: bytes / 16)
            return .log(StoreSamples.log(filler, offset: offset))
        }
    }

    @Test("pages written land in the database file without the writer checkpointing", .timeLimit(.minutes(1)))
    func copiesTheLogInTheBackground() async throws {
        let clock = ManualThreadClock()
        let temporary = try TemporaryStore(checkpointEvery: .milliseconds(10), clock: clock)
        let (store, path) = (temporary.store, temporary.path)
        let source = try temporary.source()
        await clock.sleepers(atLeast: 1)
        let before = Self.size(path)

        // About 1.5 MiB: far below the writer's own checkpoint threshold (8,000 pages of 16 KiB here).
        let records = Self.bulkyLogs(count: 500, bytes: 3_008, first: 0)
        _ = try store.makeWriter().write(records.map { SourcedRecord(sourceID: source, record: $0) }, progress: [])
        #expect(Self.size(path) < before + 1_500_000, "the writer checkpointed")
        #expect(store.backgroundCheckpointProgress?.passes == 0)

        await clock.advance(by: .milliseconds(10))
        let progress = try #require(store.backgroundCheckpointProgress)
        #expect(progress.passes == 1)
        #expect(progress.logFrames > 0)
        #expect(progress.copiedFrames == progress.logFrames)
        #expect(progress.lastFailure == nil)
        #expect(Self.size(path) >= before + 1_500_000)
    }

    @Test("once the log holds the restart threshold, a pass starts it again and the file stops growing",
        .timeLimit(.minutes(1)))
    func logStaysBounded() async throws {
        let clock = ManualThreadClock()
        let temporary = try TemporaryStore(checkpointEvery: .milliseconds(5), clock: clock)
        let (store, path) = (temporary.store, temporary.path)
        let source = try temporary.source()
        let writer = store.makeWriter()
        await clock.sleepers(atLeast: 1)
        // ~1.5 MiB each: 24 of them hold more than the threshold of the background restart (2,000 pages of 16 KiB,
        // 31.25 MiB), and less than the writer's own fallback (8,000 pages).
        var transaction: Int64 = 0
        func writeTransactions(_ count: Int) throws {
            for _ in 0..<count {
                let records = Self.bulkyLogs(count: 500, bytes: 3_008, first: transaction * 10_000_000)
                _ = try writer.write(records.map { SourcedRecord(sourceID: source, record: $0) }, progress: [])
                transaction += 1
            }
        }

        // No pass yet: the log holds every transaction.
        try writeTransactions(24)
        let fullLog = Self.size(path + "-wal")
        #expect(fullLog > 32 << 20)

        // One pass: it copies every frame, and as the log is past the threshold, the writer's connection
        // finishes the checkpoint, so the writer's next transaction writes from the log's start.
        await clock.advance(by: .milliseconds(5))
        let progress = try #require(store.backgroundCheckpointProgress)
        #expect(progress.passes == 1)
        #expect(progress.restarts == 1)
        #expect(progress.copiedFrames == progress.logFrames)
        #expect(progress.lastFailure == nil)

        // As many transactions again land in the same file instead of doubling it.
        try writeTransactions(24)
        #expect(try store.counts().logs == 48 * 500)
        #expect(Self.size(path + "-wal") <= fullLog, "the log did not start again: \(progress)")
    }
}
