/// How long the pattern rules may work on one long value before it is given up as `<unscanned>`.
///
/// PCRE2's match limit bounds one match attempt, not a value: a pattern that finds many matches,
/// each after scanning to the end of the value, takes time quadratic in its length while every
/// single call stays within the limit (an 8 MiB OTLP body of repeated `-----BEGIN PRIVATE KEY-----`
/// would have held the old `pii.private-key` for over an hour). The shipped patterns are written to
/// be linear (`PatternCostTests` proves it); the budget is what stops a user's rule, or one we got
/// wrong, from stalling `serve` or `tail` on one value. The clock is read after each match a pattern
/// finds and, inside one `pcre2_match` call, every 16 match attempts (a callout at the start of
/// `PCREPattern`'s timed copy), so a pattern that rescans the value from every start within one call
/// is stopped too. Values shorter than `minimumLength` are not timed (nor slowed by the callout):
/// even a quadratic pattern is quick on them, and their result then depends on the text alone (the
/// scrubbed-text cache relies on that).
///
/// - `minimumLength` (bytes, default 4096): shorter values are not timed.
/// - `base` (default 1 s) and `perMebibyte` (default 1 s): a value of n bytes may take
///   `base + n × perMebibyte / 1 MiB`, for all the rules together (an 8 MiB OTLP body: 9 s). Generous:
///   a debug build on a loaded machine needs about 0.5 s for a 1 MiB value holding 39,000 matches.
package struct ScanBudget: Sendable {
    package var minimumLength: Int
    package var base: Duration
    package var perMebibyte: Duration
    /// Time since an arbitrary origin, from the injected clock.
    private let elapsed: @Sendable () -> Duration

    package init<C: Clock>(
        clock: C, minimumLength: Int = 4096, base: Duration = .seconds(1), perMebibyte: Duration = .seconds(1)
    ) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        self.minimumLength = minimumLength
        self.base = base
        self.perMebibyte = perMebibyte
    }

    /// The budget on the system's monotonic clock.
    package static let standard = ScanBudget(clock: ContinuousClock())

    /// The deadline for scanning a value of `length` bytes, starting now; nil when it is not timed.
    func deadline(forLength length: Int) -> ScanDeadline? {
        guard length >= minimumLength else { return nil }
        let allowance = base + perMebibyte * (Double(length) / 1_048_576)
        return ScanDeadline(end: elapsed() + allowance, elapsed: elapsed)
    }
}

/// When scanning one value must stop (see `ScanBudget`).
package struct ScanDeadline {
    let end: Duration
    let elapsed: @Sendable () -> Duration

    /// Whether the value's time is up; reads the clock.
    var hasPassed: Bool { elapsed() > end }
}
