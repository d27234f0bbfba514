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

/// How much of each record ``IncidentStore/records(traceKeys:detail:)`` reads.
package enum RecordDetail: Sendable {
    /// Everything stored.
    case full
    /// Everything but the attributes of logs below error severity: what summarising and classifying a
    /// failed trace needs (attributes explain a failure; decoding every log's attribute JSON was most of
    /// the summary pass's cost).
    case errorLogAttributes
    /// What the summary of a trace that did not fail needs: IDs, parents, services, kinds, times,
    /// statuses and flags of spans; their events whole (an exception event makes a trace fail); span IDs,
    /// times, severities and services of logs. Names, messages, attributes, resources, scopes and links
    /// come back empty, and origins without their path. Whether the trace failed is the same as from
    /// a full read; anything beyond its summary is not.
    case summary
}

/// Reading many traces at once for the summary pass.
///
/// Range scans per table over runs of nearby trace keys, instead of four queries per trace: trace
/// keys are handed out in arrival order and every table is indexed by `trace_key`, so a run of
/// wanted keys is a short contiguous stretch of each index. Rows of keys in a run that are not wanted
/// are skipped before anything is decoded.
extension IncidentStore {
    /// The spans (with events, links, resources) and logs of each of `traceKeys`, in key order, with the
    /// parts `detail` asks for. Keys that no longer exist (merged away) are skipped.
    package func records(traceKeys: [Int64], detail: RecordDetail = .full) throws -> [StoredTrace] {
        let keys = traceKeys.sorted()
        guard !keys.isEmpty else { return [] }
        let wanted = Set(keys)
        return try pool.read { db in
            var traces: [Int64: StoredTrace] = [:]
            var paths = SourcePaths()
            for run in Self.keyRuns(keys) {
                try readRun(db, run, wanted: wanted, detail: detail, paths: &paths, into: &traces)
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
        _ db: Database, _ run: ClosedRange<Int64>, wanted: Set<Int64>, detail: RecordDetail,
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
        try readSpans(db, from: low, through: high, detail: detail, events: events, paths: &paths, into: &traces)
        try Self.readLogs(
            db, from: low, through: high, wanted: wanted, detail: detail, databasePath: path, paths: &paths
        ) { key, log in
            guard let traceID = traces[key]?.traceID else { return }
            log.trace = lower64Only.contains(key) ? .lower64(traceID.low) : .full(traceID)
            traces[key]?.logs.append(log)
        }
    }

    /// The spans of a key range, each added to its trace in `traces` (rows of other traces are skipped).
    private func readSpans(
        _ db: Database, from low: Int64, through high: Int64, detail: RecordDetail,
        events: [BulkEventOwner: [SpanEvent]], paths: inout SourcePaths, into traces: inout [Int64: StoredTrace]
    ) throws {
        let statement = try db.cachedStatement(
            sql: detail == .summary
                ? """
                SELECT trace_key, span_id, shared, parent_span_id, service, NULL, kind, start_ns, end_ns, status, NULL,
                    NULL, NULL, NULL, NULL, NULL, flags, source_id, line, byte_offset, ordinal
                FROM spans WHERE trace_key BETWEEN ? AND ?
                ORDER BY trace_key, start_ns, span_id, shared
                """
                : """
                SELECT s.trace_key, s.span_id, s.shared, s.parent_span_id, s.service, s.name, s.kind, s.start_ns,
                    s.end_ns, s.status, s.status_message, s.attributes, s.resource_id, r.attributes, s.scope,
                    s.links, s.flags, s.source_id, s.line, s.byte_offset, s.ordinal
                FROM spans s LEFT JOIN resources r ON r.resource_id = s.resource_id
                WHERE s.trace_key BETWEEN ? AND ?
                ORDER BY s.trace_key, s.start_ns, s.span_id, s.shared
                """)
        let columns = ColumnReader(statement, from: low, through: high, path: path, table: "spans")
        defer { columns.reset() }
        var resources: [Int64: [Attribute]] = [:]
        let withPaths = detail != .summary
        while try columns.step() {
            let key = columns.int(0)
            guard let traceID = traces[key]?.traceID else { continue }
            let spanID = SpanID(UInt64(bitPattern: columns.int(1)))
            let shared = columns.int(2) != 0
            var resource: [Attribute] = []
            if let resourceID = columns.integer(12) {
                if let cached = resources[resourceID] {
                    resource = cached
                } else {
                    resource = AttributeJSON.decode(columns.text(13))
                    resources[resourceID] = resource
                }
            }
            let line = Int(columns.int(18)), byteOffset = columns.int(19), ordinal = Int(columns.int(20))
            let span = SpanRecord(
                traceID: traceID, spanID: spanID,
                parentSpanID: columns.integer(3).map { SpanID(UInt64(bitPattern: $0)) },
                service: columns.text(4) ?? "", name: columns.text(5) ?? "",
                kind: SpanKind(rawValue: Int(columns.int(6))) ?? .unspecified,
                startTime: columns.int(7), endTime: columns.int(8),
                status: SpanStatus(rawValue: Int(columns.int(9))) ?? .unset, statusMessage: columns.text(10) ?? "",
                attributes: AttributeJSON.decode(columns.text(11)), resource: resource, scope: columns.text(14) ?? "",
                events: events[BulkEventOwner(traceKey: key, spanID: spanID, shared: shared)] ?? [],
                links: AttributeJSON.decodeLinks(columns.text(15)), flags: UInt32(truncatingIfNeeded: columns.int(16)),
                isSharedServerHalf: shared,
                origin: withPaths
                    ? try paths.location(db, sourceID: columns.int(17), line: line, byteOffset: byteOffset, ordinal: ordinal)
                    : InputLocation(source: "", line: line, byteOffset: byteOffset, ordinal: ordinal))
            traces[key]?.spans.append(span)
        }
    }

    /// The logs of a key range in index order (within a trace, the order they were stored in; the
    /// assembler orders by time), read through the SQLite C API since logs are most of the rows.
    private static func readLogs(
        _ db: Database, from low: Int64, through high: Int64, wanted: Set<Int64>, detail: RecordDetail,
        databasePath: String, paths: inout SourcePaths, _ body: (Int64, inout LogRecord) -> Void
    ) throws {
        let columnList =
            switch detail {
            case .full: logColumns
            case .errorLogAttributes: errorOnlyLogColumns
            case .summary: summaryLogColumns
            }
        let statement = try db.cachedStatement(
            sql: """
                SELECT trace_key, \(columnList)
                FROM logs WHERE trace_key BETWEEN ? AND ?
                ORDER BY trace_key
                """)
        let columns = ColumnReader(statement, from: low, through: high, path: databasePath, table: "logs")
        defer { columns.reset() }
        let withPaths = detail != .summary
        while try columns.step() {
            let key = columns.int(0)
            guard wanted.contains(key) else { continue }
            // Columns: trace_key, then `logColumns` in order.
            let line = Int(columns.int(11)), byteOffset = columns.int(12), ordinal = Int(columns.int(13))
            var log = LogRecord(
                time: columns.integer(2), severity: LogSeverity(rawValue: Int(columns.int(3))) ?? .unspecified,
                severityText: columns.text(4) ?? "", message: columns.text(5) ?? "", service: columns.text(6) ?? "",
                serviceFromFileName: columns.int(7) != 0, trace: nil,
                spanID: columns.integer(1).map { SpanID(UInt64(bitPattern: $0)) },
                sampled: columns.integer(8).map { $0 != 0 }, attributes: AttributeJSON.decode(columns.text(9)),
                origin: withPaths
                    ? try paths.location(db, sourceID: columns.int(10), line: line, byteOffset: byteOffset, ordinal: ordinal)
                    : InputLocation(source: "", line: line, byteOffset: byteOffset, ordinal: ordinal))
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

    /// `logColumns` with what ``RecordDetail/summary`` leaves out as NULL: severity text, message, attributes.
    static let summaryLogColumns = logColumns
        .replacingOccurrences(of: "severity_text, message,", with: "NULL, NULL,")
        .replacingOccurrences(of: "sampled, attributes,", with: "sampled, NULL,")
}

/// Steps a statement bound to a key range and reads its columns through the SQLite C API, which
/// costs a fraction of GRDB's `Row` (no boxed values) on the hundreds of thousands of rows a pass reads.
struct ColumnReader {
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private let path: String
    /// What is read, for the error message.
    private let table: String

    init(_ statement: Statement, from low: Int64, through high: Int64, path: String, table: String) {
        handle = statement.sqliteStatement
        connection = sqlite3_db_handle(handle)
        self.path = path
        self.table = table
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, low)
        sqlite3_bind_int64(handle, 2, high)
    }

    /// Moves to the next row; false after the last.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw StoreError(path: path, message: "reading \(table) failed: \(String(cString: sqlite3_errmsg(connection)))")
        }
    }

    func reset() { sqlite3_reset(handle) }

    /// The column's UTF-8 bytes, nil for NULL; valid until the next step.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func text(_ column: Int32) -> String? {
        bytes(column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The column's integer, nil for NULL.
    func integer(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// The column's integer (0 for NULL).
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
}

/// A span as its events name it, within a chunk of traces.
private struct BulkEventOwner: Hashable {
    var traceKey: Int64
    var spanID: SpanID
    var shared: Bool
}
