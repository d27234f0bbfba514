/// Migration `v5-live-summary-indexes`: two indexes for the summary pass that runs every second in `serve`
/// and `tail`, whose queries went through every open (dirty) trace each time.
///
/// `traces_provisional` lists the provisional traces (Datadog-only logs, `lower64_only`). The merge that folds a provisional trace into the full trace with the same lower 64 bits ran every second
/// in `serve` and `tail`, inside a write transaction, and went through every dirty trace to look for a
/// provisional partner: 0.6 s with 110,000 open traces, during which the writer waited. Provisional traces
/// are few, so the merge now starts from them (`IncidentStore.mergeLower64Traces`).
///
/// `traces_dirty_by_update` orders the open traces by their last change, so finding those idle for 30 s reads
/// only those (`IncidentStore.dirtyTraceKeys(updatedAtOrBefore:limit:)`): 27 ms → 0.2 ms per pass with 110,000
/// open traces and none idle yet.
extension StoreSchema {
    static let liveSummaryMigration = "v5-live-summary-indexes"

    static let liveSummary: [String] = [
        "CREATE INDEX traces_provisional ON traces(trace_lo) WHERE lower64_only = 1",
        "CREATE INDEX traces_dirty_by_update ON traces(updated_ns) WHERE dirty = 1",
    ]
}
