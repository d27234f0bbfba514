/// Where a member sits in a log object: its index, and its index inside a nested object if any.
struct MemberPath: Equatable {
    var first: Int
    var second: Int = -1
    var third: Int = -1

    init(_ first: Int) { self.first = first }

    func appending(_ index: Int) -> MemberPath {
        var path = self
        if second < 0 { path.second = index } else { path.third = index }
        return path
    }
}

/// Which members of a log object became record fields: a bit per top-level member, and the paths
/// of used members inside nested objects (rare, so the array is usually never allocated).
struct UsedMembers {
    private var whole: UInt64 = 0
    private var inside: UInt64 = 0
    private(set) var nestedPaths: [MemberPath] = []
    private var wideIndices: [Int] = []

    mutating func insert(_ path: MemberPath) {
        if path.second >= 0 {
            nestedPaths.append(path)
            if path.first < 64 { inside |= 1 << UInt64(path.first) } else { wideIndices.append(-1 - path.first) }
        } else if path.first < 64 {
            whole |= 1 << UInt64(path.first)
        } else {
            wideIndices.append(path.first)
        }
    }

    @inline(__always)
    func containsWhole(_ index: Int) -> Bool {
        index < 64 ? whole & (1 << UInt64(index)) != 0 : wideIndices.contains(index)
    }

    @inline(__always)
    func containsInside(_ index: Int) -> Bool {
        index < 64 ? inside & (1 << UInt64(index)) != 0 : wideIndices.contains(-1 - index)
    }
}
