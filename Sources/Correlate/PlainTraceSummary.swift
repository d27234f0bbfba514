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
        // First appearance of each service in (time, input order). A trace names a few services, so they are
        // looked up in a list (no hashing, no dictionary per trace) until there are more than `listed`.
        let listed = 16
        var firstSeen: [(service: String, time: Int64, index: Int)] = []
        var positions: [String: Int] = [:]
        for (index, log) in logs.enumerated() {
            guard let time = log.time, log.severity < .error else { return nil }
            start = min(start, time)
            end = max(end, time)
            guard !log.service.isEmpty else { continue }
            let position =
                firstSeen.count <= listed
                ? firstSeen.firstIndex { $0.service == log.service } : positions[log.service]
            if let position {
                if (firstSeen[position].time, firstSeen[position].index) <= (time, index) { continue }
                firstSeen[position] = (log.service, time, index)
            } else {
                firstSeen.append((log.service, time, index))
                if firstSeen.count > listed {
                    if positions.isEmpty {
                        for (at, seen) in firstSeen.enumerated() { positions[seen.service] = at }
                    } else {
                        positions[log.service] = firstSeen.count - 1
                    }
                }
            }
        }
        let services = firstSeen.sorted { ($0.time, $0.index) < ($1.time, $1.index) }.map(\.service)
        return TraceSummary(
            traceID: traceID, services: services, start: start, end: end, isError: false, sampled: false,
            spanCount: 0, logCount: logs.count, eventCount: 0)
    }
}
