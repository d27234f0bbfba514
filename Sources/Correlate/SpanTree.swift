package import TraceJoinCore

/// The parent/child structure of one trace's spans: which span is whose parent, and how deep each sits.
///
/// A pure value built once per trace. Spans are identified by their span ID *and* whether they are a
/// Zipkin shared server half, because a Zipkin RPC exports a client half and a `shared: true` server half
/// under one span ID; the two are different entries, and the server half hangs under its client half.
///
/// Real exports are messy, and none of it may hang or drop data:
/// - the same span exported twice (or via two formats) is kept once, the first one seen;
/// - a parent that is not in this trace (not exported, or a reference into another trace) makes the span
///   an *orphan*: it is kept, as a root at depth 0;
/// - a parent chain that loops (malformed IDs) is cut at the loop's earliest-starting span, which then
///   counts as an orphan root too, so every walk up the tree ends.
package struct SpanTree: Sendable {
    /// What makes two span records the same span.
    package struct Key: Hashable, Sendable {
        package var spanID: SpanID
        package var isSharedServerHalf: Bool

        package init(spanID: SpanID, isSharedServerHalf: Bool) {
            self.spanID = spanID
            self.isSharedServerHalf = isSharedServerHalf
        }
    }

    /// The spans kept, duplicates removed, in input order; every other array is indexed like this one.
    package private(set) var spans: [SpanRecord]
    /// The index of each span's parent in `spans`; nil for a root, an orphan, or where a loop was cut.
    package private(set) var parents: [Int?]
    /// Distance from the root of each span's tree (a root or orphan is 0).
    package private(set) var depths: [Int]
    /// True for a span that names a parent the tree does not hold (or whose parent chain looped).
    package private(set) var isOrphan: [Bool]
    /// True for the span at which a parent loop was cut.
    package private(set) var isCycleBreak: [Bool]
    /// How many input records were dropped as duplicates.
    package private(set) var duplicateCount: Int

    /// Indexes of the (at most two) spans that carry one span ID.
    private struct Halves: Sendable {
        var plain: Int?
        var sharedServer: Int?
    }

    private var halvesByID: [SpanID: Halves]

    /// Builds the tree of `spans`, keeping the first of each duplicate.
    package init(spans input: some Sequence<SpanRecord>) {
        spans = []
        halvesByID = [:]
        duplicateCount = 0
        for span in input {
            var halves = halvesByID[span.spanID] ?? Halves()
            if span.isSharedServerHalf {
                guard halves.sharedServer == nil else {
                    duplicateCount += 1
                    continue
                }
                halves.sharedServer = spans.count
            } else {
                guard halves.plain == nil else {
                    duplicateCount += 1
                    continue
                }
                halves.plain = spans.count
            }
            halvesByID[span.spanID] = halves
            spans.append(span)
        }
        parents = Array(repeating: nil, count: spans.count)
        depths = Array(repeating: 0, count: spans.count)
        isOrphan = Array(repeating: false, count: spans.count)
        isCycleBreak = Array(repeating: false, count: spans.count)
        linkParents()
        cutCycles()
        computeDepths()
    }

    package var count: Int { spans.count }

    /// The index of the span with this key, if the tree holds it.
    package func index(of key: Key) -> Int? {
        guard let halves = halvesByID[key.spanID] else { return nil }
        return key.isSharedServerHalf ? halves.sharedServer : halves.plain
    }

    /// The span a reference by span ID means: with a Zipkin shared pair, the half whose service is
    /// `service`, else the server half (where the callee's own work, its logs and child spans happen).
    package func resolve(_ spanID: SpanID, service: String?) -> Int? {
        guard !spanID.isZero, let halves = halvesByID[spanID] else { return nil }
        guard let plain = halves.plain, let server = halves.sharedServer else {
            return halves.plain ?? halves.sharedServer
        }
        if let service {
            if spans[server].service == service { return server }
            if spans[plain].service == service { return plain }
        }
        return server
    }

    // MARK: - Building

    /// Points each span at its parent: a shared server half at its client half, others via `parentSpanID`.
    private mutating func linkParents() {
        for index in spans.indices {
            let span = spans[index]
            if span.isSharedServerHalf, let client = halvesByID[span.spanID]?.plain {
                parents[index] = client
                continue
            }
            guard let parentID = span.parentSpanID, !parentID.isZero else { continue }
            if let parent = resolve(parentID, service: span.service) {
                parents[index] = parent
            } else {
                isOrphan[index] = true
            }
        }
    }

    /// Finds every loop in the parent links and cuts it at the loop's earliest-starting span.
    ///
    /// Each span has at most one parent, so following parents from any span either ends at a root or
    /// enters exactly one loop; marking spans as "on the current walk" and "done" finds each loop once,
    /// in time linear in the number of spans.
    private mutating func cutCycles() {
        enum Mark { case unvisited, onWalk, done }
        var marks = Array(repeating: Mark.unvisited, count: spans.count)
        var walk: [Int] = []
        for start in spans.indices where marks[start] == .unvisited {
            walk.removeAll(keepingCapacity: true)
            var current: Int? = start
            while let node = current, marks[node] == .unvisited {
                marks[node] = .onWalk
                walk.append(node)
                current = parents[node]
            }
            if let loopEntry = current, marks[loopEntry] == .onWalk,
                let entryPosition = walk.firstIndex(of: loopEntry)
            {
                let loop = walk[entryPosition...]
                let cut = loop.min { (spans[$0].startTime, $0) < (spans[$1].startTime, $1) } ?? loopEntry
                parents[cut] = nil
                isOrphan[cut] = true
                isCycleBreak[cut] = true
            }
            for node in walk { marks[node] = .done }
        }
    }

    /// Depth of every span, walking each chain once; runs after `cutCycles`, so every chain ends.
    private mutating func computeDepths() {
        var known = Array(repeating: false, count: spans.count)
        var chain: [Int] = []
        for start in spans.indices where !known[start] {
            chain.removeAll(keepingCapacity: true)
            var current = start
            var base = -1
            // The cap is a second guard: a chain can never be longer than the number of spans.
            while chain.count <= spans.count {
                if known[current] {
                    base = depths[current]
                    break
                }
                chain.append(current)
                guard let parent = parents[current] else { break }
                current = parent
            }
            for node in chain.reversed() {
                base += 1
                depths[node] = base
                known[node] = true
            }
        }
    }
}
