import Foundation

/// Which key rules an attribute key falls under, remembered per key: keys repeat on every record
/// (`http.method`, `user.id`), and normalising one and running the key patterns over it costs more
/// than a dictionary lookup.
///
/// Shared by every thread that scrubs with the same engine, behind a lock held only for the lookup.
/// Bounded, so a stream of made-up keys (a map keyed by request ID) cannot grow it without end;
/// past the bound, keys are simply decided afresh each time.
final class KeyDecisionCache: @unchecked Sendable {
    /// What the key rules say about one key.
    enum Decision: Sendable {
        /// Trace context (`ProtectedKeys`): never scrubbed.
        case protected
        /// No key rule names it: only the pattern rules apply to its value.
        case unnamed
        /// These key rules (indices into the engine's key rules, in priority order) name it.
        case named([Int])
    }

    static let capacity = 4096
    private let lock = NSLock()
    private var decisions: [String: Decision] = [:]

    /// The remembered decision for `key`, if any.
    func decision(for key: String) -> Decision? {
        lock.lock()
        defer { lock.unlock() }
        return decisions[key]
    }

    /// Remembers `decision` for `key` while the cache has room.
    func remember(_ decision: Decision, for key: String) {
        lock.lock()
        defer { lock.unlock() }
        if decisions.count < Self.capacity { decisions[key] = decision }
    }
}
