/// The zone a log's zone-less times are read in: a fixed offset, or an IANA zone's offsets through history.
///
/// Built once per run (`LogTimeZone(named:)`, from the tz database through Foundation); reading a time is a
/// binary search over the zone's offset changes, no Foundation call and no allocation. Local times in the
/// spring-forward gap and the fall-back overlap are resolved by `instants(ofWallClock:)`, which gives both
/// candidates; the log decoder picks one (see `WallClockResolution`).
package struct LogTimeZone: Sendable, Equatable, CustomStringConvertible {
    /// How the zone was named: an IANA name (`Europe/Berlin`), `UTC`, or an offset (`+05:30`).
    package let name: String
    /// UTC instants (nanoseconds) at which the offset changes, ascending.
    private let changes: [Int64]
    /// Offsets (nanoseconds east of UTC): `offsets[0]` before the first change, `offsets[i + 1]` from `changes[i]`.
    private let offsets: [Int64]
    /// The wall-clock stretch of each offset where it is the only one: `offsets[i]` alone covers
    /// `uniqueFrom[i] ..< uniqueUntil[i]`; between `uniqueUntil[i]` and `uniqueFrom[i + 1]` lies a gap or an overlap.
    private let uniqueFrom: [Int64]
    private let uniqueUntil: [Int64]

    package static let utc = LogTimeZone(name: "UTC", changes: [], offsets: [0])

    /// A zone that is always `seconds` east of UTC.
    package static func fixed(offsetSeconds seconds: Int) -> LogTimeZone {
        guard seconds != 0 else { return .utc }
        let minutes = abs(seconds) / 60
        let hours = minutes / 60
        let name = (seconds < 0 ? "-" : "+") + two(hours) + ":" + two(minutes % 60)
        return LogTimeZone(name: name, changes: [], offsets: [Int64(seconds) * 1_000_000_000])
    }

    /// - Parameters:
    ///   - changes: UTC instants in seconds at which the offset changes, ascending.
    ///   - offsets: seconds east of UTC before the first change, then from each change on (`changes.count + 1`).
    package init(name: String, changeSeconds changes: [Int64], offsetSeconds offsets: [Int]) {
        self.init(name: name, changes: changes.map { $0 * 1_000_000_000 }, offsets: offsets.map { Int64($0) * 1_000_000_000 })
    }

    private init(name: String, changes: [Int64], offsets: [Int64]) {
        precondition(offsets.count == changes.count + 1)
        self.name = name
        self.changes = changes
        self.offsets = offsets
        var from: [Int64] = [Int64.min]
        var until: [Int64] = []
        for (index, change) in changes.enumerated() {
            let before = offsets[index]
            let after = offsets[index + 1]
            until.append(change + min(before, after))
            from.append(change + max(before, after))
        }
        until.append(Int64.max)
        uniqueFrom = from
        uniqueUntil = until
    }

    package var description: String { name }

    /// True when the offset never changes (UTC or a fixed offset).
    package var isFixed: Bool { changes.isEmpty }

    /// The offset east of UTC, in nanoseconds, in force at a UTC instant.
    package func offsetNanos(atInstant instant: Int64) -> Int64 {
        // The number of changes at or before `instant` is the index of the offset in force.
        var low = 0
        var high = changes.count
        while low < high {
            let middle = (low + high) / 2
            if changes[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return offsets[low]
    }

    /// The UTC instants a wall-clock time (nanoseconds since the epoch as if the wall clock were UTC) stands for.
    package func instants(ofWallClock wall: Int64) -> WallClockResolution {
        // The last offset whose unique stretch starts at or before `wall`.
        var low = 0
        var high = uniqueFrom.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if uniqueFrom[middle] <= wall { low = middle } else { high = middle - 1 }
        }
        let offset = offsets[low]
        if wall < uniqueUntil[low] {
            return WallClockResolution(
                earlier: wall &- offset, later: wall &- offset, uniqueFrom: uniqueFrom[low], uniqueUntil: uniqueUntil[low],
                offset: offset)
        }
        let next = offsets[low + 1]
        // A gap (the clock jumped forward): the time never existed; it is read with the offset before the jump,
        // so it lands as far after the jump as it is after the jump's start (02:30 becomes 03:30 summer time).
        // An overlap (the clock went back): the time happened twice, first with the offset before, then after.
        let earlier = wall &- offset
        let later = next > offset ? earlier : wall &- next
        return WallClockResolution(earlier: earlier, later: later, uniqueFrom: 0, uniqueUntil: 0, offset: 0)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// The instants of one wall-clock time in a zone, and the stretch of wall clock around it with the same offset.
package struct WallClockResolution: Sendable, Equatable {
    /// The earlier and the later instant; equal unless the time fell in an overlap (the clock went back).
    package var earlier: Int64
    package var later: Int64
    /// The wall-clock stretch `uniqueFrom ..< uniqueUntil` over which `offset` is the only offset (empty
    /// when the time fell in a gap or an overlap): a caller may keep it and skip the search for the next time.
    package var uniqueFrom: Int64
    package var uniqueUntil: Int64
    package var offset: Int64

    /// Covers no wall-clock time: a cache that is empty.
    package static let none = WallClockResolution(earlier: 0, later: 0, uniqueFrom: 0, uniqueUntil: 0, offset: 0)
}
