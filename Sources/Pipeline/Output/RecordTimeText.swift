package import TraceJoinCore

/// How text output shows a stored time: `unknown` when there is none, never 1970-01-01.
///
/// A log line may carry no time at all (docs/ingest.md). Such a record is stored with a NULL time, a trace
/// made only of such records gets a summary whose `start` and `end` are 0, and the timeline places the log
/// at its span's start (`tracejoin.time_inferred`). Like OTLP, which means "unknown" by a time of 0, these
/// functions take nil and 0 as no time; JSON writes such a time as `null`.
package enum RecordTimeText {
    /// What stands in place of a time that is not known.
    package static let unknown = "unknown"

    /// `2026-11-23T10:00:00.123456789Z`, or `unknown`.
    package static func rfc3339(_ nanos: Int64?) -> String {
        known(nanos).map(UnixTime.rfc3339) ?? unknown
    }

    /// `2026-11-23T10:00:00.123Z` (UTC, as every stored time), or `unknown`, padded to the same 24 columns.
    package static func milliseconds(_ nanos: Int64?) -> String {
        known(nanos).map { String(UnixTime.rfc3339($0).prefix(23)) + "Z" } ?? padded(24)
    }

    /// `10:00:00.123`, or `unknown`, padded to the same 12 columns.
    package static func timeOfDay(_ nanos: Int64?) -> String {
        known(nanos).map(UnixTime.timeOfDay) ?? padded(12)
    }

    /// JSON's form: the RFC 3339 string, or `null` when the time is not known (as `logs --format json` writes it).
    package static func writeJSON(_ nanos: Int64?, to writer: inout JSONWriter) {
        writer.string(orNull: known(nanos).map(UnixTime.rfc3339))
    }

    private static func known(_ nanos: Int64?) -> Int64? {
        guard let nanos, nanos != 0 else { return nil }
        return nanos
    }

    private static func padded(_ width: Int) -> String {
        unknown + String(repeating: " ", count: max(0, width - unknown.count))
    }
}
