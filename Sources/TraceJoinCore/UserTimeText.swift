/// A time as people type it for `--since` and `--until`, and for the same filters of the query API: an RFC 3339
/// time (`2026-11-23T10:00:00Z`, fractions and offsets allowed), or a shorter form of it: a date alone
/// (`2026-11-23`, midnight UTC), hours and minutes without seconds (`2026-11-23T10:00Z`), no zone (UTC); or
/// whole seconds since the epoch. The CLI and the HTTP API read times with this one function, so a time one
/// accepts the other accepts too.
package enum UserTimeText {
    /// Nanoseconds since the epoch; nil when the text is none of the forms above.
    package static func nanoseconds(_ argument: String) -> Int64? {
        if let seconds = Int64(argument) {
            let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            return overflow ? nil : nanos
        }
        var text = argument
        if text.count == 10 { text += "T00:00:00Z" }
        let hasZone = text.hasSuffix("Z") || text.dropFirst(11).contains("+") || text.dropFirst(11).contains("-")
        if !hasZone { text += "Z" }
        // Add seconds when only hours and minutes are given.
        if let tIndex = text.firstIndex(of: "T") {
            let timePart = text[text.index(after: tIndex)...]
            let clock = timePart.prefix { $0.isNumber || $0 == ":" || $0 == "." }
            if clock.filter({ $0 == ":" }).count == 1 {
                text.insert(contentsOf: ":00", at: clock.endIndex)
            }
        }
        return RFC3339.nanoseconds(text)
    }
}
