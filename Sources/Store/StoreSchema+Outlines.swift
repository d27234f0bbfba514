/// Migration `v4-log-outlines`: `logs_by_trace` also holds each log's time, severity and service.
///
/// The summary pass reads those four columns of every log of a chunk of traces to summarise the plain
/// (logs-only, no error) traces, most traces of a night. With them in the index that read is a scan of the
/// index alone, instead of an index scan plus one primary-key lookup per log row in the table: the outline
/// read took a quarter of the time on a 1 GB night.
extension StoreSchema {
    static let outlineMigration = "v4-log-outlines"

    static let outlines: [String] = [
        "DROP INDEX logs_by_trace",
        "CREATE INDEX logs_by_trace ON logs(trace_key, time_ns, severity, service) WHERE trace_key IS NOT NULL",
    ]
}
