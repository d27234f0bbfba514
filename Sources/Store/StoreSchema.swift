import GRDB

/// The database schema, as GRDB migrations; `docs/schema.md` documents every column.
///
/// Only `traces` is indexed by trace ID. Spans, events and logs carry the small integer
/// `trace_key`, handed out in arrival order, so their indexes grow at the end instead of at
/// random places: an index on a random 16-byte ID per row caps inserts near 140k rows/s.
/// There are no foreign key constraints: the single writer keeps the references whole, and a
/// constraint would cost a lookup per inserted row.
enum StoreSchema {
    /// `PRAGMA application_id` of a tracejoin database ("trjn"), to refuse other SQLite files.
    static let applicationID: Int32 = 0x7472_6A6E

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            for statement in v1 { try db.execute(sql: statement) }
        }
        migrator.registerMigration(resumeMigration) { db in
            for statement in resume { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v2") { db in
            for statement in v2 { try db.execute(sql: statement) }
        }
        migrator.registerMigration(tailMigration) { db in
            for statement in tail { try db.execute(sql: statement) }
        }
        migrator.registerMigration(outlineMigration) { db in
            for statement in outlines { try db.execute(sql: statement) }
        }
        migrator.registerMigration(liveSummaryMigration) { db in
            for statement in liveSummary { try db.execute(sql: statement) }
        }
        migrator.registerMigration(headKeyMigration) { db in
            for statement in headKeys { try db.execute(sql: statement) }
        }
        migrator.registerMigration(logRowsMigration) { db in
            for statement in logRows { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// Classification (issue #4): the rule that decided `error_class`, the entry it matched, and the
    /// problem fingerprint `incidents --group` folds traces by.
    private static let v2: [String] = [
        "ALTER TABLE traces ADD COLUMN class_rule TEXT",
        "ALTER TABLE traces ADD COLUMN class_entry TEXT",
        "ALTER TABLE traces ADD COLUMN fingerprint TEXT",
        "CREATE INDEX traces_by_fingerprint ON traces(fingerprint) WHERE fingerprint IS NOT NULL",
        // Incidents summarised before v2 have no fingerprint: the next summary pass classifies them.
        "UPDATE traces SET dirty = 1 WHERE status = 'error'",
    ]

    private static let v1: [String] = [
        """
        CREATE TABLE traces (
            trace_key INTEGER PRIMARY KEY,
            trace_hi INTEGER NOT NULL,
            trace_lo INTEGER NOT NULL,
            lower64_only INTEGER NOT NULL DEFAULT 0,
            dirty INTEGER NOT NULL DEFAULT 1,
            revision INTEGER NOT NULL DEFAULT 1,
            start_ns INTEGER,
            end_ns INTEGER,
            status TEXT,
            sampled INTEGER,
            span_count INTEGER,
            log_count INTEGER,
            event_count INTEGER,
            services TEXT,
            error_class TEXT,
            root_service TEXT,
            root_span_id INTEGER,
            root_name TEXT,
            root_message TEXT,
            first_seen_ns INTEGER NOT NULL,
            updated_ns INTEGER NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX traces_by_id ON traces(trace_lo, trace_hi, lower64_only)",
        "CREATE INDEX traces_by_status ON traces(status, start_ns)",
        "CREATE INDEX traces_dirty ON traces(trace_key) WHERE dirty = 1",
        """
        CREATE TABLE resources (
            resource_id INTEGER PRIMARY KEY,
            attributes TEXT NOT NULL UNIQUE
        )
        """,
        """
        CREATE TABLE spans (
            trace_key INTEGER NOT NULL,
            span_id INTEGER NOT NULL,
            shared INTEGER NOT NULL,
            parent_span_id INTEGER,
            service TEXT NOT NULL,
            name TEXT NOT NULL,
            kind INTEGER NOT NULL,
            start_ns INTEGER NOT NULL,
            end_ns INTEGER NOT NULL,
            status INTEGER NOT NULL,
            status_message TEXT,
            attributes TEXT,
            resource_id INTEGER,
            scope TEXT,
            links TEXT,
            flags INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            line INTEGER NOT NULL,
            byte_offset INTEGER NOT NULL,
            ordinal INTEGER NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX spans_by_trace ON spans(trace_key, span_id, shared)",
        """
        CREATE TABLE span_events (
            trace_key INTEGER NOT NULL,
            span_id INTEGER NOT NULL,
            shared INTEGER NOT NULL,
            time_ns INTEGER NOT NULL,
            name TEXT NOT NULL,
            attributes TEXT
        )
        """,
        "CREATE INDEX span_events_by_trace ON span_events(trace_key)",
        """
        CREATE TABLE logs (
            trace_key INTEGER,
            span_id INTEGER,
            time_ns INTEGER,
            severity INTEGER NOT NULL,
            severity_text TEXT NOT NULL,
            message TEXT NOT NULL,
            service TEXT NOT NULL,
            service_from_file INTEGER NOT NULL,
            sampled INTEGER,
            attributes TEXT,
            source_id INTEGER NOT NULL,
            line INTEGER NOT NULL,
            byte_offset INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            PRIMARY KEY (source_id, byte_offset, ordinal)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX logs_by_trace ON logs(trace_key) WHERE trace_key IS NOT NULL",
        "CREATE INDEX logs_uncorrelated ON logs(service, time_ns) WHERE trace_key IS NULL",
        "CREATE INDEX logs_uncorrelated_by_time ON logs(time_ns) WHERE trace_key IS NULL",
        """
        CREATE TABLE sources (
            source_id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            size INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'partial' CHECK (state IN ('partial', 'complete')),
            checkpoint_offset INTEGER NOT NULL DEFAULT 0,
            records INTEGER NOT NULL DEFAULT 0,
            rejects INTEGER NOT NULL DEFAULT 0,
            first_seen_ns INTEGER NOT NULL,
            completed_ns INTEGER
        )
        """,
        "CREATE INDEX sources_by_fingerprint ON sources(fingerprint, size)",
        """
        CREATE TABLE rejects (
            source_id INTEGER NOT NULL,
            line INTEGER NOT NULL,
            byte_offset INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            reason TEXT NOT NULL,
            raw TEXT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX rejects_by_origin ON rejects(source_id, byte_offset, ordinal)",
        """
        CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY,
            started_ns INTEGER NOT NULL,
            finished_ns INTEGER,
            command TEXT NOT NULL,
            inputs TEXT NOT NULL,
            rules_digest TEXT NOT NULL,
            stats TEXT
        )
        """,
    ]
}
