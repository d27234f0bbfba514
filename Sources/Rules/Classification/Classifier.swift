package import TraceJoinCore

/// Says what kind of failure a trace is, from the classification rules (`Rules/classify`).
///
/// The root-cause entry is looked at first, together with the entries of its span (the span, its
/// exception events, the logs written in it): the highest-priority rule that matches any of them
/// decides. When only generic rules match there (priority below `specificPriority`: a bare HTTP 500,
/// a gRPC INTERNAL), or none, a specific rule matching another error entry of the trace decides
/// instead, deepest entry first — a gateway 502 over an upstream `ECONNREFUSED` is `connection`,
/// rooted in the upstream. Nothing matching anywhere gives `unknown` with no rule.
///
/// Cost: rules × the trace's error entries, with literal prefilters; run once per finished trace.
package struct Classifier: Sendable {
    /// Rules at or above this priority are specific: they name a cause, not just a status.
    package static let specificPriority = 50

    /// Sorted: highest priority first, ties by id.
    package let rules: [ClassificationRule]
    /// The rank of the first generic rule (priority below `specificPriority`); `rules.count` when none.
    private let firstGenericRank: Int

    package init(rules: [ClassificationRule]) {
        self.rules = rules.sorted { ($0.priority, $1.id) > ($1.priority, $0.id) }
        firstGenericRank = self.rules.firstIndex { $0.priority < Self.specificPriority } ?? self.rules.count
    }

    /// The shipped pack (`Rules/classify`, built into the binary). Empty if the embedded copy fails to
    /// load, which `ShippedClassificationTests` rules out.
    package static let builtIn: Classifier = {
        Classifier(rules: (try? ClassificationRuleLoader.load(layers: [RuleSource.builtIn])) ?? [])
    }()

    /// A stable digest of the rules' behaviour (SHA-256 hex), like `RuleSet.digest`.
    package var digest: String {
        var hasher = SHA256()
        for rule in rules.sorted(by: { $0.id < $1.id }) { hasher.update(rule.canonicalText.utf8) }
        return SHA256.hex(hasher.finalize())
    }

    /// The first rule (by priority) that matches the entry.
    package func rule(for entry: TimelineEntry) -> ClassificationRule? {
        let scratch = MatchScratch()
        let prepared = PreparedEntry(entry)
        return rules.first { $0.matches(prepared, scratch: scratch) }
    }

    /// The classification of an error trace, or nil when the trace did not fail.
    ///
    /// - Parameter rootCauseEntryIndex: the index in `timeline.entries` of the root-cause entry
    ///   (`AssembledTrace.rootCauseEntryIndex`); when nil, the deepest, earliest error entry.
    package func classify(_ timeline: TraceTimeline, rootCauseEntryIndex: Int?) -> Classification? {
        let entries = timeline.entries
        guard let rootIndex = rootCauseEntryIndex ?? Self.deepestError(in: entries) else { return nil }
        let root = entries[rootIndex]
        let scratch = MatchScratch()

        // The root-cause entry first, then the other entries of its span.
        var group = [rootIndex]
        if let spanID = root.spanID {
            for index in entries.indices where index != rootIndex && entries[index].spanID == spanID {
                if entries[index].isError || entries[index].kind == .span { group.append(index) }
            }
        }
        // The deciding entry and its rule's rank (position in `rules`): ranks, not rules, so no rule is copied.
        var best: (index: Int, rank: Int)?
        for index in group {
            guard let rank = firstMatch(entries[index], below: best?.rank ?? rules.count, scratch: scratch)
            else { continue }
            best = (index, rank)
        }
        if best.map({ $0.rank >= firstGenericRank }) ?? true {
            // Only specific rules count here, so stop at the first generic one.
            let others = entries.indices
                .filter { entries[$0].isError && !group.contains($0) }
                .sorted { (entries[$1].depth, $0) < (entries[$0].depth, $1) }
            var limit = firstGenericRank
            for index in others {
                guard let rank = firstMatch(entries[index], below: limit, scratch: scratch) else { continue }
                best = (index, rank)
                limit = rank
                if rank == 0 { break }
            }
        }

        let decided = best.map { entries[$0.index] } ?? root
        let rule = best.map { rules[$0.rank] }
        let errorClass = rule?.errorClass ?? .unknown
        // The fingerprint is what failed where: the root cause, whichever entry decided the class.
        let rootCause = timeline.summary.rootCause
        let service = rootCause?.service ?? root.service
        let message = rootCause?.message ?? root.message
        let name = rootCause?.name ?? root.name
        let fingerprint = Fingerprint.make(
            Fingerprint.Facts(
                service: service, errorClass: errorClass.rawValue, message: message, name: name,
                rule: rule?.id ?? ""),
            parts: rule?.fingerprint)
        return Classification(
            errorClass: errorClass, ruleID: rule?.id, entry: describe(decided, in: entries),
            fingerprint: fingerprint)
    }

    /// The rank (position in priority order) of the first rule before `limit` that matches the entry.
    private func firstMatch(_ entry: TimelineEntry, below limit: Int, scratch: MatchScratch) -> Int? {
        guard limit > 0 else { return nil }
        let prepared = PreparedEntry(entry)
        // Through the buffer, so each rule is borrowed, not copied (a copy retains its dozen fields).
        return rules.withUnsafeBufferPointer { rules in
            (0..<limit).first { rules[$0].matches(prepared, scratch: scratch) }
        }
    }

    private func describe(_ entry: TimelineEntry, in entries: [TimelineEntry]) -> ClassifiedEntry {
        var spanName: String?
        if entry.kind != .span, let spanID = entry.spanID {
            spanName = entries.first { $0.kind == .span && $0.spanID == spanID }?.name
        }
        return ClassifiedEntry(service: entry.service, kind: entry.kind, name: entry.name, spanName: spanName)
    }

    /// The deepest error entry, earliest among equals.
    static func deepestError(in entries: [TimelineEntry]) -> Int? {
        var best: Int?
        for index in entries.indices where entries[index].isError {
            if let current = best, entries[index].depth <= entries[current].depth { continue }
            best = index
        }
        return best
    }
}
