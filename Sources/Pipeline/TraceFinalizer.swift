import Correlate
import Dispatch
import Foundation
package import Rules
package import Store
import TraceJoinCore

/// Brings the summaries of every trace a run touched up to date: status, root cause, counts, and
/// for an incident its classification (error class, deciding rule and entry, fingerprint).
///
/// Reads a chunk of traces at a time from the store, so memory depends on the chunk and the largest
/// trace, not on the input. The chunk is split over the cores (SQLite readers run in parallel in WAL
/// mode); the summaries are saved by one writer while the next chunk is read. Traces with only plain logs (no spans, no
/// error) are summarised from log outlines without reading messages or attributes; other traces that
/// did not fail, from their records without names, messages or attributes (`RecordDetail.summary`).
/// Shared by `batch` (after ingest) and the streaming services (when a trace goes idle).
package enum TraceFinalizer {
    /// How many threads read and assemble traces at once.
    static let parallelism = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// Summarises all dirty traces; returns how many were summarised.
    @discardableResult
    ///
    /// `onProgress`, when given, is called after each chunk with the number of traces summarised so far.
    /// `threads`: how many read and assemble at once (by default ``parallelism``); `stopping`: asked before each
    /// chunk, true ends the pass early. `mergingLower64`: false leaves Datadog-only traces unmerged (see
    /// ``finalize(in:classifier:chunk:threads:mergingLower64:workerCPU:onProgress:nextKeys:)``) to a later pass.
    package static func finalizeDirtyTraces(
        in store: IncidentStore, classifier: Classifier = .builtIn, chunk: Int = 4000, threads: Int = parallelism,
        mergingLower64: Bool = true, stopping: () -> Bool = { false }, workerCPU: CPUTally? = nil,
        onProgress: ((_ summarised: Int) -> Void)? = nil
    ) throws -> Int {
        try finalize(
            in: store, classifier: classifier, chunk: chunk, threads: threads, mergingLower64: mergingLower64,
            workerCPU: workerCPU, onProgress: onProgress
        ) {
            stopping() ? [] : try store.dirtyTraceKeys(limit: $0)
        }
    }

    /// Summarises the dirty traces no row has reached for at least `idle`; returns how many were summarised.
    ///
    /// What the live runs (`serve`, `tail`) call every second: a trace still receiving spans and logs is not
    /// summarised and classified half-way. Late data marks a trace dirty again (and restarts its idle time),
    /// so it is summarised again once it is quiet. `now` is wall-clock nanoseconds since the epoch, the clock
    /// of `traces.updated_ns`; a parameter so tests need not sleep.
    @discardableResult
    package static func finalizeIdleTraces(
        in store: IncidentStore, classifier: Classifier = .builtIn, idle: Duration, now: Int64, chunk: Int = 4000
    ) throws -> Int {
        let cutoff = now - idle.inNanoseconds
        return try finalize(in: store, classifier: classifier, chunk: chunk) {
            try store.dirtyTraceKeys(updatedAtOrBefore: cutoff, limit: $0)
        }
    }

    /// Merges Datadog-only traces (unless not `mergingLower64`), then summarises the traces `nextKeys` names, a
    /// chunk at a time, until it names none (saving a summary clears `dirty`, so each call returns the next ones).
    /// A merge marks the full trace dirty, so a pass that does not merge leaves nothing wrong, only work for the next.
    ///
    /// Saving is one writer's work on this thread; it runs while the workers read and assemble the next
    /// chunk, so the cores are not left idle during the save (it was a third of the pass). `nextKeys(limit)`
    /// is asked for the keys of the chunk still being saved too, which are still dirty, and those are left out.
    private static func finalize(
        in store: IncidentStore, classifier: Classifier, chunk: Int, threads: Int = parallelism,
        mergingLower64: Bool = true, workerCPU: CPUTally? = nil, onProgress: ((Int) -> Void)? = nil,
        nextKeys: (_ limit: Int) throws -> [Int64]
    ) throws -> Int {
        if mergingLower64 { try store.mergeLower64Traces() }
        var total = 0
        var unsaved: [Result] = []
        var unsavedKeys: Set<Int64> = []
        while true {
            let fetched = try nextKeys(chunk + unsavedKeys.count)
            let keys = Array(fetched.lazy.filter { !unsavedKeys.contains($0) }.prefix(chunk))
            if keys.isEmpty { break }
            let running = startSummarizing(
                keys, in: store, classifier: classifier, threads: threads, workerCPU: workerCPU)
            do {
                try save(unsaved, in: store)
            } catch {
                _ = try? running.wait()
                throw error
            }
            unsaved = try running.wait()
            unsavedKeys = Set(keys)
            onProgress?(total)
            total += keys.count
        }
        try save(unsaved, in: store)
        return total
    }

    private static func save(_ results: [Result], in store: IncidentStore) throws {
        guard !results.isEmpty else { return }
        var classifications: [Int64: TraceClassification] = [:]
        for result in results {
            if let classification = result.classification { classifications[result.traceKey] = classification }
        }
        try store.saveSummaries(results.map { ($0.traceKey, $0.summary) }, classifications: classifications)
    }

    struct Result: Sendable {
        var traceKey: Int64
        var summary: TraceSummary
        var classification: TraceClassification?
    }

    /// How many slices a chunk is cut into per thread: slices differ in cost (failed traces are read twice
    /// and classified), and with several per thread a thread that finished early takes the next one.
    static let slicesPerThread = 4

    /// Starts summarising `keys` in slices of consecutive keys on `threads` dispatch workers; `wait()`
    /// returns the results in key order.
    private static func startSummarizing(
        _ keys: [Int64], in store: IncidentStore, classifier: Classifier, threads: Int, workerCPU: CPUTally?
    ) -> RunningSlices {
        let sliceCount = threads * slicesPerThread
        let sliceSize = max(1, (keys.count + sliceCount - 1) / sliceCount)
        let slices = stride(from: 0, to: keys.count, by: sliceSize).map {
            Array(keys[$0..<min($0 + sliceSize, keys.count)])
        }
        let results = SliceResults(count: slices.count)
        // Slices run on dispatch workers, never on the caller's thread: `concurrentPerform`
        // called from a `Thread` of our own that later exits corrupted the heap (glibc aborts at a thread exit).
        // At most `threads` run at once, each taking the next slice when it is done.
        let group = DispatchGroup()
        let next = SliceCounter()
        for _ in 0..<min(threads, slices.count) {
            DispatchQueue.global().async(group: group) {
                let started = workerCPU == nil ? 0 : ThreadCPUTime.now()
                while let index = next.take(below: slices.count) {
                    results.set(index) { try summarizeSlice(slices[index], in: store, classifier: classifier) }
                }
                workerCPU?.add(ThreadCPUTime.now() - started)
            }
        }
        return RunningSlices(group: group, results: results)
    }

    private static func summarizeSlice(_ keys: [Int64], in store: IncidentStore, classifier: Classifier) throws
        -> [Result]
    {
        var results: [Result] = []
        var needSpans: [Int64] = []
        var failed: [Int64] = []
        for outline in try store.outlines(traceKeys: keys) {
            if !outline.hasSpans, let summary = TraceAssembler.plainSummary(traceID: outline.traceID, logs: outline.logs) {
                results.append(Result(traceKey: outline.traceKey, summary: summary))
            } else if outline.logs.contains(where: { $0.severity >= .error }) {
                failed.append(outline.traceKey)
            } else {
                needSpans.append(outline.traceKey)
            }
        }
        // Most traces with spans did not fail: their summary needs no names, messages or attributes, so
        // they are read without them first, and only the failed ones are read again whole.
        for trace in try store.records(traceKeys: needSpans, detail: .summary) {
            let summary = TraceAssembler.assembleWithSources(traceID: trace.traceID, spans: trace.spans, logs: trace.logs)
                .summary
            if summary.isError {
                failed.append(trace.traceKey)
            } else {
                results.append(Result(traceKey: trace.traceKey, summary: summary))
            }
        }
        for trace in try store.records(traceKeys: failed, detail: .errorLogAttributes) {
            let summarised = summarize(traceID: trace.traceID, spans: trace.spans, logs: trace.logs, classifier: classifier)
            results.append(
                Result(traceKey: trace.traceKey, summary: summarised.summary, classification: summarised.classification))
        }
        return results
    }

    /// The summary of a trace from its records as ``RecordDetail/errorLogAttributes`` reads them, classified if it
    /// failed: what is saved for a failed trace, here and when `batch` summarises one from its group (`GroupBatcher`).
    static func summarize(traceID: TraceID, spans: [SpanRecord], logs: [LogRecord], classifier: Classifier)
        -> GroupSummary
    {
        let assembled = TraceAssembler.assembleWithSources(traceID: traceID, spans: spans, logs: logs)
        var timeline = assembled.timeline
        var classification: TraceClassification?
        if timeline.summary.isError,
            let result = classifier.classify(timeline, rootCauseEntryIndex: assembled.rootCauseEntryIndex)
        {
            timeline.summary.errorClass = result.errorClass.rawValue
            classification = TraceClassification(result)
        }
        return GroupSummary(timeline.summary, classification: classification)
    }
}

/// Slices being summarised on dispatch workers.
private struct RunningSlices {
    let group: DispatchGroup
    let results: SliceResults

    /// Waits for every slice; the results in slice order, or the first slice's error.
    func wait() throws -> [TraceFinalizer.Result] {
        group.wait()
        return try results.joined()
    }
}

/// CPU seconds added up from several threads: those of the dispatch workers that summarise.
package final class CPUTally: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0.0

    package init() {}

    func add(_ seconds: Double) { lock.withLock { total += seconds } }

    package var seconds: Double { lock.withLock { total } }
}

/// Hands out slice indexes, each once, to the workers that share them.
private final class SliceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below count: Int) -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

/// Per-slice results of a parallel step, each slot written by one thread.
private final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Swift.Result<[TraceFinalizer.Result], any Error>?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ work: () throws -> [TraceFinalizer.Result]) {
        let result = Swift.Result(catching: work)
        lock.withLock { slots[index] = result }
    }

    func joined() throws -> [TraceFinalizer.Result] {
        try lock.withLock { slots }.flatMap { try $0?.get() ?? [] }
    }
}

extension TraceClassification {
    /// The stored form of a classifier's answer.
    package init(_ classification: Classification) {
        self.init(
            errorClass: classification.errorClass.rawValue, ruleID: classification.ruleID,
            entry: classification.entry.text, fingerprint: classification.fingerprint)
    }

    /// `timeout — rule classify.go-deadline on payment-service span \`psp.charge\``, as `show` prints it.
    package var explanation: String {
        "\(errorClass) — " + (ruleID.map { "rule \($0)" } ?? "no rule matched") + " on \(entry)"
    }
}
