import Foundation

/// One thread's caches for one engine: key-rule decisions per attribute key, and what scrubbing a
/// text gave (see `ScrubEngine.scrubText`).
///
/// Per thread rather than shared behind a lock: the scrubber runs on every string of every record,
/// and an uncontended lock pair per lookup cost as much as the lookup. A thread keeps the caches of
/// the last engine it used (engines are told apart by a serial number, never reused), so a process
/// with one scrubber has one set per thread, and a thread that alternates engines (`rules test`)
/// just starts afresh; at thread exit the set is released.
final class ThreadCaches {
    let engineSerial: UInt64
    let keyDecisions = SlotCache<KeyDecision>()
    let scrubbedTexts = SlotCache<ScrubbedText>()
    /// PCRE2's match data and context for this thread's scans: made once, not for every text a pattern runs on
    /// (two `malloc`s and their frees, several times a record). A match leaves no state in them
    /// (`PCREPattern.matches` clears its deadline callout), so any rule of any engine may use them next.
    let matchScratch = MatchScratch()

    /// The hash of the last text seen in each slot of `scrubbedTexts` without being remembered there. A text the
    /// scrubber has only as bytes (stored JSON) would need a `String` made to be remembered; it is remembered
    /// when it is seen a second time, so the one-off values (IDs, times) never make one.
    private let sightings: UnsafeMutablePointer<Int>

    private init(engineSerial: UInt64) {
        self.engineSerial = engineSerial
        sightings = .allocate(capacity: SlotCache<ScrubbedText>.slotCount)
        sightings.initialize(repeating: 0, count: SlotCache<ScrubbedText>.slotCount)
    }

    deinit { sightings.deallocate() }

    /// True the first time a text with this hash is seen since its slot last held another.
    func isFirstSighting(ofHash hash: Int) -> Bool {
        let index = hash & (SlotCache<ScrubbedText>.slotCount - 1)
        if sightings[index] == hash { return false }
        sightings[index] = hash
        return true
    }

    /// The calling thread's caches for the engine with this serial.
    static func current(forEngine serial: UInt64) -> ThreadCaches {
        guard let key = threadCachesKey else { return ThreadCaches(engineSerial: serial) }
        if let pointer = pthread_getspecific(key) {
            let caches = Unmanaged<ThreadCaches>.fromOpaque(pointer).takeUnretainedValue()
            if caches.engineSerial == serial { return caches }
            Unmanaged<ThreadCaches>.fromOpaque(pointer).release()
        }
        let caches = ThreadCaches(engineSerial: serial)
        pthread_setspecific(key, Unmanaged.passRetained(caches).toOpaque())
        return caches
    }

    /// A new engine serial.
    static func nextEngineSerial() -> UInt64 { serials.next() }
    private static let serials = SerialCounter()
}

/// The thread-specific slot holding a thread's `ThreadCaches`; nil if the system has no key left
/// (then every call gets fresh, empty caches: slower, never wrong).
private let threadCachesKey: pthread_key_t? = {
    var key = pthread_key_t()
    return pthread_key_create(&key, { releaseThreadCaches($0) }) == 0 ? key : nil
}()

private func releaseThreadCaches(_ pointer: UnsafeMutableRawPointer?) {
    if let pointer { Unmanaged<ThreadCaches>.fromOpaque(pointer).release() }
}

private final class SerialCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var last: UInt64 = 0

    func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        last += 1
        return last
    }
}

/// What scrubbing one text gave, and the hits per rule id it counted.
struct ScrubbedText {
    var outcome: ScrubEngine.Outcome
    var hits: [String: Int]
}
