import GRDB
import TraceJoinCore

/// A stored source that a file on disk may continue: the same first bytes, and no larger than the file.
package struct ResumableSource: Sendable, Equatable {
    package var sourceID: Int64
    /// Where the source was last seen (the file may have been renamed since).
    package var path: String
    /// Size when it was last registered.
    package var size: Int64
    /// Every record before this decompressed byte offset is stored.
    package var checkpointOffset: Int64
    /// 1-based number of the line that starts at `checkpointOffset`.
    package var checkpointLine: Int
    /// Whether it was read to the end at `size`.
    package var complete: Bool

    package init(
        sourceID: Int64, path: String, size: Int64, checkpointOffset: Int64, checkpointLine: Int, complete: Bool
    ) {
        self.sourceID = sourceID
        self.path = path
        self.size = size
        self.checkpointOffset = checkpointOffset
        self.checkpointLine = checkpointLine
        self.complete = complete
    }
}

/// Resuming sources that grew (log files appended to since the last run).
extension IncidentStore {
    /// The source a file of `size` bytes continues, if any: one whose first `head_length` bytes hash as the
    /// file's first `head_length` bytes (`headHash(head_length)`, nil when the file is shorter), no larger
    /// than the file. The largest such source wins (the most already read); sources in `excluding` (already
    /// claimed by another file of this run) are passed over.
    ///
    /// Found through `head_key` (see ``headKeyLength(_:)``): one indexed lookup of the file's key at each power
    /// of two up to its head, then each candidate's whole head is compared. Scanning every head length stored
    /// made a batch over 10,000 small files quadratic (issue #14). Sources stored before `head_key` existed are
    /// looked up by length as before, through an index that holds only them.
    ///
    /// A file smaller than its recorded size (copytruncate, or replaced) never matches: it is a new source.
    /// Pass `.max` as `size` when the file's (decompressed) size is unknown, as for a gzip backup.
    package func resumableSource(
        size: Int64, excluding: Set<Int64> = [], headHash: (_ length: Int) -> Int64?
    ) throws -> ResumableSource? {
        try pool.read { db in
            try SourceLedger(db).resumableSource(size: size, excluding: excluding, headHash: headHash)
        }
    }

    /// How many first bytes `head_key` hashes for a head of `headLength` bytes: the largest power of two no
    /// larger, so a file has one key to look up per power of two up to its own head (17 for 64 KiB).
    package static func headKeyLength(_ headLength: Int) -> Int {
        headLength <= 0 ? 0 : 1 << (Int.bitWidth - 1 - headLength.leadingZeroBitCount)
    }

    private static let resumeColumns =
        "source_id, path, size, checkpoint_offset, checkpoint_line, state, head_length, head_hash"

    static func keyedLookup(keyCount: Int) -> String {
        """
        SELECT \(resumeColumns) FROM sources
        WHERE head_key IN (\(Array(repeating: "?", count: keyCount).joined(separator: ","))) AND head_key IS NOT NULL
            AND size <= ?
        """
    }

    static let unkeyedLengths = """
        SELECT DISTINCT head_length FROM sources
        WHERE head_length > 0 AND head_key IS NULL AND head_length <= ? ORDER BY head_length
        """

    static let unkeyedLookup = """
        SELECT \(resumeColumns) FROM sources
        WHERE head_length = ? AND head_hash = ? AND head_length > 0 AND head_key IS NULL AND size <= ?
        """

    /// `EXPLAIN QUERY PLAN` of each lookup ``resumableSource(size:excluding:headHash:)`` runs, for tests: every
    /// one must seek an index, never read all of `sources`.
    package func resumableSourcePlans() throws -> [String] {
        try pool.read { db in
            try [Self.keyedLookup(keyCount: 3), Self.unkeyedLengths, Self.unkeyedLookup].flatMap { sql in
                let count = sql.filter { $0 == "?" }.count
                return try Row.fetchAll(
                    db, sql: "EXPLAIN QUERY PLAN " + sql,
                    arguments: StatementArguments(Array(repeating: 1, count: count))
                ).map { $0["detail"] as String }
            }
        }
    }

    /// Takes `sourceID` over for the file as it is now, to read it on from its checkpoint.
    ///
    /// Path, fingerprint, size and head are updated and the source is partial until read to the end (a gzip
    /// backup of it, with no head, is never continued again: it does not grow).
    /// Rows at or after the checkpoint (an unterminated last line read before the writer finished it, or a
    /// crashed run's records past its last checkpoint) are deleted, in the same transaction, and their traces
    /// marked for a new summary: reading on from the checkpoint stores them again as they are now. The
    /// checkpoint promises nothing about them, so deleting them first is safe whatever happens next. They are all
    /// unique by origin (`batch_run` NULL): a grouped batch's rows before a checkpoint that it never committed
    /// are deleted before, by ``undoUnfinishedBatches()``.
    package func reopenSource(
        _ sourceID: Int64, path: String, fingerprint: String, size: Int64, headHash: Int64?, headLength: Int,
        headKey: Int64? = nil
    ) throws {
        try pool.write { db in
            let checkpoint =
                try Int64.fetchOne(
                    db, sql: "SELECT checkpoint_offset FROM sources WHERE source_id = ?", arguments: [sourceID]) ?? 0
            try db.execute(
                sql: """
                    UPDATE traces SET dirty = 1, revision = revision + 1, updated_ns = ? WHERE trace_key IN (
                        SELECT trace_key FROM logs
                        WHERE batch_run IS NULL AND source_id = ? AND byte_offset >= ? AND trace_key IS NOT NULL)
                    """,
                arguments: [Self.now(), sourceID, checkpoint])
            try db.execute(
                sql: "DELETE FROM logs WHERE batch_run IS NULL AND source_id = ? AND byte_offset >= ?",
                arguments: [sourceID, checkpoint])
            let logsDeleted = db.changesCount
            try db.execute(
                sql: "DELETE FROM rejects WHERE source_id = ? AND byte_offset >= ?", arguments: [sourceID, checkpoint])
            let rejectsDeleted = db.changesCount
            try db.execute(
                sql: """
                    UPDATE sources SET path = ?, fingerprint = ?, size = ?, head_hash = ?, head_length = ?,
                        head_key = ?, state = 'partial', completed_ns = NULL,
                        records = max(0, records - ?), rejects = max(0, rejects - ?)
                    WHERE source_id = ?
                    """,
                arguments: [
                    path, fingerprint, size, headHash, headHash == nil ? 0 : headLength, headHash == nil ? nil : headKey,
                    logsDeleted, rejectsDeleted, sourceID,
                ])
        }
    }

    /// Records the hash of a source's first `length` bytes (decompressed), so a later file that starts with
    /// the same bytes continues it (``resumableSource(size:excluding:headHash:)``); `key` hashes the first
    /// ``headKeyLength(_:)`` bytes (nil: found only by the slower lookup by length).
    package func setHead(of sourceID: Int64, hash: Int64, length: Int, key: Int64? = nil) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE sources SET head_hash = ?, head_length = ?, head_key = ? WHERE source_id = ?",
                arguments: [hash, length, key, sourceID])
        }
    }

    /// Where a source's unread lines start: `(checkpoint_offset, checkpoint_line)`; nil for an unknown source.
    package func checkpointPosition(sourceID: Int64) throws -> (byteOffset: Int64, lineNumber: Int)? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT checkpoint_offset, checkpoint_line FROM sources WHERE source_id = ?",
                arguments: [sourceID]
            ).map { (byteOffset: $0["checkpoint_offset"], lineNumber: $0["checkpoint_line"]) }
        }
    }
    /// The complete source with this fingerprint and size, if any (see ``completedSource(fingerprint:size:)``);
    /// records `path` as where it is now when rotation renamed it, so rejects and timelines name the file that
    /// holds its lines today.
    package func completedSourceID(fingerprint: String, size: Int64, seenAt path: String) throws -> Int64? {
        try completedSourceIDs([(fingerprint, size, path)])[0]
    }

    /// ``completedSourceID(fingerprint:size:seenAt:)`` for many files: one read transaction for the lookups and
    /// at most one write for the paths (a folder of 10,000 files paid two transactions per file, issue #14).
    package func completedSourceIDs(_ files: [(fingerprint: String, size: Int64, path: String)]) throws -> [Int64?] {
        let found = try pool.read { db in
            let sources = SourceLedger(db)
            return try files.map { try sources.completedSource(fingerprint: $0.fingerprint, size: $0.size) }
        }
        let moved = zip(files, found).compactMap { file, source in
            source.flatMap { $0.path == file.path ? nil : ($0.sourceID, file.path) }
        }
        if !moved.isEmpty {
            try pool.write { db in
                for (sourceID, path) in moved {
                    try db.cachedStatement(sql: "UPDATE sources SET path = ? WHERE source_id = ?")
                        .execute(arguments: [path, sourceID])
                }
            }
        }
        return found.map { $0?.sourceID }
    }
}
