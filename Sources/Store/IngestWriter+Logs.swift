import TraceJoinCore

/// Log rows, inserted in groups.
extension IngestWriter {
    /// Inserts the pending logs: a full group with one multi-row statement, a partial one row by row.
    ///
    /// A multi-row `INSERT OR IGNORE` reports only how many rows were new, so when some of a group
    /// were duplicates every trace in the group is marked dirty (a spare summary, never a missed one).
    func flushLogs(
        _ groups: [RowBatch], _ statements: IngestStatements, stats: inout WriteStats,
        touched: inout Set<Int64>
    ) throws {
        if pendingLogs.isEmpty { return }
        defer { pendingLogs.removeAll(keepingCapacity: true) }
        if pendingLogs.count == IngestStatements.logsPerInsert {
            for (index, pending) in pendingLogs.enumerated() {
                bind(pending, groups, to: statements.insertLogs, from: Int32(index * IngestStatements.logColumns))
            }
            let inserted = try statements.insertLogs.run()
            stats.logsInserted += inserted
            stats.logsDuplicate += pendingLogs.count - inserted
            if inserted > 0 {
                // Rows come grouped by trace: one insert per run of a key.
                var last: Int64?
                for pending in pendingLogs {
                    if let key = pending.traceKey, key != last {
                        touched.insert(key)
                        last = key
                    }
                }
            }
            return
        }
        for pending in pendingLogs {
            bind(pending, groups, to: statements.insertLog, from: 0)
            if try statements.insertLog.run() > 0 {
                stats.logsInserted += 1
                if let key = pending.traceKey { touched.insert(key) }
            } else {
                stats.logsDuplicate += 1
            }
        }
    }

    /// Binds one log's columns at parameters `offset + 1 … offset + logColumns`, its text in place in its batch.
    private func bind(_ pending: PendingLog, _ groups: [RowBatch], to statement: RawStatement, from offset: Int32) {
        let batch = groups[pending.position.group]
        guard case .log(let row) = batch.entries[pending.position.index] else {
            preconditionFailure("a pending log's position holds a log row")
        }
        let text = batch.text.base
        statement.bind(offset + 1, pending.traceKey)
        statement.bind(offset + 2, row.spanID.map { Int64(bitPattern: $0) })
        statement.bind(offset + 3, row.time)
        statement.bind(offset + 4, row.severity)
        statement.bind(offset + 5, inPlace: text, row.severityText)
        statement.bind(offset + 6, inPlace: text, row.message)
        statement.bind(offset + 7, inPlace: text, row.service)
        statement.bind(offset + 8, row.serviceFromFile)
        statement.bind(offset + 9, row.sampled.map { $0 ? 1 : 0 })
        if let attributes = row.attributes {
            statement.bind(offset + 10, inPlace: text, attributes)
        } else {
            statement.bind(offset + 10, nil as Int64?)
        }
        statement.bind(offset + 11, row.sourceID)
        statement.bind(offset + 12, row.line)
        statement.bind(offset + 13, row.byteOffset)
        statement.bind(offset + 14, row.ordinal)
        statement.bind(offset + 15, groupedRun.flatMap { $0.run(of: row) })
    }
}

/// The run of a grouped `batch` whose rows ``IngestWriter`` is writing, and where its files' checkpoints are.
package struct GroupedRun: Sendable {
    package var runID: Int64
    /// The checkpoint each file of the run commits, by source.
    package var checkpoints: [Int64: Int64]

    package init(runID: Int64, checkpoints: [Int64: Int64]) {
        self.runID = runID
        self.checkpoints = checkpoints
    }

    /// The `batch_run` of a row: the run, for a row before its file's checkpoint; nil (a row unique by origin,
    /// which a later run may read again) at or after it, or for a file without one.
    func run(of row: LogRow) -> Int64? {
        guard let checkpoint = checkpoints[row.sourceID], row.byteOffset < checkpoint else { return nil }
        return runID
    }
}

/// A log waiting for its group's insert, with its trace key resolved.
struct PendingLog {
    var position: RecordPosition
    var traceKey: Int64?
}

/// Where a record is in the groups of records being written.
struct RecordPosition {
    var group: Int
    var index: Int
}
