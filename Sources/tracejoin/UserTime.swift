import ArgumentParser
import TraceJoinCore

/// A point in time given on the command line: RFC 3339 with or without seconds or zone
/// (`2026-11-23T00:00Z`, `2026-11-23T10:15:30.5+01:00`, `2026-11-23`), or epoch seconds. Zone-less is UTC.
struct UserTime: ExpressibleByArgument {
    var nanos: Int64

    init?(argument: String) {
        if let seconds = Int64(argument) {
            nanos = seconds * 1_000_000_000
            return
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
        guard let nanos = RFC3339.nanoseconds(text) else { return nil }
        self.nanos = nanos
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
