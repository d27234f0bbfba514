import GRDB
package import TraceJoinCore

/// Read-only queries behind `show`, `incidents` and the run summary.
extension IncidentStore {
    /// The traces a reference names, best match first.
    ///
    /// - `.full(id)`: the trace with exactly this ID. When there is none, a provisional
    ///   (Datadog-only) trace with the same lower half; and for a 64-bit ID (upper half zero),
    ///   every trace with that lower half, since users paste the lower half of 128-bit IDs too.
    /// - `.lower64(low)`: every trace with that lower half, full ones first.
    package func traceKeys(for reference: TraceReference) throws -> [Int64] {
        try pool.read { db in
            switch reference {
            case .full(let id):
                let exact = try Int64.fetchAll(
                    db,
                    sql: "SELECT trace_key FROM traces WHERE trace_lo = ? AND trace_hi = ? AND lower64_only = 0",
                    arguments: [Int64(bitPattern: id.low), Int64(bitPattern: id.high)])
                if !exact.isEmpty { return exact }
                let sameLower = try Self.traceKeys(db, low: id.low)
                if id.high == 0 { return sameLower }
                return try Int64.fetchAll(
                    db, sql: "SELECT trace_key FROM traces WHERE trace_lo = ? AND lower64_only = 1",
                    arguments: [Int64(bitPattern: id.low)])
            case .lower64(let low):
                return try Self.traceKeys(db, low: low)
            }
        }
    }

    private static func traceKeys(_ db: Database, low: UInt64) throws -> [Int64] {
        try Int64.fetchAll(
            db, sql: "SELECT trace_key FROM traces WHERE trace_lo = ? ORDER BY lower64_only, trace_key",
            arguments: [Int64(bitPattern: low)])
    }

    /// The saved summary of a trace; nil when there is no such trace or its summary is not computed yet.
    package func summary(traceKey: Int64) throws -> TraceSummary? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.summaryColumns) FROM traces WHERE trace_key = ? AND status IS NOT NULL",
                arguments: [traceKey]
            ).map(Self.summary)
        }
    }

    /// Traces with status error, newest first.
    package func incidents(_ filter: IncidentFilter) throws -> [TraceSummary] {
        let (conditions, filterArguments) = Self.incidentConditions(filter, alias: "traces")
        var arguments = filterArguments
        var sql = "SELECT \(Self.summaryColumns) FROM traces WHERE \(conditions)"
        sql += " ORDER BY start_ns DESC, trace_key DESC"
        if let limit = filter.limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.summary)
        }
    }

    /// Logs without trace context, in time order; `until` is exclusive.
    package func uncorrelatedLogs(service: String?, since: Int64?, until: Int64?, limit: Int) throws -> [LogRecord] {
        var sql = "SELECT \(Self.logColumns) FROM logs WHERE trace_key IS NULL"
        var arguments = StatementArguments()
        if let service {
            sql += " AND service = ?"
            arguments += [service]
        }
        if let since {
            sql += " AND time_ns >= ?"
            arguments += [since]
        }
        if let until {
            sql += " AND time_ns < ?"
            arguments += [until]
        }
        sql += " ORDER BY time_ns, source_id, byte_offset, ordinal LIMIT ?"
        arguments += [limit]
        return try pool.read { db in
            var paths = SourcePaths()
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                try Self.log(row, trace: nil, db: db, paths: &paths)
            }
        }
    }

    /// Stored rejects, in the order they were read.
    package func rejects(limit: Int) throws -> [StoredReject] {
        try pool.read { db in
            var paths = SourcePaths()
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT source_id, line, byte_offset, ordinal, reason, raw FROM rejects
                    ORDER BY source_id, byte_offset, ordinal LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                StoredReject(
                    location: try paths.location(
                        db, sourceID: row[0], line: row[1], byteOffset: row[2], ordinal: row[3]),
                    reason: row[4], raw: row[5])
            }
        }
    }

    /// Row counts of every table (for tests and `report`); reads every log row's key, so it takes time in
    /// proportion to the whole database.
    package func counts() throws -> StoreCounts {
        var counts = try summaryCounts()
        try pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM spans), (SELECT count(*) FROM span_events), (SELECT count(*) FROM logs),
                        (SELECT count(*) FROM rejects), (SELECT count(*) FROM sources)
                    """)!
            counts.spans = row[0]
            counts.spanEvents = row[1]
            counts.logs = row[2]
            counts.rejects = row[3]
            counts.sources = row[4]
        }
        return counts
    }

    /// What `batch` reports after a run (traces, incidents, unsampled traces, logs without trace context; the
    /// other counts stay 0), from the `traces` table and the uncorrelated logs' index. Not `counts()`: counting
    /// `logs` reads the whole table, every night the file holds, at the end of each run.
    package func summaryCounts() throws -> StoreCounts {
        try pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                        (SELECT count(*) FROM traces),
                        (SELECT count(*) FROM traces WHERE status = 'error'),
                        (SELECT count(*) FROM traces WHERE sampled = 0),
                        (SELECT count(*) FROM logs WHERE trace_key IS NULL)
                    """)!
            var counts = StoreCounts()
            counts.traces = row[0]
            counts.incidents = row[1]
            counts.unsampled = row[2]
            counts.uncorrelatedLogs = row[3]
            return counts
        }
    }

    // MARK: - Summaries

    /// Texts that carry input (a service name) are read as blobs: GRDB reads a TEXT value up to its first
    /// NUL (`String(cString:)`), a blob by its length, and a name may hold U+0000.
    static let summaryColumns = """
        trace_hi, trace_lo, services, start_ns, end_ns, status, sampled, span_count, log_count, event_count,
        error_class, CAST(root_service AS BLOB), root_span_id, CAST(root_name AS BLOB), CAST(root_message AS BLOB)
        """

    static func summary(_ row: Row) -> TraceSummary {
        let traceID = TraceID(high: UInt64(bitPattern: row[0] as Int64), low: UInt64(bitPattern: row[1] as Int64))
        var services: [String] = []
        if let text = row[2] as String?, let json = try? JSONParser.parse(text), let array = json.array {
            services = array.compactMap(\.string)
        }
        var rootCause: RootCause?
        if let service = row[11] as String? {
            rootCause = RootCause(
                service: service, spanID: (row[12] as Int64?).map { SpanID(UInt64(bitPattern: $0)) },
                name: row[13] ?? "", message: row[14] ?? "")
        }
        return TraceSummary(
            traceID: traceID, services: services, start: row[3] ?? 0, end: row[4] ?? 0,
            isError: (row[5] as String?) == "error", sampled: row[6] ?? true, spanCount: row[7] ?? 0,
            logCount: row[8] ?? 0, eventCount: row[9] ?? 0, errorClass: row[10], rootCause: rootCause)
    }
}
