import GRDB

/// A followed file's checkpoint as stored in `tail_checkpoints` (see docs/schema.md).
///
/// Plain integers rather than Ingest's `TailCheckpoint`, since Store does not depend on Ingest.
package struct StoredTailCheckpoint: Hashable, Sendable {
    package var device: UInt64
    package var inode: UInt64
    package var headLength: Int
    package var headHash: UInt64
    package var path: String
    /// The `sources` row its records carry; nil while no line of it was read.
    package var sourceID: Int64?
    package var byteOffset: Int64
    package var lineNumber: Int

    package init(
        device: UInt64, inode: UInt64, headLength: Int, headHash: UInt64, path: String, sourceID: Int64?,
        byteOffset: Int64, lineNumber: Int
    ) {
        self.device = device
        self.inode = inode
        self.headLength = headLength
        self.headHash = headHash
        self.path = path
        self.sourceID = sourceID
        self.byteOffset = byteOffset
        self.lineNumber = lineNumber
    }
}

/// A followed file as `tail_checkpoints` keys it: device + inode.
package struct StoredTailFile: Hashable, Sendable {
    package var device: UInt64
    package var inode: UInt64

    package init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

extension StoredTailCheckpoint {
    package var file: StoredTailFile { StoredTailFile(device: device, inode: inode) }
}

extension IncidentStore {
    /// Every stored tail checkpoint, oldest update first (a restore takes the last one for a file).
    package func tailCheckpoints() throws -> [StoredTailCheckpoint] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tail_checkpoints ORDER BY updated_ns").map { row in
                StoredTailCheckpoint(
                    device: UInt64(bitPattern: row["device"]), inode: UInt64(bitPattern: row["inode"]),
                    headLength: row["head_length"], headHash: UInt64(bitPattern: row["head_hash"]),
                    path: row["path"], sourceID: row["source_id"], byteOffset: row["byte_offset"],
                    lineNumber: row["line"])
            }
        }
    }

    /// A new `sources` row for a followed file's content (never resumed by `batch`: `head_length` 0).
    package func registerTailSource(path: String, device: UInt64, inode: UInt64) throws -> Int64 {
        try pool.write { db in
            let now = Self.now()
            try db.execute(
                sql: "INSERT INTO sources(path, fingerprint, size, first_seen_ns) VALUES (?, ?, 0, ?)",
                arguments: [path, "tail:\(device):\(inode):\(now)", now])
            return db.lastInsertedRowID
        }
    }
}

extension IngestWriter {
    /// Upserts tail checkpoints inside the writer's transaction.
    static func save(_ checkpoints: [StoredTailCheckpoint], _ db: Database, now: Int64) throws {
        guard !checkpoints.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO tail_checkpoints
                    (device, inode, head_length, head_hash, path, source_id, byte_offset, line, updated_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(device, inode) DO UPDATE SET head_length = excluded.head_length,
                    head_hash = excluded.head_hash, path = excluded.path, source_id = excluded.source_id,
                    byte_offset = excluded.byte_offset, line = excluded.line, updated_ns = excluded.updated_ns
                """)
        for checkpoint in checkpoints {
            try statement.execute(arguments: [
                Int64(bitPattern: checkpoint.device), Int64(bitPattern: checkpoint.inode), checkpoint.headLength,
                Int64(bitPattern: checkpoint.headHash), checkpoint.path, checkpoint.sourceID, checkpoint.byteOffset,
                checkpoint.lineNumber, now,
            ])
        }
    }

    /// Deletes the checkpoints of files the tailer no longer remembers, inside the writer's transaction: a file
    /// it forgot cannot be resumed, and keeping its row would grow the table by one row per rotation forever.
    static func forget(_ files: [StoredTailFile], _ db: Database) throws {
        guard !files.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "DELETE FROM tail_checkpoints WHERE device = ? AND inode = ?")
        for file in files {
            try statement.execute(arguments: [Int64(bitPattern: file.device), Int64(bitPattern: file.inode)])
        }
    }
}
