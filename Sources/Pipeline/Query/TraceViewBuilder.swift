package import Correlate
package import TraceJoinCore

/// Turns an assembled trace (what `show` prints) into the ``TraceView`` the query server encodes: which span
/// each log sits on, which span carries the verdict, and synthetic spans for a trace whose spans are missing.
///
/// Logs go where `show` puts them: on the span they join; a log that joins no span of the trace on the span
/// `show` placed it under by its time (`LogPlacer`), else on the trace's root. Pure, one trace at a time.
package enum TraceViewBuilder {
    /// Operation name of the synthetic span that stands for a service's logs in a trace without spans.
    package static let syntheticOperation = "logs (spans not exported)"

    package static func view(of trace: AssembledTrace, classRule: String?) -> TraceView {
        let spans = trace.tree.count == 0 ? syntheticSpans(of: trace) : spans(of: trace)
        return TraceView(traceID: trace.summary.traceID, spans: spans, summary: trace.summary, classRule: classRule)
    }

    // MARK: - Traces with spans

    private static func spans(of trace: AssembledTrace) -> [SpanView] {
        let tree = trace.tree
        let ids = viewIDs(of: tree)
        let order = trace.ordered.compactMap { item -> Int? in
            if case .span(let index) = item.source { return index }
            return nil
        }
        let root =
            order.first { tree.parents[$0] == nil && !tree.isOrphan[$0] } ?? order.first { tree.parents[$0] == nil }
            ?? 0
        var views = tree.spans.indices.map { index in
            let span = tree.spans[index]
            let keepsMissingParent = tree.isOrphan[index] && !tree.isCycleBreak[index]
            let parent = tree.parents[index].map { ids[$0] } ?? (keepsMissingParent ? span.parentSpanID : nil)
            return SpanView(
                record: span, spanID: ids[index], parentSpanID: parent.flatMap { $0.isZero ? nil : $0 },
                isTraceRoot: index == root, isOrphan: tree.isOrphan[index])
        }
        switch trace.rootCauseEntry?.source {
        case .span(let index), .event(let index, _), .log(_, .some(let index)): views[index].isRootCause = true
        case .log(_, span: nil), nil: break
        }
        for (position, item) in trace.ordered.enumerated() {
            guard case .log(let logIndex, let joined) = item.source else { continue }
            var target = root
            var placement = LogPlacement.root
            if let joined {
                (target, placement) = (joined, .joined)
            } else if let placed = placedIndex(of: item.entry, in: tree) {
                (target, placement) = (placed, .time)
            }
            views[target].logs.append(
                placedLog(
                    trace.logs[logIndex], entry: item.entry, placement: placement,
                    isRootCause: position == trace.rootCauseEntryIndex))
        }
        return order.map { views[$0] }
    }

    /// A view ID per span: its own, except for a Zipkin shared server half whose client half is in the trace
    /// (one ID for two spans, which Jaeger UI and Grafana cannot tell apart): a new one, unused in the trace.
    private static func viewIDs(of tree: SpanTree) -> [SpanID] {
        var used = Set(tree.spans.map(\.spanID))
        return tree.spans.map { span in
            guard span.isSharedServerHalf,
                tree.index(of: SpanTree.Key(spanID: span.spanID, isSharedServerHalf: false)) != nil
            else { return span.spanID }
            return unusedID(from: span.spanID.value ^ 0x5348_4152_4544_0001, in: &used)  // "SHARED"
        }
    }

    /// The span `show` placed a log that joins no span under (`tracejoin.placed_under`): of a Zipkin pair, the
    /// half of the log's own service, else the server half.
    private static func placedIndex(of entry: TimelineEntry, in tree: SpanTree) -> Int? {
        guard case .string(let hex)? = entry.attributes[key: CorrelateAttributeKey.placedUnder],
            let id = SpanID(hex: hex)
        else { return nil }
        let halves = [false, true].compactMap { tree.index(of: SpanTree.Key(spanID: id, isSharedServerHalf: $0)) }
        return halves.first { tree.spans[$0].service == entry.service } ?? halves.last
    }

    // MARK: - Traces without spans

    /// One synthetic span per service that logged in a trace whose spans were not exported (sampled out), so
    /// it can still be opened: from the service's first log to its last, in order of their first logs.
    private static func syntheticSpans(of trace: AssembledTrace) -> [SpanView] {
        var views: [SpanView] = []
        var byService: [String: Int] = [:]
        var used: Set<SpanID> = []
        for (position, item) in trace.ordered.enumerated() {
            guard case .log(let logIndex, _) = item.source else { continue }
            let service = item.entry.service.isEmpty ? "unknown_service" : item.entry.service
            let index =
                byService[service]
                ?? {
                    let id = unusedID(from: fnv1a(service), in: &used)
                    let record = SpanRecord(
                        traceID: trace.summary.traceID, spanID: id, service: service, name: syntheticOperation,
                        startTime: item.entry.time, endTime: item.entry.time,
                        origin: InputLocation(source: "tracejoin"))
                    views.append(
                        SpanView(record: record, spanID: id, parentSpanID: nil, isTraceRoot: views.isEmpty,
                            isSynthetic: true))
                    byService[service] = views.count - 1
                    return views.count - 1
                }()
            let isRootCause = position == trace.rootCauseEntryIndex
            views[index].record.endTime = max(views[index].record.endTime, item.entry.time)
            views[index].isRootCause = views[index].isRootCause || isRootCause
            views[index].logs.append(
                placedLog(trace.logs[logIndex], entry: item.entry, placement: .joined, isRootCause: isRootCause))
        }
        return views
    }

    // MARK: - Helpers

    private static func placedLog(
        _ log: LogRecord, entry: TimelineEntry, placement: LogPlacement, isRootCause: Bool
    ) -> PlacedLog {
        PlacedLog(
            log: log, time: entry.time, service: entry.service, level: entry.name,
            attributes: entry.attributes.filter { $0.key != CorrelateAttributeKey.placedUnder },
            placement: placement, isRootCause: isRootCause)
    }

    /// `seed`, or the next value after it, that is neither zero nor in `used`; inserted into `used`.
    private static func unusedID(from seed: UInt64, in used: inout Set<SpanID>) -> SpanID {
        var candidate = SpanID(seed)
        while candidate.isZero || used.contains(candidate) { candidate = SpanID(candidate.value &+ 1) }
        used.insert(candidate)
        return candidate
    }

    /// 64-bit FNV-1a of a service name: a synthetic span's ID, the same for the service in every response.
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
