#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small direct-mapped cache keyed by text: a slot holds the last text hashed to it and its value.
///
/// The scrubber keeps two per thread (`ThreadCaches`): key-rule decisions per attribute key and
/// what scrubbing a text gave. Direct-mapped, so one-off texts (IDs, timestamps) push out old entries
/// rather than filling the cache for good, and memory is fixed. Not thread-safe: one thread's own.
final class SlotCache<Value> {
    static var slotCount: Int { 4096 }
    /// Each slot's text (nil: empty) and value (initialized where the text is not nil), read in place through
    /// the pointers: reading an element of an array of optional tuples copies it, retaining its text and
    /// value, even to compare the text (4–5 % of the scrubbing threads' CPU).
    private let texts: UnsafeMutablePointer<String?>
    private let values: UnsafeMutablePointer<Value>

    init() {
        texts = .allocate(capacity: Self.slotCount)
        texts.initialize(repeating: nil, count: Self.slotCount)
        values = .allocate(capacity: Self.slotCount)
    }

    deinit {
        for index in 0..<Self.slotCount where texts[index] != nil { (values + index).deinitialize(count: 1) }
        texts.deinitialize(count: Self.slotCount)
        texts.deallocate()
        values.deallocate()
    }

    /// The value remembered for `text`; `hash` is `SlotCache.hash(of:)`.
    func value(for text: String, hash: Int) -> Value? {
        withValue(for: text, hash: hash) { copy $0 }
    }

    /// `body` on the value remembered for `text`, in its slot; nil when none is.
    func withValue<Result>(for text: String, hash: Int, _ body: (borrowing Value) -> Result) -> Result? {
        let index = hash & (Self.slotCount - 1)
        guard texts[index] == text else { return nil }
        return body(values[index])
    }

    /// `withValue(for:hash:_:)` for a text given as its UTF-8 bytes; `hash` is `SlotCache.hash(of:)` of them.
    func withValue<Result>(
        for utf8: UnsafeBufferPointer<UInt8>, hash: Int, _ body: (borrowing Value) -> Result
    ) -> Result? {
        let index = hash & (Self.slotCount - 1)
        let same = texts[index]?.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == utf8.count && (stored.count == 0 || memcmp(stored.baseAddress!, utf8.baseAddress!, stored.count) == 0)
        }
        guard same == true else { return nil }
        return body(values[index])
    }

    func remember(_ value: Value, for text: String, hash: Int) {
        let index = hash & (Self.slotCount - 1)
        if texts[index] == nil {
            (values + index).initialize(to: value)
        } else {
            values[index] = value
        }
        texts[index] = text
    }
}

extension SlotCache {
    /// A hash from the length and at most three 8-byte samples (start, middle, end): constant time
    /// whatever the length. Texts that share all of them share a slot and evict each other; the
    /// full comparison on lookup keeps answers right.
    static func hash(of text: String) -> Int {
        var copy = text
        return copy.withUTF8 { hash(of: $0) }
    }

    /// `hash(of:)` of a text given as its UTF-8 bytes: the same value as for the `String`.
    static func hash(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let count = bytes.count
        var h = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return Int(truncatingIfNeeded: h) }
        func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
        }
        if count >= 8 {
            mix(base.loadUnaligned(as: UInt64.self))
            mix(base.loadUnaligned(fromByteOffset: count / 2 - 4, as: UInt64.self))
            mix(base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        } else {
            var word: UInt64 = 0
            for index in 0..<count { word |= UInt64(bytes[index]) << (8 * UInt64(index)) }
            mix(word)
        }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }
}

/// What the key rules say about one attribute key.
enum KeyDecision: Sendable {
    /// Trace context (`ProtectedKeys`): never scrubbed.
    case protected
    /// No key rule names it: only the pattern rules apply to its value.
    case unnamed
    /// These key rules (indices into the engine's key rules, in priority order) name it.
    case named([Int])
}
