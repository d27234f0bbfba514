package import TraceJoinCore

/// A trace's timeline together with what it was built from, for the steps after correlation.
///
/// The classifier (issue #4) needs the entry the root cause was taken from and the full records behind
/// the entries (an `exception.type`, an `http.response.status_code`), and "evidence elsewhere in the
/// trace" when the root-cause entry says little; a renderer marks the root-cause entry. `TraceTimeline`
/// alone does not say which entry that is.
package struct AssembledTrace: Sendable {
    package var tree: SpanTree
    package var logs: [LogRecord]
    /// The entries, in timeline order, with their sources.
    package var ordered: [SourcedEntry]
    package var summary: TraceSummary
    /// The index in `ordered` (and in `timeline.entries`) of the entry the root cause was taken from.
    package var rootCauseEntryIndex: Int?

    package init(
        tree: SpanTree, logs: [LogRecord], ordered: [SourcedEntry], summary: TraceSummary, rootCauseEntryIndex: Int?
    ) {
        self.tree = tree
        self.logs = logs
        self.ordered = ordered
        self.summary = summary
        self.rootCauseEntryIndex = rootCauseEntryIndex
    }

    /// The timeline as stored and shown.
    package var timeline: TraceTimeline { TraceTimeline(summary: summary, entries: ordered.map(\.entry)) }

    /// The entry the root cause was taken from, with its source.
    package var rootCauseEntry: SourcedEntry? { rootCauseEntryIndex.map { ordered[$0] } }
}
