extension Duration {
    /// Whole nanoseconds, rounded toward zero (a `Duration` holds attoseconds; tracejoin stores and reports
    /// nanoseconds).
    package var inNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
