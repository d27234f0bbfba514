import GRDB
import TraceJoinCore

/// The `sources` table seen through one transaction: the lookups and registrations a run makes for each input
/// file, so that many files can share a transaction (``IncidentStore/withSources(_:)``).
///
/// Alone, each file paid a read transaction for its lookup and a write transaction for its row (a commit and
/// about 50 KB of WAL for a row of 100 bytes): `batch` over 10,000 tiny files spent most of its time there
/// (issue #14).
package struct SourceLedger {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// See ``IncidentStore/resumableSource(size:excluding:headHash:)``.
    package func resumableSource(
        size: Int64, excluding: Set<Int64> = [], headHash: (_ length: Int) -> Int64?
    ) throws -> ResumableSource? {
        var keys: [Int64] = []
        var keyLength = 1
        while let key = headHash(keyLength) {
            keys.append(key)
            keyLength <<= 1
        }
        var candidates: [Row] = []
        if !keys.isEmpty {
            candidates = try Row.fetchAll(
                db.cachedStatement(sql: IncidentStore.keyedLookup(keyCount: keys.count)),
                arguments: StatementArguments(keys + [size]))
        }
        candidates += try unkeyedCandidates(size: size, headHash: headHash)
        var best: ResumableSource?
        for row in candidates.sorted(by: { ($0["head_length"] as Int) < ($1["head_length"] as Int) }) {
            let sourceID: Int64 = row["source_id"]
            guard !excluding.contains(sourceID), headHash(row["head_length"]) == row["head_hash"] else { continue }
            let candidate = ResumableSource(
                sourceID: sourceID, path: row["path"], size: row["size"],
                checkpointOffset: row["checkpoint_offset"], checkpointLine: row["checkpoint_line"],
                complete: (row["state"] as String) == "complete")
            if best.map({ ($0.size, $0.sourceID) < (candidate.size, candidate.sourceID) }) ?? true {
                best = candidate
            }
        }
        return best
    }

    /// Sources whose head was stored without a key (before migration `v6-head-keys`, or by a caller that gave
    /// none) and which may match: one lookup per distinct head length, as before keys.
    private func unkeyedCandidates(size: Int64, headHash: (_ length: Int) -> Int64?) throws -> [Row] {
        let lengths = try Int.fetchAll(db.cachedStatement(sql: IncidentStore.unkeyedLengths), arguments: [size])
        var rows: [Row] = []
        for length in lengths {
            guard let hash = headHash(length) else { break }
            rows += try Row.fetchAll(
                db.cachedStatement(sql: IncidentStore.unkeyedLookup), arguments: [length, hash, size])
        }
        return rows
    }

    /// The complete source with this fingerprint and size, and where it was last seen.
    func completedSource(fingerprint: String, size: Int64) throws -> (sourceID: Int64, path: String)? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT source_id, path FROM sources WHERE fingerprint = ? AND size = ? AND state = 'complete'
                    ORDER BY source_id DESC LIMIT 1
                    """),
            arguments: [fingerprint, size]
        ).map { (sourceID: $0["source_id"], path: $0["path"]) }
    }

    /// See ``IncidentStore/registerSourceReportingNew(path:fingerprint:size:headHash:headLength:headKey:)``;
    /// needs a write transaction.
    package func register(
        path: String, fingerprint: String, size: Int64, headHash: Int64?, headLength: Int, headKey: Int64?
    ) throws -> (sourceID: Int64, isNew: Bool) {
        if let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT source_id, size FROM sources WHERE fingerprint = ? AND size <= ?
                    ORDER BY size DESC, source_id DESC LIMIT 1
                    """),
            arguments: [fingerprint, size])
        {
            let sourceID: Int64 = row["source_id"]
            let oldSize: Int64 = row["size"]
            try db.cachedStatement(
                sql: """
                    UPDATE sources SET path = ?, size = ?,
                        state = CASE WHEN ? THEN 'partial' ELSE state END,
                        completed_ns = CASE WHEN ? THEN NULL ELSE completed_ns END,
                        head_key = CASE WHEN ? IS NULL THEN head_key ELSE ? END,
                        head_hash = coalesce(?, head_hash), head_length = max(?, head_length)
                    WHERE source_id = ?
                    """
            ).execute(
                arguments: [
                    path, size, oldSize != size, oldSize != size, headHash, headKey, headHash, headLength, sourceID,
                ])
            return (sourceID, false)
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO sources(path, fingerprint, size, first_seen_ns, head_hash, head_length, head_key)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                path, fingerprint, size, IncidentStore.now(), headHash, headHash == nil ? 0 : headLength,
                headHash == nil ? nil : headKey,
            ])
        return (db.lastInsertedRowID, true)
    }
}

extension IncidentStore {
    /// Runs `body` with the sources in one write transaction: the lookups and registrations of many files
    /// committed once.
    package func withSources<T>(_ body: (SourceLedger) throws -> T) throws -> T {
        try pool.write { db in try body(SourceLedger(db)) }
    }

    /// Runs `body` with the sources in one read transaction, for lookups only.
    package func readingSources<T>(_ body: (SourceLedger) throws -> T) throws -> T {
        try pool.read { db in try body(SourceLedger(db)) }
    }
}
