package import TraceJoinCore

/// A timeline entry together with the record it was made from, so later steps (root cause, and the
/// classifier of issue #4) can look past the entry at the full span, event or log record.
package struct SourcedEntry: Sendable {
    /// Which record an entry came from, as indexes into the `SpanTree`'s spans and the input logs.
    package enum Source: Sendable, Equatable {
        case span(Int)
        case event(span: Int, event: Int)
        /// A log and, when it joins one, the span it sits under.
        case log(Int, span: Int?)

        /// The span the entry belongs to: itself, its event's span, or the span a log joins.
        package var spanIndex: Int? {
            switch self {
            case .span(let span): span
            case .event(let span, _): span
            case .log(_, let span): span
            }
        }
    }

    package var entry: TimelineEntry
    package var source: Source
    /// Position in input order (spans, then events, then logs); the last tie-breaker of the order.
    package var sequence: Int

    package init(entry: TimelineEntry, source: Source, sequence: Int) {
        self.entry = entry
        self.source = source
        self.sequence = sequence
    }

    /// Where the entry sits in timeline order, compared as a tuple: by time; at equal times spans, then
    /// events, then logs; then shallower first; then input order. A total order, so the result does not
    /// depend on the sort's stability.
    package var orderKey: (Int64, Int, Int, Int) {
        (entry.time, entry.kind.rank, entry.depth, sequence)
    }
}

extension TimelineEntryKind {
    /// Spans before events before logs when times are equal: a span's start opens what happens in it.
    package var rank: Int {
        switch self {
        case .span: 0
        case .event: 1
        case .log: 2
        }
    }
}
