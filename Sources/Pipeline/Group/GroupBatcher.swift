import Correlate
import Rules
import Store
import TraceJoinCore

/// Cuts the merged entries of ``TraceGroupSorter`` into the row batches the writer takes, at trace boundaries, and
/// summarises each trace from its group in memory (issue #16, "summaries in the write path"), so the writer stores
/// it summarised and the summary pass never reads it back.
///
/// A batch ends at the first trace boundary after `batchEntries` entries; a trace longer than `4 × batchEntries`
/// is cut, and is summarised by the summary pass instead. A summary here is exactly the one the summary pass
/// would make, from the same parts of the records in the same order: for plain logs,
/// ``TraceAssembler/plainSummary(traceID:logs:)`` of their outlines in `logs_by_trace` order; for a trace that did
/// not fail, the assembled summary of what `RecordDetail.summary` reads (the first span of each ID, in `spans`
/// order); for a failed one, classified, what `RecordDetail.errorLogAttributes` reads (``StoredForm``). Only for a
/// trace that may be new with a full trace ID. Datadog-style references to its lower 64 bits sort right after it
/// and join it when written, so they count as its logs; lower bits shared by two full traces leave both to the
/// summary pass.
struct GroupBatcher {
    private let batchEntries: Int
    private let failed: FailedTraceSummaries?
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

    /// - Parameter failed: to summarise failed traces too; without it they are left to the summary pass.
    init(
        batchEntries: Int, failed: FailedTraceSummaries? = nil, write: @escaping (consuming RowBatch) throws -> Void
    ) {
        self.batchEntries = batchEntries
        self.failed = failed
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
        let traceID = TraceID(high: key.high, low: key.low)
        let group = groupStart..<batch.count
        // As the summary pass decides: the outlines of plain logs when they suffice, else the assembled records.
        if let summary = plainSummary(traceID, group).map({ GroupSummary($0) }) ?? assembledSummary(traceID, group) {
            batch.summaries[traceID] = summary
        }
    }

    /// The summary of a group of timed, non-error logs, as the summary pass makes it from their outlines; nil for any
    /// other group.
    private func plainSummary(_ traceID: TraceID, _ group: Range<Int>) -> TraceSummary? {
        var logs: [(outline: LogOutline, position: IndexPosition)] = []
        for index in group {
            guard case .log(let row) = batch.entries[index] else { return nil }
            guard row.time != nil, let severity = LogSeverity(rawValue: row.severity) else { return nil }
            let outline = LogOutline(time: row.time, severity: severity, service: batch.string(row.service))
            logs.append((outline, IndexPosition(outline.time, severity, outline.service, index)))
        }
        logs.sort { $0.position < $1.position }
        return TraceAssembler.plainSummary(traceID: traceID, logs: logs.map(\.outline))
    }

    /// The summary of a group with spans, an error or an untimed log, as the summary pass makes it: from what it
    /// reads of the trace, in the order it reads it. A trace that did not fail from its records without names,
    /// messages or attributes (`RecordDetail.summary`); a failed one from its records whole but for the attributes
    /// of logs below error (`RecordDetail.errorLogAttributes`), classified: only with `failed`, else nil.
    private func assembledSummary(_ traceID: TraceID, _ group: Range<Int>) -> GroupSummary? {
        // The rows the writer will store: the first span of each ID (`INSERT OR IGNORE`, with its events), every log.
        var spans: [(span: SpanRecord, sourceID: Int64)] = []
        var seen = Set<SpanRowIdentity>()
        var logs: [(row: LogRow, position: IndexPosition)] = []
        var hasErrorLog = false
        for index in group {
            switch batch.entries[index] {
            case .log(let row):
                let severity = LogSeverity(rawValue: row.severity) ?? .unspecified
                hasErrorLog = hasErrorLog || severity >= .error
                logs.append((row, IndexPosition(row.time, severity, batch.string(row.service), index)))
            case .record(let sourced):
                guard case .span(let span) = sourced.record else { return nil }
                guard seen.insert(SpanRowIdentity(span.spanID, shared: span.isSharedServerHalf)).inserted else { continue }
                spans.append((span, sourced.sourceID))
            }
        }
        // `spans` rows in the order the summary pass reads them: start, then span ID as stored (signed), then shared.
        spans.sort { a, b in
            if a.span.startTime != b.span.startTime { return a.span.startTime < b.span.startTime }
            let aID = Int64(bitPattern: a.span.spanID.value), bID = Int64(bitPattern: b.span.spanID.value)
            if aID != bID { return aID < bID }
            return !a.span.isSharedServerHalf && b.span.isSharedServerHalf
        }
        logs.sort { $0.position < $1.position }
        // Whether the trace failed: an error log, span or event (`TimelineEntry.isError`), the same in either read.
        let failedTrace =
            hasErrorLog
            || spans.contains { $0.span.status == .error || StoredForm.events($0.span.events).contains(where: \.isError) }
        if !failedTrace {
            let summary = TraceAssembler.assembleWithSources(
                traceID: traceID, spans: spans.map { StoredForm.span($0.span, path: "", detail: .summary) },
                logs: logs.map { StoredForm.log($0.row, of: batch, path: "", detail: .summary) }
            ).summary
            return summary.isError ? nil : GroupSummary(summary)
        }
        guard let failed else { return nil }
        return TraceFinalizer.summarize(
            traceID: traceID,
            spans: spans.map { StoredForm.span($0.span, path: failed.paths.path(of: $0.sourceID), detail: .errorLogAttributes) },
            logs: logs.map {
                StoredForm.log($0.row, of: batch, path: failed.paths.path(of: $0.row.sourceID), detail: .errorLogAttributes)
            }, classifier: failed.classifier)
    }
}

/// What `GroupBatcher` needs to summarise failed traces as the summary pass does: the classifier, and the path of
/// each source (a failed trace's records name theirs).
struct FailedTraceSummaries: Sendable {
    let classifier: Classifier
    let paths: SourcePathTable
}

/// A span row's key within its trace.
private struct SpanRowIdentity: Hashable {
    let spanID: UInt64
    let shared: Bool

    init(_ spanID: SpanID, shared: Bool) {
        self.spanID = spanID.value
        self.shared = shared
    }
}

/// Where a log sits in `logs_by_trace`, the order the summary pass reads a trace's logs in: time (none first),
/// severity, service (as bytes), then the order written.
private struct IndexPosition: Comparable {
    let time: Int64?
    let severity: LogSeverity
    let service: String
    let order: Int

    init(_ time: Int64?, _ severity: LogSeverity, _ service: String, _ order: Int) {
        self.time = time
        self.severity = severity
        self.service = service
        self.order = order
    }

    static func < (a: Self, b: Self) -> Bool {
        if a.time != b.time {
            guard let aTime = a.time else { return true }
            guard let bTime = b.time else { return false }
            return aTime < bTime
        }
        if a.severity != b.severity { return a.severity < b.severity }
        // As SQLite compares text: bytes, not canonical equivalence.
        if !a.service.utf8.elementsEqual(b.service.utf8) { return a.service.utf8.lexicographicallyPrecedes(b.service.utf8) }
        return a.order < b.order
    }
}
