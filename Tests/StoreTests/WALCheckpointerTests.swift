import Foundation
import Store
import Testing
import TraceJoinCore

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

    @Test("pages written land in the database file without the writer checkpointing")
    func copiesTheLogInTheBackground() throws {
        let temporary = try TemporaryStore(checkpointEvery: .milliseconds(10))
        let (store, path) = (temporary.store, temporary.path)
        let source = try temporary.source()
        let before = Self.size(path)

        // About 1.5 MiB: far below the writer's own checkpoint threshold (8,000 pages of 16 KiB here).
        let records = Self.bulkyLogs(count: 500, bytes: 3_008, first: 0)
        _ = try store.makeWriter().write(records.map { SourcedRecord(sourceID: source, record: $0) }, progress: [])

        let deadline = Date().addingTimeInterval(10)
        func done() -> Bool {
            guard let progress = store.backgroundCheckpointProgress else { return true }
            return progress.logFrames > 0 && progress.copiedFrames == progress.logFrames
                && Self.size(path) >= before + 1_500_000
        }
        while !done(), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let progress = try #require(store.backgroundCheckpointProgress)
        #expect(progress.logFrames > 0)
        #expect(progress.copiedFrames == progress.logFrames)
        #expect(progress.lastFailure == nil)
        #expect(Self.size(path) >= before + 1_500_000)
    }

    @Test("under writes that never pause, the log file stays near the checkpoint threshold")
    func logStaysBounded() throws {
        // A short interval, so the background pass is often running when the writer wants to checkpoint.
        let temporary = try TemporaryStore(checkpointEvery: .milliseconds(5))
        let (store, path) = (temporary.store, temporary.path)
        let source = try temporary.source()
        let writer = try store.makeWriter()

        var largestLog = 0
        // ~1.5 MiB each, ~100 MiB in all: three times the threshold of the background restart (2,000 pages),
        // and below the writer's own fallback (8,000 pages), so without a restart the log would hold it all.
        let transactions = 64
        for transaction in 0..<transactions {
            let records = Self.bulkyLogs(count: 500, bytes: 3_008, first: Int64(transaction) * 10_000_000)
            _ = try writer.write(records.map { SourcedRecord(sourceID: source, record: $0) }, progress: [])
            largestLog = max(largestLog, Self.size(path + "-wal"))
        }

        #expect(try store.counts().logs == transactions * 500)
        // A restart is counted when the writer's checkpoint copies every frame; a pass that races a commit copies
        // all but the newest, so on a fast run every pass during the loop may have raced one. Once the writes
        // stop, the next pass over a log past the threshold must restart it.
        let deadline = Date().addingTimeInterval(5)
        while (store.backgroundCheckpointProgress?.restarts ?? 0) == 0, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let progress = try #require(store.backgroundCheckpointProgress)
        #expect(progress.restarts > 0)
        #expect(progress.lastFailure == nil)
        // Twice the threshold: on a busy machine the checkpoint thread may wait for a core while the writer
        // appends several transactions (50.5 MB was seen under load), and without restarts it would reach ~100 MB.
        #expect(largestLog < 64 << 20, "largest -wal file: \(largestLog) bytes; \(progress)")
    }
}
