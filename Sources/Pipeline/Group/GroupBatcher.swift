import Correlate
import Store
import TraceJoinCore

/// Cuts the merged entries of ``TraceGroupSorter`` into the row batches the writer takes, at trace boundaries, and
/// summarises each trace that has only plain logs from its group in memory (issue #16, "summaries in the write
/// path"), so the writer stores it summarised and the summary pass never reads it back.
///
/// A batch ends at the first trace boundary after `batchEntries` entries; a trace longer than `4 × batchEntries`
/// is cut, and is summarised by the summary pass instead. A summary here is exactly the one the summary pass
/// would make (``TraceAssembler/plainSummary(traceID:logs:)`` of the logs in the order `logs_by_trace` lists
/// them), and only for a trace that may be new with a full trace ID. One with spans, an error or an untimed log
/// is left to the summary pass. Datadog-style references to its lower 64 bits sort right after it and join it when
/// written, so they count as its logs; lower bits shared by two full traces leave both to the summary pass.
struct GroupBatcher {
    private let batchEntries: Int
    private let write: (consuming RowBatch) throws -> Void
    private var batch: RowBatch
    private var current: TraceGroupKey?
    /// Where the current trace's entries start in `batch`.
    private var groupStart = 0
    /// Whether the current trace began in a batch already handed out.
    private var split = false
    /// The full trace whose group the current Datadog references (lower 64 bits only) continue.
    private var joined: TraceGroupKey?
    /// The trace before the current one.
    private var previous: TraceGroupKey?

    init(batchEntries: Int, write: @escaping (consuming RowBatch) throws -> Void) {
        self.batchEntries = batchEntries
        self.write = write
        batch = RowBatch(capacity: batchEntries, logs: batchEntries)
    }

    /// Adds the spilled entry `bytes` of trace `key`; keys come in order.
    mutating func add(_ key: TraceGroupKey, _ bytes: UnsafeRawBufferPointer) throws {
        if key != current {
            if let current, current.lower64Only == 0, key.lower64Only == 1, key.low == current.low {
                // Datadog references to this trace's lower bits: the writer joins them to it, so they are part of
                // its group, in the same batch.
                self.current = key
                if joined == nil { joined = current }
            } else {
                if let current { close(current, next: key) }
                if batch.count >= batchEntries { try emit() }
                previous = current
                current = key
                joined = nil
                groupStart = batch.count
                split = false
            }
        } else if batch.count >= batchEntries * 4 {
            try emit()
            split = true
        }
        try TraceGroupSorter.append(bytes, to: &batch)
    }

    /// Hands out the last batch.
    mutating func finish() throws {
        if let current { close(current, next: nil) }
        current = nil
        if batch.count > 0 { try emit() }
    }

    private mutating func emit() throws {
        var full = RowBatch(capacity: batchEntries, logs: batchEntries)
        swap(&full, &batch)
        groupStart = 0
        try write(full)
    }

    /// Summarises the trace `key` that ends here (with the Datadog references that joined it), when it can be
    /// (see the type's description).
    private mutating func close(_ key: TraceGroupKey, next: TraceGroupKey?) {
        guard !split, let key = key.lower64Only == 0 ? key : joined else { return }
        // Two full traces with these lower bits: which one references join is the store's choice.
        if previous?.low == key.low || next?.low == key.low { return }
        var logs: [(outline: LogOutline, order: Int)] = []
        for index in groupStart..<batch.count {
            guard case .log(let row) = batch.entries[index] else { return }  // a span
            guard row.time != nil, let severity = LogSeverity(rawValue: row.severity) else { return }
            logs.append((LogOutline(time: row.time, severity: severity, service: batch.string(row.service)), index))
        }
        // `logs_by_trace` order: time, severity, service (as bytes), then the order written.
        logs.sort { a, b in
            if a.outline.time != b.outline.time { return a.outline.time! < b.outline.time! }
            if a.outline.severity != b.outline.severity { return a.outline.severity < b.outline.severity }
            if a.outline.service != b.outline.service {
                return a.outline.service.utf8.lexicographicallyPrecedes(b.outline.service.utf8)
            }
            return a.order < b.order
        }
        let traceID = TraceID(high: key.high, low: key.low)
        if let summary = TraceAssembler.plainSummary(traceID: traceID, logs: logs.map(\.outline)) {
            batch.summaries[traceID] = summary
        }
    }
}
