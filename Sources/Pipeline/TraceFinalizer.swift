import Correlate
package import Store
import TraceJoinCore

/// Brings the summaries of every trace a run touched up to date: status, root cause, counts.
///
/// Reads one trace at a time from the store, so memory depends on the largest trace, not on the
/// input. Shared by `batch` (after ingest) and the streaming services (when a trace goes idle).
package enum TraceFinalizer {
    /// Summarises all dirty traces; returns how many were summarised.
    @discardableResult
    package static func finalizeDirtyTraces(in store: IncidentStore, chunk: Int = 2000) throws -> Int {
        try store.mergeLower64Traces()
        var total = 0
        while true {
            let keys = try store.dirtyTraceKeys(limit: chunk)
            if keys.isEmpty { return total }
            var summaries: [(traceKey: Int64, summary: TraceSummary)] = []
            summaries.reserveCapacity(keys.count)
            for trace in try store.records(traceKeys: keys, errorLogAttributesOnly: true) {
                let timeline = TraceAssembler.assemble(traceID: trace.traceID, spans: trace.spans, logs: trace.logs)
                summaries.append((trace.traceKey, timeline.summary))
            }
            try store.saveSummaries(summaries)
            total += keys.count
        }
    }
}
