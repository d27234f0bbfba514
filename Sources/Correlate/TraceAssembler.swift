package import TraceJoinCore

/// Turns all the spans and logs of one trace into its timeline and summary.
///
/// Pure and per trace: the store reads a trace back and hands it here, so memory follows the largest
/// trace, not the input. See `docs/correlation.md` for the rules and why.
package enum TraceAssembler {
    /// The timeline of one trace: entries in time order and the summary kept in the `traces` table.
    ///
    /// `errorClass` is left nil; the classifier (issue #4) fills it from the root cause.
    package static func assemble(traceID: TraceID, spans: [SpanRecord], logs: [LogRecord]) -> TraceTimeline {
        assembleWithSources(traceID: traceID, spans: spans, logs: logs).timeline
    }

    /// The same timeline, with the tree, the source of every entry and which entry is the root cause.
    package static func assembleWithSources(
        traceID: TraceID, spans: [SpanRecord], logs: [LogRecord]
    ) -> AssembledTrace {
        let tree = SpanTree(spans: spans)
        let ordered = orderedEntries(tree: tree, logs: logs)
        let rootCauseIndex = RootCauseFinder.candidateIndex(in: ordered)
        var summary = summary(traceID: traceID, tree: tree, ordered: ordered)
        summary.rootCause = rootCauseIndex.map { RootCauseFinder.rootCause(of: ordered[$0], tree: tree, logs: logs) }
        return AssembledTrace(
            tree: tree, logs: logs, ordered: ordered, summary: summary, rootCauseEntryIndex: rootCauseIndex)
    }

    /// The entries of a trace in timeline order, without their sources.
    package static func entries(tree: SpanTree, logs: [LogRecord]) -> [TimelineEntry] {
        orderedEntries(tree: tree, logs: logs).map(\.entry)
    }

    /// One entry per span, per span event and per log, each with its source, in timeline order.
    ///
    /// A log without a time is placed at the start of the span it joins, else at the trace start; the
    /// order's last tie-breaker keeps such logs in input order. A timed log whose span is not in the
    /// trace sits under the innermost span open at its time (`LogPlacer`).
    package static func orderedEntries(tree: SpanTree, logs: [LogRecord]) -> [SourcedEntry] {
        var result: [SourcedEntry] = []
        result.reserveCapacity(tree.count + logs.count)
        for index in tree.spans.indices {
            let entry = TimelineEntry(
                span: tree.spans[index], depth: tree.depths[index], isOrphan: tree.isOrphan[index],
                isCycleBreak: tree.isCycleBreak[index])
            result.append(SourcedEntry(entry: entry, source: .span(index), sequence: result.count))
        }
        for (index, span) in tree.spans.enumerated() {
            for (eventIndex, event) in span.events.enumerated() {
                let entry = TimelineEntry(event: event, of: span, spanDepth: tree.depths[index])
                result.append(
                    SourcedEntry(entry: entry, source: .event(span: index, event: eventIndex), sequence: result.count))
            }
        }
        let traceStart =
            [result.lazy.map(\.entry.time).min(), logs.lazy.compactMap(\.time).min()]
            .compactMap { $0 }.min() ?? 0
        let joined = logs.map { log in log.spanID.flatMap { tree.resolve($0, service: log.service) } }
        let placements = LogPlacer.placements(
            of: joined.indices.filter { joined[$0] == nil }, in: logs, tree: tree)
        for (index, log) in logs.enumerated() {
            let spanIndex = joined[index]
            let span = spanIndex.map { tree.spans[$0] }
            let time = log.time ?? span?.startTime ?? traceStart
            let entry =
                if let placement = placements[index] {
                    TimelineEntry(
                        log: log, time: time, placedUnder: tree.spans[placement.spanIndex], depth: placement.depth)
                } else {
                    TimelineEntry(log: log, time: time, joining: span, spanDepth: spanIndex.map { tree.depths[$0] })
                }
            result.append(SourcedEntry(entry: entry, source: .log(index, span: spanIndex), sequence: result.count))
        }
        sortInPlace(&result)
        return result
    }

    /// Sorts by `SourcedEntry.orderKey`: the keys are sorted, then each entry is swapped once into place,
    /// instead of whole entries moved at every step of the sort.
    private static func sortInPlace(_ entries: inout [SourcedEntry]) {
        let keys = entries.map(\.orderKey)
        // `order[i]`: the index of the entry that belongs at `i`.
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        var placed = [Bool](repeating: false, count: entries.count)
        for start in entries.indices where !placed[start] {
            // Follow the cycle through `start`, carrying its entry along until it reaches its own place.
            var current = start
            while order[current] != start {
                let next = order[current]
                entries.swapAt(current, next)
                placed[current] = true
                current = next
            }
            placed[current] = true
        }
    }

    /// The per-trace facts: services, time range, status and counts. `rootCause` is left nil here (see
    /// `RootCauseFinder`), and `errorClass` for the classifier.
    package static func summary(traceID: TraceID, tree: SpanTree, ordered: [SourcedEntry]) -> TraceSummary {
        var services: [String] = []
        var seen: Set<String> = []
        var logCount = 0
        var eventCount = 0
        var isError = false
        for item in ordered {
            let entry = item.entry
            if !entry.service.isEmpty, seen.insert(entry.service).inserted { services.append(entry.service) }
            switch entry.kind {
            case .span: break
            case .event: eventCount += 1
            case .log: logCount += 1
            }
            isError = isError || entry.isError
        }
        let start = ordered.first?.entry.time ?? 0
        let lastEntryTime = ordered.last?.entry.time ?? start
        let end = max(lastEntryTime, tree.spans.lazy.map(\.endTime).max() ?? lastEntryTime)
        return TraceSummary(
            traceID: traceID, services: services, start: start, end: end, isError: isError, sampled: tree.count > 0,
            spanCount: tree.count, logCount: logCount, eventCount: eventCount)
    }
}
