/// A small lookup table from member names to roles, without SipHash: keys are bucketed by length
/// and first and last byte, then compared. Built once; a lookup is a few byte reads and one or two
/// string comparisons, which matters at hundreds of thousands of JSON lines per second.
struct KeyRoleTable<Role: Sendable>: Sendable {
    private var buckets: [[(key: String, role: Role)]]

    init(_ entries: [(String, Role)]) {
        buckets = Array(repeating: [], count: 512)
        for (key, role) in entries {
            var key = key
            key.makeContiguousUTF8()
            buckets[Self.bucket(key)].append((key, role))
        }
    }

    @inline(__always)
    private static func bucket(_ key: String) -> Int {
        let utf8 = key.utf8
        let count = utf8.count
        guard count > 0 else { return 0 }
        let first = Int(utf8.first!)
        let last = Int(utf8.last!)
        return (count &* 61 &+ first &* 7 &+ last &* 3) & 511
    }

    @inline(__always)
    subscript(key: String) -> Role? {
        for entry in buckets[Self.bucket(key)] where entry.key == key { return entry.role }
        return nil
    }
}
