import Correlate
package import Store
package import TraceJoinCore

/// Answers `show`: the timeline of one trace, from any form of its ID.
package enum TimelineQuery {
    /// The timelines the reference names: one for a full ID, possibly several for a Datadog
    /// lower-64-bit ID that matches more than one trace (full traces first).
    package static func timelines(for reference: TraceReference, in store: IncidentStore) throws -> [TraceTimeline] {
        try classifiedTimelines(for: reference, in: store).map(\.timeline)
    }

    /// The same timelines, each with its stored classification (nil when the trace did not fail).
    package static func classifiedTimelines(for reference: TraceReference, in store: IncidentStore) throws
        -> [(timeline: TraceTimeline, classification: TraceClassification?)]
    {
        try store.traceKeys(for: reference).map { key in
            let trace = try store.records(traceKey: key)
            var timeline = TraceAssembler.assemble(traceID: trace.traceID, spans: trace.spans, logs: trace.logs)
            if let stored = try store.summary(traceKey: key) {
                // Classification (issue #4) is stored with the summary; keep it.
                timeline.summary.errorClass = stored.errorClass
            }
            return (timeline, try store.classification(traceKey: key))
        }
    }
}
