import ArgumentParser
import TraceJoinCore

/// A point in time given on the command line: RFC 3339 with or without seconds or zone
/// (`2026-11-23T00:00Z`, `2026-11-23T10:15:30.5+01:00`, `2026-11-23`), or epoch seconds. Zone-less is UTC.
struct UserTime: ExpressibleByArgument {
    var nanos: Int64

    init?(argument: String) {
        guard let nanos = UserTimeText.nanoseconds(argument) else { return nil }
        self.nanos = nanos
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
