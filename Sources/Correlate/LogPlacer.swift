import TraceJoinCore

/// Where a log that joins no span sits in the tree: under the innermost span that was open at its time.
///
/// A service whose spans are not in the export (traced by another vendor's agent, sampled differently,
/// not instrumented, but passing the trace context on to its logs) is often where a failure begins. At
/// depth 0 its error log would lose the root cause to its caller's error span, which only reports the
/// consequence. So a timed log whose span is not in the trace is placed under the innermost span whose
/// time range covers it: a span of its own service first (the log happened inside it, one level below,
/// like a joined log), else any span (the service was called from it: one level further down). Logs
/// without a time are not placed: their time is itself a guess.
///
/// One sweep over spans by start time and logs by time, with heaps of the spans started so far; a span
/// that ended before the current log is dropped for good, since later logs are later still. Time
/// O((spans + logs) log spans).
enum LogPlacer {
    /// The span a log was placed under and the depth the log takes.
    struct Placement: Equatable {
        var spanIndex: Int
        var depth: Int
    }

    /// The placement of each log of `candidates` (indexes into `logs`) that has a time covered by a span.
    static func placements(of candidates: [Int], in logs: [LogRecord], tree: SpanTree) -> [Int: Placement] {
        guard tree.count > 0 else { return [:] }
        let queries = candidates.compactMap { index in logs[index].time.map { (time: $0, log: index) } }
            .sorted { ($0.time, $0.log) < ($1.time, $1.log) }
        guard !queries.isEmpty else { return [:] }
        let byStart = tree.spans.indices.sorted { tree.spans[$0].startTime < tree.spans[$1].startTime }
        var anyService = OpenSpans(tree: tree)
        var byService: [String: OpenSpans] = [:]
        var nextSpan = 0
        var result: [Int: Placement] = [:]
        for query in queries {
            while nextSpan < byStart.count, tree.spans[byStart[nextSpan]].startTime <= query.time {
                let span = byStart[nextSpan]
                anyService.insert(span)
                byService[tree.spans[span].service, default: OpenSpans(tree: tree)].insert(span)
                nextSpan += 1
            }
            let service = logs[query.log].service
            if !service.isEmpty, let own = byService[service]?.innermost(openAt: query.time) {
                result[query.log] = Placement(spanIndex: own, depth: tree.depths[own] + 1)
            } else if let other = anyService.innermost(openAt: query.time) {
                // A log of unknown service is not known to come from a callee: it sits right below the span.
                let levels = service.isEmpty ? 1 : 2
                result[query.log] = Placement(spanIndex: other, depth: tree.depths[other] + levels)
            }
        }
        return result
    }
}

/// The spans started so far, innermost on top: deepest, then latest start, then earliest end, then by
/// span ID, so the choice never depends on input order. A binary max-heap.
private struct OpenSpans {
    let tree: SpanTree
    private var heap: [Int] = []

    init(tree: SpanTree) { self.tree = tree }

    mutating func insert(_ span: Int) {
        heap.append(span)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard isInner(heap[child], than: heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The innermost span still open at `time`, dropping those that ended before it.
    mutating func innermost(openAt time: Int64) -> Int? {
        while let top = heap.first, tree.spans[top].endTime < time { removeTop() }
        return heap.first
    }

    private mutating func removeTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            var largest = parent
            for child in [2 * parent + 1, 2 * parent + 2] where child < heap.count {
                if isInner(heap[child], than: heap[largest]) { largest = child }
            }
            guard largest != parent else { return }
            heap.swapAt(parent, largest)
            parent = largest
        }
    }

    private func isInner(_ lhs: Int, than rhs: Int) -> Bool {
        let left = tree.spans[lhs], right = tree.spans[rhs]
        // The end times are crossed over: the earlier end is the inner one.
        return (tree.depths[lhs], left.startTime, right.endTime, left.spanID.value, left.isSharedServerHalf ? 1 : 0)
            > (tree.depths[rhs], right.startTime, left.endTime, right.spanID.value, right.isSharedServerHalf ? 1 : 0)
    }
}
