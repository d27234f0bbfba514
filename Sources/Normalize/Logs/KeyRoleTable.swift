#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A small lookup table from member names to roles, without SipHash: keys are bucketed by length
/// and first and last byte, then compared. Built once; a lookup is a few byte reads and one or two
/// comparisons, which matters at hundreds of thousands of JSON lines per second.
struct KeyRoleTable<Role: Sendable>: Sendable {
    private struct Entry: Sendable {
        var key: [UInt8]
        var role: Role
    }

    private var buckets: [[Entry]]

    init(_ entries: [(String, Role)]) {
        buckets = Array(repeating: [], count: 512)
        for (key, role) in entries {
            let bytes = Array(key.utf8)
            buckets[Self.bucket(count: bytes.count, first: bytes[0], last: bytes[bytes.count - 1])]
                .append(Entry(key: bytes, role: role))
        }
    }

    @inline(__always)
    private static func bucket(count: Int, first: UInt8, last: UInt8) -> Int {
        (count &* 61 &+ Int(first) &* 7 &+ Int(last) &* 3) & 511
    }

    /// The role of the key in `bytes[start..<end]`.
    @inline(__always)
    func role(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Role? {
        let count = end - start
        guard count > 0, let base = bytes.baseAddress else { return nil }
        for entry in buckets[Self.bucket(count: count, first: bytes[start], last: bytes[end - 1])]
        where entry.key.count == count {
            let same = entry.key.withUnsafeBufferPointer { memcmp($0.baseAddress!, base + start, count) == 0 }
            if same { return entry.role }
        }
        return nil
    }

    /// The role of a key given as text (keys with escapes, logfmt).
    func role(_ key: String) -> Role? {
        var key = key
        return key.withUTF8 { role($0, 0, $0.count) }
    }
}
