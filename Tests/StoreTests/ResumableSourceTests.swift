import Foundation
import GRDB
import Store
import Testing
import TraceJoinCore

/// Finding the source a grown file continues, and taking it over at its checkpoint.
@Suite struct ResumableSourceTests {
    /// A head hash the tests control: the "file" hashes to `base + length` for every prefix length it has.
    static func head(base: Int64, fileLength: Int) -> (Int) -> Int64? {
        { length in length <= fileLength ? base + Int64(length) : nil }
    }

    @Test("a source is continued by a file with the same first bytes that is at least as large")
    func findsGrownFile() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let source = try store.registerSource(
            path: "/var/log/app.log", fingerprint: "sz500-a", size: 500, headHash: 1_500, headLength: 500)
        try temporary.write(
            [.log(StoreSamples.log("one", offset: 0))], source: source,
            progress: [SourceProgress(sourceID: source, checkpointOffset: 480, checkpointLine: 7, complete: true)])

        let found = try #require(
            try store.resumableSource(size: 900, headHash: Self.head(base: 1_000, fileLength: 900)))
        #expect(
            found
                == ResumableSource(
                    sourceID: source, path: "/var/log/app.log", size: 500, checkpointOffset: 480, checkpointLine: 7,
                    complete: true))
        // Smaller than the source (copytruncate), other first bytes, or already claimed by another file: no match.
        #expect(try store.resumableSource(size: 400, headHash: Self.head(base: 1_000, fileLength: 400)) == nil)
        #expect(try store.resumableSource(size: 900, headHash: Self.head(base: 7, fileLength: 900)) == nil)
        #expect(
            try store.resumableSource(size: 900, excluding: [source], headHash: Self.head(base: 1_000, fileLength: 900))
                == nil)
    }

    @Test("of several matching sources the largest is continued; a source without a head never is")
    func prefersLargest() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let small = try store.registerSource(path: "a", fingerprint: "f1", size: 100, headHash: 1_100, headLength: 100)
        let large = try store.registerSource(path: "b", fingerprint: "f2", size: 300, headHash: 1_300, headLength: 300)
        _ = try store.registerSource(path: "c.gz", fingerprint: "f3", size: 200)
        let found = try store.resumableSource(size: 1_000, headHash: Self.head(base: 1_000, fileLength: 1_000))
        #expect(found?.sourceID == large)
        #expect(
            try store.resumableSource(
                size: 1_000, excluding: [large], headHash: Self.head(base: 1_000, fileLength: 1_000))?
                .sourceID == small)
    }

    @Test("taking a source over deletes its rows past the checkpoint, keeps the others, and marks their traces")
    func reopenDiscardsPastCheckpoint() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let source = try store.registerSource(
            path: "/var/log/app.log", fingerprint: "sz300-a", size: 300, headHash: 1, headLength: 300)
        let cut = RejectedRecord(
            origin: InputLocation(source: "app.log", line: 3, byteOffset: 250), reason: "truncated JSON", raw: "{\"a\":"
        )
        try temporary.write(
            [
                .log(StoreSamples.log("kept", offset: 0)),
                .log(StoreSamples.log("half", trace: .full(StoreSamples.traceB), offset: 200)), .reject(cut),
            ], source: source,
            progress: [
                SourceProgress(
                    sourceID: source, checkpointOffset: 200, checkpointLine: 3, complete: true, records: 2, rejects: 1)
            ])
        let queue = try DatabaseQueue(path: temporary.path)
        try queue.write { try $0.execute(sql: "UPDATE traces SET dirty = 0") }
        #expect(try store.dirtyTraceKeys(limit: 10).isEmpty)

        try store.reopenSource(
            source, path: "/var/log/app.log.1", fingerprint: "sz400-b", size: 400, headHash: 2, headLength: 400)
        let counts = try store.counts()
        #expect(counts.logs == 1)
        #expect(counts.rejects == 0)
        #expect(try store.dirtyTraceKeys(limit: 10).count == 1, "the trace that lost a log is summarized again")
        let row = try #require(try temporary.dump("sources").first)
        #expect(row.contains("path:\"/var/log/app.log.1\""))
        #expect(row.contains("state:\"partial\""))
        #expect(row.contains("records:1"))
        #expect(row.contains("rejects:0"))
        #expect(row.contains("head_length:400"))
        #expect(try store.checkpointPosition(sourceID: source)! == (200, 3))
        #expect(try !store.completedSource(fingerprint: "sz400-b", size: 400))
    }

    @Test("the checkpoint line is committed with the offset, and kept when a progress does not say")
    func checkpointLine() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        #expect(try temporary.store.checkpointPosition(sourceID: source)! == (0, 1))
        try temporary.write(
            [.log(StoreSamples.log("one", offset: 0))], source: source,
            progress: [SourceProgress(sourceID: source, checkpointOffset: 120, checkpointLine: 4, complete: false)])
        #expect(try temporary.store.checkpointPosition(sourceID: source)! == (120, 4))
        try temporary.write(
            [], source: source, progress: [SourceProgress(sourceID: source, checkpointOffset: 130, complete: false)])
        #expect(try temporary.store.checkpointPosition(sourceID: source)! == (130, 4))
        #expect(try temporary.store.checkpointPosition(sourceID: 999) == nil)
    }

    @Test("a new database has the resume columns and the head index")
    func schema() throws {
        let temporary = try TemporaryStore()
        let columns = try temporary.store.columns(of: "sources")
        for column in ["head_hash", "head_length", "checkpoint_line"] { #expect(columns.contains(column)) }
        #expect(try temporary.store.schemaObjects().contains("sources_by_head_key"))
        #expect(try temporary.store.schemaObjects().contains("sources_unkeyed_head"))
    }

    @Test("a complete source found by fingerprint takes the path rotation gave its file")
    func completedSourceFollowsRename() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let source = try store.registerSource(path: "/var/log/app.log", fingerprint: "sz500-a", size: 500)
        #expect(try store.completedSourceID(fingerprint: "sz500-a", size: 500, seenAt: "/var/log/app.log") == nil)
        try temporary.write(
            [], source: source, progress: [SourceProgress(sourceID: source, checkpointOffset: 500, complete: true)])
        #expect(try store.completedSourceID(fingerprint: "sz500-a", size: 500, seenAt: "/var/log/app.log.1") == source)
        #expect(try temporary.dump("sources").first?.contains("path:\"/var/log/app.log.1\"") == true)
        #expect(try store.completedSourceID(fingerprint: "sz500-a", size: 501, seenAt: "/var/log/app.log.1") == nil)
    }
}

/// Finding the source a file continues costs index lookups, not a read of every source (issue #14).
@Suite struct ResumableSourceLookupTests {
    @Test("each lookup of a file's head seeks an index: by key for keyed sources, among unkeyed ones only else")
    func lookupsSeekIndexes() throws {
        let temporary = try TemporaryStore()
        let plans = try temporary.store.resumableSourcePlans()
        #expect(plans.contains { $0.contains("USING INDEX sources_by_head_key (head_key=?)") }, "\(plans)")
        #expect(plans.allSatisfy { !$0.hasPrefix("SCAN sources") && !$0.contains("sources_by_head ") }, "\(plans)")
        #expect(plans.filter { $0.contains("sources_unkeyed_head") }.count == 2, "\(plans)")
    }

    @Test("a source registered with a head key is continued by a file with the same first bytes, and only then")
    func keyedSourceFound() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        // The file's first n bytes hash to 1_000 + n.
        let head = ResumableSourceTests.head(base: 1_000, fileLength: 900)
        let keyLength = IncidentStore.headKeyLength(500)
        #expect(keyLength == 256)
        let source = try store.registerSource(
            path: "a.log", fingerprint: "f1", size: 500, headHash: 1_500, headLength: 500,
            headKey: 1_000 + Int64(keyLength))
        // Same key, other whole head: not that file.
        _ = try store.registerSource(
            path: "b.log", fingerprint: "f2", size: 400, headHash: 7, headLength: 400, headKey: 1_256)
        #expect(try store.resumableSource(size: 900, headHash: head)?.sourceID == source)
        #expect(try store.resumableSource(size: 900, excluding: [source], headHash: head) == nil)
        #expect(try store.resumableSource(size: 900, headHash: ResumableSourceTests.head(base: 5, fileLength: 900)) == nil)
    }
}
