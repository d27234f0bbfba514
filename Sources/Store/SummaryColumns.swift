import TraceJoinCore

/// The `traces` columns a ``TraceSummary`` and its ``TraceClassification`` set, bound one way for both places that
/// store a summary: the summary pass (`saveSummaries`) and the writer creating a trace summarised from its rows in
/// memory. The two must store the same row (`WriteSummaryTests`).
enum SummaryColumns {
    /// In the order ``bind(_:to:from:)`` binds them.
    static let names = [
        "start_ns", "end_ns", "status", "sampled", "span_count", "log_count", "event_count", "services",
        "error_class", "root_service", "root_span_id", "root_name", "root_message", "class_rule", "class_entry",
        "fingerprint",
    ]

    /// Binds `summary` and `classification` (none: NULL) at parameters `offset + 1 …` in the order of ``names``. A
    /// summary whose records have no time (start and end 0) gets NULL times.
    static func bind(
        _ summary: TraceSummary, _ classification: TraceClassification?, to statement: RawStatement, from offset: Int32
    ) {
        var services = JSONWriter()
        services.write(strings: summary.services)
        let root = summary.rootCause
        let isTimeKnown = summary.start != 0 || summary.end != 0
        statement.bind(offset + 1, isTimeKnown ? summary.start : nil)
        statement.bind(offset + 2, isTimeKnown ? summary.end : nil)
        statement.bind(offset + 3, summary.isError ? "error" : "ok")
        statement.bind(offset + 4, summary.sampled)
        statement.bind(offset + 5, summary.spanCount)
        statement.bind(offset + 6, summary.logCount)
        statement.bind(offset + 7, summary.eventCount)
        statement.bind(offset + 8, services.bytes)
        statement.bind(offset + 9, summary.errorClass)
        statement.bind(offset + 10, root?.service)
        statement.bind(offset + 11, root?.spanID.map { Int64(bitPattern: $0.value) })
        statement.bind(offset + 12, root?.name)
        statement.bind(offset + 13, root?.message)
        statement.bind(offset + 14, classification?.ruleID)
        statement.bind(offset + 15, classification?.entry)
        statement.bind(offset + 16, classification?.fingerprint)
    }
}
