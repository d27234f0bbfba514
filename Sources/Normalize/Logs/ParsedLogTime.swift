/// A time as a log line wrote it, before the decoder decides what it means.
///
/// Application times often lack a date or a zone (`16:51:51.647` in the services' local zone);
/// the decoder then prefers the container wrapper's UTC time, or applies the configured zone.
enum ParsedLogTime: Equatable, Sendable {
    /// A full instant in nanoseconds since the Unix epoch: it had a date and a zone, or was an epoch number.
    case instant(Int64)
    /// Date and time of day without a zone: nanoseconds since the epoch as if the wall clock were UTC.
    case wallClock(Int64)
    /// Time of day only: nanoseconds since midnight.
    case timeOfDay(Int64)
}
