import Correlate
package import Rules
package import Store
import TraceJoinCore

/// Brings the summaries of every trace a run touched up to date: status, root cause, counts, and
/// for an incident its classification (error class, deciding rule and entry, fingerprint).
///
/// Reads one trace at a time from the store, so memory depends on the largest trace, not on the
/// input. Shared by `batch` (after ingest) and the streaming services (when a trace goes idle).
package enum TraceFinalizer {
    /// Summarises all dirty traces; returns how many were summarised.
    @discardableResult
    package static func finalizeDirtyTraces(
        in store: IncidentStore, classifier: Classifier = .builtIn, chunk: Int = 2000
    ) throws -> Int {
        try store.mergeLower64Traces()
        var total = 0
        while true {
            let keys = try store.dirtyTraceKeys(limit: chunk)
            if keys.isEmpty { return total }
            var summaries: [(traceKey: Int64, summary: TraceSummary)] = []
            var classifications: [Int64: TraceClassification] = [:]
            summaries.reserveCapacity(keys.count)
            for key in keys {
                let trace = try store.records(traceKey: key)
                let assembled = TraceAssembler.assembleWithSources(
                    traceID: trace.traceID, spans: trace.spans, logs: trace.logs)
                var timeline = assembled.timeline
                if timeline.summary.isError,
                    let result = classifier.classify(timeline, rootCauseEntryIndex: assembled.rootCauseEntryIndex)
                {
                    timeline.summary.errorClass = result.errorClass.rawValue
                    classifications[key] = TraceClassification(result)
                }
                summaries.append((key, timeline.summary))
            }
            try store.saveSummaries(summaries, classifications: classifications)
            total += keys.count
        }
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
