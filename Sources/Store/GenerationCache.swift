/// A bounded map with generation eviction: two dictionaries, the older one dropped whole when
/// the newer one fills. Recently used entries are promoted, so hot keys survive.
///
/// Cheaper than an LRU list (no per-hit bookkeeping beyond a hash lookup), and memory never exceeds
/// `capacity` entries. Used by the writer to map trace IDs to `trace_key` without a query per row.
struct GenerationCache<Key: Hashable, Value> {
    private var current: [Key: Value] = [:]
    private var previous: [Key: Value] = [:]
    private let generationSize: Int

    /// - Parameter capacity: the most entries held at once (two generations of half each).
    init(capacity: Int) {
        generationSize = max(1, capacity / 2)
    }

    var count: Int { current.count + previous.count }

    mutating func value(for key: Key) -> Value? {
        if let value = current[key] { return value }
        guard let value = previous[key] else { return nil }
        insert(value, for: key)
        return value
    }

    mutating func insert(_ value: Value, for key: Key) {
        if current.count >= generationSize {
            previous = current
            current = Dictionary(minimumCapacity: generationSize)
        }
        current[key] = value
    }

    mutating func removeAll() {
        current = [:]
        previous = [:]
    }
}
