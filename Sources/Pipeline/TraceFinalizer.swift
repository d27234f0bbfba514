import Correlate
import Dispatch
import Foundation
package import Store
import TraceJoinCore

/// Brings the summaries of every trace a run touched up to date: status, root cause, counts.
///
/// Reads a chunk of traces at a time from the store, so memory depends on the chunk and the largest
/// trace, not on the input. The chunk is split over the cores (SQLite readers run in parallel in WAL
/// mode); the summaries are then saved by one writer. Shared by `batch` (after ingest) and the
/// streaming services (when a trace goes idle).
package enum TraceFinalizer {
    /// How many threads read and assemble traces at once.
    static let parallelism = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// Summarises all dirty traces; returns how many were summarised.
    @discardableResult
    package static func finalizeDirtyTraces(in store: IncidentStore, chunk: Int = 4000) throws -> Int {
        try store.mergeLower64Traces()
        var total = 0
        while true {
            let keys = try store.dirtyTraceKeys(limit: chunk)
            if keys.isEmpty { return total }
            try store.saveSummaries(try summarize(keys, in: store))
            total += keys.count
        }
    }

    /// The summaries of `keys`, computed in `parallelism` slices of consecutive keys.
    static func summarize(_ keys: [Int64], in store: IncidentStore) throws -> [(traceKey: Int64, summary: TraceSummary)] {
        let slices = stride(from: 0, to: keys.count, by: max(1, (keys.count + parallelism - 1) / parallelism)).map {
            Array(keys[$0..<min($0 + (keys.count + parallelism - 1) / parallelism, keys.count)])
        }
        let results = SliceResults(count: slices.count)
        DispatchQueue.concurrentPerform(iterations: slices.count) { index in
            results.set(index) {
                try store.records(traceKeys: slices[index], errorLogAttributesOnly: true).map { trace in
                    let timeline = TraceAssembler.assemble(traceID: trace.traceID, spans: trace.spans, logs: trace.logs)
                    return (trace.traceKey, timeline.summary)
                }
            }
        }
        return try results.joined()
    }
}

/// Per-slice results of a parallel step, each slot written by one thread.
private final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[(traceKey: Int64, summary: TraceSummary)], any Error>?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ work: () throws -> [(traceKey: Int64, summary: TraceSummary)]) {
        let result = Result(catching: work)
        lock.withLock { slots[index] = result }
    }

    func joined() throws -> [(traceKey: Int64, summary: TraceSummary)] {
        try lock.withLock { slots }.flatMap { try $0?.get() ?? [] }
    }
}
