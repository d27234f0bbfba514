import Foundation

/// Texts the rules left unchanged, remembered so the same text is not scanned again: attribute
/// values repeat on every record (service and host names, routes, user agents, SQL statements,
/// content types), and on a measured corpus three texts in four were one of a thousand values.
///
/// Only unchanged texts are remembered, so no hit count is lost, and the rules' result depends on
/// the text alone (PCRE2's limits count steps, not time), so a remembered text gives the answer a
/// scan would. Direct-mapped: a slot holds the last text hashed to it, so one-off values (IDs,
/// timestamps) push out old entries instead of filling the cache for good. Shared by the threads
/// using one engine, behind a lock held for a slot read or write only.
final class CleanTextCache: @unchecked Sendable {
    static let slotCount = 4096
    /// Longer texts are rarely repeated and cost more to hash and compare than they save.
    static let maximumLength = 1024
    private let lock = NSLock()
    private var slots: [String?] = Array(repeating: nil, count: slotCount)

    /// Whether `text` (with `hash`, its `hashValue`) is known to be left unchanged.
    func contains(_ text: String, hash: Int) -> Bool {
        let slot = hash & (Self.slotCount - 1)
        lock.lock()
        defer { lock.unlock() }
        return slots[slot] == text
    }

    func insert(_ text: String, hash: Int) {
        let slot = hash & (Self.slotCount - 1)
        lock.lock()
        defer { lock.unlock() }
        slots[slot] = text
    }
}
