import GRDB
package import TraceJoinCore

/// A trace as the quick summary path sees it: whether it has spans, and its logs' outlines.
package struct TraceOutline: Sendable {
    package var traceKey: Int64
    package var traceID: TraceID
    package var hasSpans: Bool
    /// In stored order (the order `records(traceKeys:)` gives).
    package var logs: [LogOutline]
}

extension IncidentStore {
    /// Outlines of each of `traceKeys` that still exists, in key order: one range scan of `traces`,
    /// `spans` (keys only) and `logs` (time, severity, service), with no messages or attributes.
    package func outlines(traceKeys: [Int64]) throws -> [TraceOutline] {
        let keys = traceKeys.sorted()
        guard let low = keys.first, let high = keys.last else { return [] }
        let wanted = Set(keys)
        return try pool.read { db in
            var outlines: [Int64: TraceOutline] = [:]
            let traceRows = try Row.fetchCursor(
                db, sql: "SELECT trace_key, trace_hi, trace_lo, revision FROM traces WHERE trace_key BETWEEN ? AND ?",
                arguments: [low, high])
            while let row = try traceRows.next() {
                let key: Int64 = row[0]
                guard wanted.contains(key) else { continue }
                // A summary saved from this read stays dirty if rows arrived since (`saveSummaries`): `batch` writes
                // while it summarises, and a trace it reads may be one it adds late rows to.
                state.rememberRevision(row[3], of: key)
                let traceID = TraceID(high: UInt64(bitPattern: row[1] as Int64), low: UInt64(bitPattern: row[2] as Int64))
                outlines[key] = TraceOutline(traceKey: key, traceID: traceID, hasSpans: false, logs: [])
            }
            let spanKeys = try Int64.fetchCursor(
                db, sql: "SELECT DISTINCT trace_key FROM spans WHERE trace_key BETWEEN ? AND ?", arguments: [low, high])
            while let key = try spanKeys.next() { outlines[key]?.hasSpans = true }

            let statement = try db.makeStatement(
                sql: """
                    SELECT trace_key, time_ns, severity, service FROM logs
                    WHERE trace_key BETWEEN ? AND ? ORDER BY trace_key
                    """)
            let columns = ColumnReader(statement, from: low, through: high, path: path, table: "logs")
            defer { columns.reset() }
            // Consecutive logs mostly share a service: reuse the last String instead of building one per row.
            var lastService = ""
            var lastServiceBytes: [UInt8] = []
            while try columns.step() {
                let key = columns.int(0)
                guard outlines[key] != nil else { continue }
                let time = columns.integer(1)
                let severity = LogSeverity(rawValue: Int(columns.int(2))) ?? .unspecified
                if let bytes = columns.bytes(3) {
                    if !bytes.elementsEqual(lastServiceBytes) {
                        lastServiceBytes = Array(bytes)
                        lastService = String(decoding: bytes, as: UTF8.self)
                    }
                } else {
                    lastServiceBytes = []
                    lastService = ""
                }
                outlines[key]?.logs.append(LogOutline(time: time, severity: severity, service: lastService))
            }
            return keys.compactMap { outlines[$0] }
        }
    }
}
