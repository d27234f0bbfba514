import GRDB
package import TraceJoinCore

/// One finished ingest run, as `report` reads it back.
package struct StoredRun: Sendable {
    package var runID: Int64
    package var startedNanos: Int64
    package var command: String
    package var rulesDigest: String
    /// The statistics object the pipeline wrote at the end of the run, parsed.
    package var stats: JSONValue
}

extension IncidentStore {
    /// Every finished run, oldest first.
    package func finishedRuns() throws -> [StoredRun] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, started_ns, command, rules_digest, stats FROM runs
                    WHERE stats IS NOT NULL ORDER BY run_id
                    """
            ).map { row in
                StoredRun(
                    runID: row[0], startedNanos: row[1], command: row[2], rulesDigest: row[3],
                    stats: (try? JSONParser.parse(row[4] as String)) ?? .null)
            }
        }
    }
}
