import Foundation

extension LogTimeZone {
    /// Offset changes are read from the tz database up to here (2261-07-17): nanosecond times end in 2262.
    private static let lastChangeSeconds: Int64 = 9_200_000_000
    /// And from here (1900-01-01); earlier times take the zone's 1900 offset.
    private static let firstChangeSeconds: Int64 = -2_208_988_800

    /// A zone as a user writes it: an IANA name (`Europe/Berlin`; the tz database through Foundation),
    /// `UTC`, `Z`, or an offset (`+05:30`, `-0800`, `+01`). nil for anything else.
    package init?(named text: String) {
        if text == "UTC" || text == "Z" || text == "GMT" {
            self = .utc
            return
        }
        if let seconds = Self.offsetSeconds(text) {
            self = .fixed(offsetSeconds: seconds)
            return
        }
        guard !text.isEmpty, !text.hasPrefix("+"), !text.hasPrefix("-"), let zone = TimeZone(identifier: text) else {
            return nil
        }
        var changes: [Int64] = []
        var offsets = [zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(Self.firstChangeSeconds)))]
        var after = Date(timeIntervalSince1970: Double(Self.firstChangeSeconds))
        while let change = zone.nextDaylightSavingTimeTransition(after: after),
            change.timeIntervalSince1970 < Double(Self.lastChangeSeconds), change > after
        {
            after = change
            let offset = zone.secondsFromGMT(for: change)
            if offset == offsets.last { continue }  // only the name or the daylight flag changed
            changes.append(Int64(change.timeIntervalSince1970.rounded()))
            offsets.append(offset)
        }
        self.init(name: text, changeSeconds: changes, offsetSeconds: offsets)
    }

    /// `+HH:MM`, `+HHMM` or `+HH` (or `-`), up to 18 hours: seconds east of UTC.
    private static func offsetSeconds(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = bytes.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            bytes.count == digits.count + 1 || (bytes.count == 6 && bytes[3] == UInt8(ascii: ":"))
        else { return nil }
        let values = digits.map { Int($0 - 0x30) }
        let hours = values[0] * 10 + values[1]
        let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
        guard minutes < 60, hours * 60 + minutes <= 18 * 60 else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// The machine's zone, as the C library reads it: `TZ` (an IANA name, with or without a leading `:`, a
    /// path into a `zoneinfo` folder, empty for UTC, or a fixed POSIX zone such as `EST5` or `UTC0`), else
    /// `/etc/localtime`. A `TZ` it cannot read gives UTC and a sentence saying so.
    package static func machine(environment: [String: String] = ProcessInfo.processInfo.environment) -> (
        zone: LogTimeZone, problem: String?
    ) {
        guard var text = environment["TZ"] else {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime"),
                let zone = zoneInfoPath(target).flatMap(LogTimeZone.init(named:))
            {
                return (zone, nil)
            }
            return (LogTimeZone(named: TimeZone.current.identifier) ?? .utc, nil)
        }
        if text.hasPrefix(":") { text.removeFirst() }
        if text.isEmpty { return (.utc, nil) }
        if let zone = LogTimeZone(named: zoneInfoPath(text) ?? text) ?? posixFixed(text) { return (zone, nil) }
        return (.utc, "TZ=\(text) is not a zone name tracejoin can read; zone-less log times are read as UTC")
    }

    /// `Europe/Berlin` from `/usr/share/zoneinfo/Europe/Berlin`.
    private static func zoneInfoPath(_ path: String) -> String? {
        guard let range = path.range(of: "zoneinfo/") else { return nil }
        return String(path[range.upperBound...])
    }

    /// POSIX `std offset` without a daylight part: `UTC0`, `EST5`, `<+0530>-5:30`. The offset is west of UTC.
    private static func posixFixed(_ text: String) -> LogTimeZone? {
        var rest = Substring(text)
        if rest.hasPrefix("<") {
            guard let close = rest.firstIndex(of: ">") else { return nil }
            rest = rest[rest.index(after: close)...]
        } else {
            let letters = rest.prefix { $0.isLetter }
            guard letters.count >= 3 else { return nil }
            rest = rest.dropFirst(letters.count)
        }
        var sign = -1
        if rest.first == "+" || rest.first == "-" {
            if rest.first == "-" { sign = 1 }
            rest = rest.dropFirst()
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let hours = Int(parts[0]), hours <= 24,
            let minutes = parts.count == 2 ? Int(parts[1]) : 0, minutes < 60
        else { return nil }
        return .fixed(offsetSeconds: sign * (hours * 3600 + minutes * 60))
    }
}
