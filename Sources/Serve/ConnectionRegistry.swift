import NIOConcurrencyHelpers
package import NIOCore

/// The receiver's open connections, held to at most `limit`.
///
/// When a connection arrives at the limit, the connection that has waited longest with no request in
/// progress (idle between requests, or still sending its first head) is closed to make room, as nginx
/// reuses its waiting connections when it runs out; when every connection is busy with a request, the new
/// one is closed at once. So connections that never finish a request cannot lock out exporters and health
/// probes, and the process stays below its descriptor limit: `accept` never fails for want of one.
///
/// Connections are admitted and marked from the event loops of their channels, so the state is locked.
package final class ConnectionRegistry: Sendable {
    package enum Admission {
        case admitted
        /// Admitted; `channel`, which was waiting for a request, makes room and is to be closed.
        case admittedEvicting(any Channel)
        /// Every connection is busy: the new one is to be closed.
        case refused
    }

    private struct Entry {
        var channel: any Channel
        /// Order in which the connection began waiting for a request; nil while it has one in progress.
        var waitingSince: UInt64?
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var tick: UInt64 = 0
    }

    package let limit: Int
    private let state = NIOLockedValueBox(State())

    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Connections open now.
    package var openCount: Int { state.withLockedValue { $0.entries.count } }

    /// Counts `channel` in, waiting for its first request.
    package func admit(_ channel: any Channel) -> Admission {
        state.withLockedValue { state in
            state.tick += 1
            let entry = Entry(channel: channel, waitingSince: state.tick)
            guard state.entries.count >= limit else {
                state.entries[ObjectIdentifier(channel)] = entry
                return .admitted
            }
            let oldest = state.entries.filter { $0.value.waitingSince != nil }
                .min { $0.value.waitingSince! < $1.value.waitingSince! }
            guard let oldest else { return .refused }
            state.entries[oldest.key] = nil
            state.entries[ObjectIdentifier(channel)] = entry
            return .admittedEvicting(oldest.value.channel)
        }
    }

    /// Marks `channel` as waiting for a request (may be closed to make room) or busy with one.
    package func setWaiting(_ channel: any Channel, _ waiting: Bool) {
        state.withLockedValue { state in
            let key = ObjectIdentifier(channel)
            guard state.entries[key] != nil else { return }
            if waiting {
                guard state.entries[key]?.waitingSince == nil else { return }
                state.tick += 1
                state.entries[key]?.waitingSince = state.tick
            } else {
                state.entries[key]?.waitingSince = nil
            }
        }
    }

    /// Counts `channel` out (closed, or closed to make room).
    package func remove(_ channel: any Channel) {
        _ = state.withLockedValue { $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
