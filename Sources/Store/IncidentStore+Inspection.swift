import GRDB

/// Schema and row inspection, for tests and `docs/schema.md` checks.
extension IncidentStore {
    /// The tables tracejoin creates.
    package static let tableNames = [
        "traces", "resources", "spans", "span_events", "logs", "sources", "rejects", "runs",
    ]

    /// Names of the tables and indexes present in the file.
    package func schemaObjects() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type DESC, name")
        }
    }

    /// The columns of one of tracejoin's tables, in order.
    package func columns(of table: String) throws -> [String] {
        guard Self.tableNames.contains(table) else { return [] }
        return try pool.read { db in try db.columns(in: table).map(\.name) }
    }

    /// Every row of one of tracejoin's tables as text, in insertion order.
    ///
    /// For tests: it shows stored values, so it is never used in messages.
    package func debugRows(_ table: String) throws -> [String] {
        guard Self.tableNames.contains(table) else { return [] }
        return try pool.read { db in
            // A log's `log_id` is the order it was written in, which grouping by trace decides, and `batch_run` the
            // run that wrote it: logs are listed by where each record came from, without either.
            let sql =
                table == "logs"
                ? "SELECT trace_key, \(Self.logColumns) FROM logs ORDER BY source_id, byte_offset, ordinal"
                : "SELECT * FROM \(table) ORDER BY rowid"
            return try Row.fetchAll(db, sql: sql).map(\.description)
        }
    }

    /// The value of a pragma on a connection of this store (`journal_mode`, `secure_delete`, …).
    package func pragma(_ name: String) throws -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        return try pool.write { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }
}
