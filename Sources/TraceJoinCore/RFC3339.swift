import Foundation

/// RFC 3339 times as the query API and the command line take them (`2026-11-23T10:00:00Z`,
/// `…00.123456+01:00`): the one reader behind `--since`/`--until` and the API's time parameters.
package enum RFC3339 {
    /// Nanoseconds since the epoch (to the microsecond: Foundation reads the time as a `Double`, which holds no
    /// more at today's dates), nil when malformed.
    package static func nanoseconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1e6).rounded()) * 1_000
    }
}
