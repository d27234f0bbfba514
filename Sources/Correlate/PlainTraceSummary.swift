package import TraceJoinCore

extension TraceAssembler {
    /// The summary of a trace that has only logs, all timed and none at error level, from the logs'
    /// outlines alone; nil for any other trace (those need the full assembly).
    ///
    /// Such traces (sampled out by a ratio sampler, or never traced) are most traces in many systems,
    /// and their summary needs neither messages nor attributes. The result equals
    /// `assemble(...).summary`: with no spans every entry is a log at depth 0, so timeline order is
    /// time, then input order.
    package static func plainSummary(traceID: TraceID, logs: [LogOutline]) -> TraceSummary? {
        guard let first = logs.first, var start = first.time else { return nil }
        var end = start
        // First appearance of each service in (time, input order).
        var firstSeen: [String: (time: Int64, index: Int)] = [:]
        for (index, log) in logs.enumerated() {
            guard let time = log.time, log.severity < .error else { return nil }
            start = min(start, time)
            end = max(end, time)
            guard !log.service.isEmpty else { continue }
            if let seen = firstSeen[log.service], (seen.time, seen.index) <= (time, index) { continue }
            firstSeen[log.service] = (time, index)
        }
        let services = firstSeen.sorted { ($0.value.time, $0.value.index) < ($1.value.time, $1.value.index) }.map(\.key)
        return TraceSummary(
            traceID: traceID, services: services, start: start, end: end, isError: false, sampled: false,
            spanCount: 0, logCount: logs.count, eventCount: 0)
    }
}
