package import Correlate
package import Store
package import TraceJoinCore

/// Answers `show` and the query server (`tracejoin ui`): the timeline of one trace, from any form of its ID.
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
        try classifiedTraces(for: reference, in: store).map { ($0.trace.timeline, $0.classification) }
    }

    /// The assembled traces the reference names, with their stored classifications.
    package static func classifiedTraces(for reference: TraceReference, in store: IncidentStore) throws
        -> [(trace: AssembledTrace, classification: TraceClassification?)]
    {
        try classifiedTraces(traceKeys: store.traceKeys(for: reference), in: store)
    }

    /// The traces with these keys, assembled as `show` assembles them, in the order of the keys.
    package static func classifiedTraces(traceKeys: [Int64], in store: IncidentStore) throws
        -> [(trace: AssembledTrace, classification: TraceClassification?)]
    {
        try traceKeys.map { key in
            let records = try store.records(traceKey: key)
            var trace = TraceAssembler.assembleWithSources(
                traceID: records.traceID, spans: records.spans, logs: records.logs)
            if let stored = try store.summary(traceKey: key) {
                // Classification (issue #4) is stored with the summary; keep it.
                trace.summary.errorClass = stored.errorClass
            }
            return (trace, try store.classification(traceKey: key))
        }
    }
}
