import Foundation
import GRDB
import GRDBSQLite
package import TraceJoinCore

/// Everything stored for one trace, as the summary pass needs it.
package struct StoredTrace: Sendable {
    package var traceKey: Int64
    package var traceID: TraceID
    package var spans: [SpanRecord]
    package var logs: [LogRecord]
}

/// Reading many traces at once for the summary pass.
///
/// Range scans per table over runs of nearby trace keys, instead of four queries per trace: trace
/// keys are handed out in arrival order and every table is indexed by `trace_key`, so a run of
/// wanted keys is a short contiguous stretch of each index. Rows of keys in a run that are not wanted
/// are skipped before anything is decoded.
extension IncidentStore {
    /// The spans (with events, links, resources) and logs of each of `traceKeys`, in key order.
    /// Keys that no longer exist (merged away) are skipped.
    ///
    /// With `errorLogAttributesOnly`, logs below error severity come without their attributes: the
    /// summary pass needs attributes only where a failure may be explained, and decoding every log's
    /// attribute JSON was most of its cost.
    package func records(traceKeys: [Int64], errorLogAttributesOnly: Bool = false) throws -> [StoredTrace] {
        let keys = traceKeys.sorted()
        guard !keys.isEmpty else { return [] }
        let wanted = Set(keys)
        return try pool.read { db in
            var traces: [Int64: StoredTrace] = [:]
            var paths = SourcePaths()
            for run in Self.keyRuns(keys) {
                try readRun(
                    db, run, wanted: wanted, errorLogAttributesOnly: errorLogAttributesOnly, paths: &paths,
                    into: &traces)
            }
            return keys.compactMap { traces[$0] }
        }
    }

    /// Largest gap between two wanted keys that one range scan still covers. Traces that need a full
    /// read (spans, or an error) are often a tenth of a chunk or fewer; scanning the whole chunk for them
    /// read every log row of the plain traces in between.
    static let runGap: Int64 = 8

    /// Sorted keys cut into ranges whose wanted keys are at most ``runGap`` apart.
    static func keyRuns(_ sortedKeys: [Int64]) -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        guard var low = sortedKeys.first else { return runs }
        var high = low
        for key in sortedKeys.dropFirst() {
            if key - high > runGap {
                runs.append(low...high)
                low = key
            }
            high = key
        }
        runs.append(low...high)
        return runs
    }

    /// The traces, spans (with events and resources) and logs of the wanted keys in `run`, added to `traces`.
    private func readRun(
        _ db: Database, _ run: ClosedRange<Int64>, wanted: Set<Int64>, errorLogAttributesOnly: Bool,
        paths: inout SourcePaths, into traces: inout [Int64: StoredTrace]
    ) throws {
        let (low, high) = (run.lowerBound, run.upperBound)
        var lower64Only: Set<Int64> = []
        let traceRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT trace_key, trace_hi, trace_lo, lower64_only, revision FROM traces
                    WHERE trace_key BETWEEN ? AND ?
                    """),
            arguments: [low, high])
        while let row = try traceRows.next() {
            let key: Int64 = row[0]
            guard wanted.contains(key) else { continue }
            let traceID = TraceID(high: UInt64(bitPattern: row[1] as Int64), low: UInt64(bitPattern: row[2] as Int64))
            if row[3] as Bool { lower64Only.insert(key) }
            state.rememberRevision(row[4], of: key)
            traces[key] = StoredTrace(traceKey: key, traceID: traceID, spans: [], logs: [])
        }

        let events = try Self.events(db, from: low, through: high, wanted: wanted)
        var resources: [Int64: [Attribute]] = [:]
        let spanRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT s.trace_key, s.span_id, s.shared, s.parent_span_id, s.service, s.name, s.kind, s.start_ns,
                        s.end_ns, s.status, s.status_message, s.attributes, s.resource_id, r.attributes, s.scope,
                        s.links, s.flags, s.source_id, s.line, s.byte_offset, s.ordinal
                    FROM spans s LEFT JOIN resources r ON r.resource_id = s.resource_id
                    WHERE s.trace_key BETWEEN ? AND ?
                    ORDER BY s.trace_key, s.start_ns, s.span_id, s.shared
                    """),
            arguments: [low, high])
        while let row = try spanRows.next() {
            let key: Int64 = row[0]
            guard let traceID = traces[key]?.traceID else { continue }
            let spanID = SpanID(UInt64(bitPattern: row[1] as Int64))
            let shared: Bool = row[2]
            var resource: [Attribute] = []
            if let resourceID = row[12] as Int64? {
                if let cached = resources[resourceID] {
                    resource = cached
                } else {
                    resource = AttributeJSON.decode(row[13])
                    resources[resourceID] = resource
                }
            }
            let span = SpanRecord(
                traceID: traceID, spanID: spanID,
                parentSpanID: (row[3] as Int64?).map { SpanID(UInt64(bitPattern: $0)) },
                service: row[4], name: row[5], kind: SpanKind(rawValue: row[6]) ?? .unspecified,
                startTime: row[7], endTime: row[8], status: SpanStatus(rawValue: row[9]) ?? .unset,
                statusMessage: row[10] ?? "", attributes: AttributeJSON.decode(row[11]), resource: resource,
                scope: row[14] ?? "", events: events[BulkEventOwner(traceKey: key, spanID: spanID, shared: shared)] ?? [],
                links: AttributeJSON.decodeLinks(row[15]), flags: UInt32(truncatingIfNeeded: row[16] as Int64),
                isSharedServerHalf: shared,
                origin: try paths.location(
                    db, sourceID: row[17], line: row[18], byteOffset: row[19], ordinal: row[20]))
            traces[key]?.spans.append(span)
        }

        try Self.readLogs(
            db, from: low, through: high, wanted: wanted, errorLogAttributesOnly: errorLogAttributesOnly, paths: &paths
        ) { key, log in
            guard let traceID = traces[key]?.traceID else { return }
            log.trace = lower64Only.contains(key) ? .lower64(traceID.low) : .full(traceID)
            traces[key]?.logs.append(log)
        }
    }

    /// The logs of a key range in index order (within a trace, the order they were stored in; the
    /// assembler orders by time), read through the SQLite C API since logs are most of the rows.
    private static func readLogs(
        _ db: Database, from low: Int64, through high: Int64, wanted: Set<Int64>, errorLogAttributesOnly: Bool,
        paths: inout SourcePaths, _ body: (Int64, inout LogRecord) -> Void
    ) throws {
        let statement = try db.cachedStatement(
            sql: """
                SELECT trace_key, \(errorLogAttributesOnly ? errorOnlyLogColumns : logColumns)
                FROM logs WHERE trace_key BETWEEN ? AND ?
                ORDER BY trace_key
                """)
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, low)
        sqlite3_bind_int64(handle, 2, high)
        defer { sqlite3_reset(handle) }
        func text(_ column: Int32) -> String? {
            guard let pointer = sqlite3_column_text(handle, column) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
        }
        func integer(_ column: Int32) -> Int64? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw StoreError(path: "", message: "reading logs failed: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
            let key = sqlite3_column_int64(handle, 0)
            guard wanted.contains(key) else { continue }
            // Columns: trace_key, then `logColumns` in order.
            var log = LogRecord(
                time: integer(2), severity: LogSeverity(rawValue: Int(sqlite3_column_int64(handle, 3))) ?? .unspecified,
                severityText: text(4) ?? "", message: text(5) ?? "", service: text(6) ?? "",
                serviceFromFileName: sqlite3_column_int64(handle, 7) != 0, trace: nil,
                spanID: integer(1).map { SpanID(UInt64(bitPattern: $0)) },
                sampled: integer(8).map { $0 != 0 }, attributes: AttributeJSON.decode(text(9)),
                origin: try paths.location(
                    db, sourceID: sqlite3_column_int64(handle, 10), line: Int(sqlite3_column_int64(handle, 11)),
                    byteOffset: sqlite3_column_int64(handle, 12), ordinal: Int(sqlite3_column_int64(handle, 13))))
            body(key, &log)
        }
    }

    private static func events(_ db: Database, from low: Int64, through high: Int64, wanted: Set<Int64>) throws
        -> [BulkEventOwner: [SpanEvent]]
    {
        var events: [BulkEventOwner: [SpanEvent]] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT trace_key, span_id, shared, time_ns, name, attributes FROM span_events
                    WHERE trace_key BETWEEN ? AND ? ORDER BY rowid
                    """),
            arguments: [low, high])
        while let row = try rows.next() {
            let key: Int64 = row[0]
            guard wanted.contains(key) else { continue }
            let owner = BulkEventOwner(traceKey: key, spanID: SpanID(UInt64(bitPattern: row[1] as Int64)), shared: row[2])
            events[owner, default: []].append(
                SpanEvent(time: row[3], name: row[4], attributes: AttributeJSON.decode(row[5])))
        }
        return events
    }
}

extension IncidentStore {
    /// `logColumns` with the attributes of logs below error severity left out (NULL).
    static let errorOnlyLogColumns = logColumns.replacingOccurrences(
        of: "sampled, attributes,",
        with: "sampled, CASE WHEN severity >= \(LogSeverity.error.rawValue) THEN attributes END,")
}

/// A span as its events name it, within a chunk of traces.
private struct BulkEventOwner: Hashable {
    var traceKey: Int64
    var spanID: SpanID
    var shared: Bool
}
