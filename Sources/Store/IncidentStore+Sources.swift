import GRDB
import TraceJoinCore

/// Sources (input files and their checkpoints) and runs.
extension IncidentStore {
    /// True when a file with this content fingerprint and size was already read to the end.
    ///
    /// Matched by fingerprint, not path, since rotation renames files between nightly runs.
    package func completedSource(fingerprint: String, size: Int64) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT 1 FROM sources WHERE fingerprint = ? AND size = ? AND state = 'complete' LIMIT 1",
                arguments: [fingerprint, size]) ?? false
        }
    }

    /// The path of every source: what a record read back names as its origin.
    package func sourcePaths() throws -> SourcePathTable {
        try pool.read { db in
            var paths: [Int64: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT source_id, path FROM sources")
            while let row = try rows.next() { paths[row[0]] = row[1] }
            return SourcePathTable(paths: paths)
        }
    }

    /// The `source_id` to tag this file's records with.
    ///
    /// A source with the same fingerprint and a size no larger than this one is the same file,
    /// renamed or grown: its row is reused (path and size updated, back to `partial` if it grew),
    /// so its checkpoint and its records' `(source_id, byte_offset)` keys still apply. Anything
    /// else gets a new row. `headHash` and `headLength` describe the file's first bytes (see
    /// ``resumableSource(size:excluding:headHash:)``); a file without them (gzip) is never resumed. `headKey`
    /// hashes its first ``headKeyLength(_:)`` bytes, to find it by (nil: found only by the slower lookup by length).
    package func registerSource(
        path: String, fingerprint: String, size: Int64, headHash: Int64? = nil, headLength: Int = 0,
        headKey: Int64? = nil
    ) throws -> Int64 {
        try registerSourceReportingNew(
            path: path, fingerprint: fingerprint, size: size, headHash: headHash, headLength: headLength,
            headKey: headKey
        ).sourceID
    }

    /// ``registerSource(path:fingerprint:size:headHash:headLength:headKey:)``, also saying whether the row is new
    /// (it then holds nothing, and needs no ``reopenSource(_:path:fingerprint:size:headHash:headLength:headKey:)``).
    package func registerSourceReportingNew(
        path: String, fingerprint: String, size: Int64, headHash: Int64?, headLength: Int, headKey: Int64?
    ) throws -> (sourceID: Int64, isNew: Bool) {
        try pool.write { db in
            try SourceLedger(db).register(
                path: path, fingerprint: fingerprint, size: size, headHash: headHash, headLength: headLength,
                headKey: headKey)
        }
    }

    /// The offset up to which a source's records are stored (0 for a new source).
    package func checkpoint(sourceID: Int64) throws -> Int64 {
        try pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT checkpoint_offset FROM sources WHERE source_id = ?", arguments: [sourceID]) ?? 0
        }
    }

    /// Records the start of a `batch`, `tail` or `serve` run.
    package func beginRun(command: String, inputs: [String], rulesDigest: String) throws -> Int64 {
        var writer = JSONWriter()
        writer.write(strings: inputs)
        let inputsJSON = writer.text
        return try pool.write { db in
            try db.execute(
                sql: "INSERT INTO runs(started_ns, command, inputs, rules_digest) VALUES (?, ?, ?, ?)",
                arguments: [Self.now(), command, inputsJSON, rulesDigest])
            return db.lastInsertedRowID
        }
    }

    /// Records the end of a run with its summary statistics (a JSON object the caller builds), then empties the
    /// write-ahead log into the file (``checkpointWholeLog()``): when `batch`, `tail` or `serve` ends, the file
    /// alone holds what it stored.
    package func finishRun(_ runID: Int64, statsJSON: String) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE runs SET finished_ns = ?, stats = ? WHERE run_id = ?",
                arguments: [Self.now(), statsJSON, runID])
        }
        try checkpointWholeLog()
    }
}
