package import TraceJoinCore

extension Scrubber {
    /// The hit counts as the pipeline records them with each run, sorted by rule then service.
    package var hitCountsByRule: [ScrubHitCount] {
        hitCounts.map { ScrubHitCount(rule: $0.key.rule, service: $0.key.service, count: $0.value) }
            .sorted { ($0.rule, $0.service) < ($1.rule, $1.service) }
    }
}
