import Rules
import Store

/// One unit of work for the tail's writer, done in the order it was queued.
///
/// Order is the whole point: a commit's checkpoints cover the rows of that commit and of every commit queued
/// before it, and a summary pass queued after a commit sees its rows.
enum TailWriteJob: Sendable {
    /// Rows, with the checkpoints that cover them and the files the tailer forgot, in ONE transaction.
    case commit(TailCommit)
    /// Summarises the traces no row has reached for `idle` (``TraceFinalizer/finalizeIdleTraces``).
    case finalizeIdleTraces(classifier: Classifier, idle: Duration)
}

/// What one transaction of `tracejoin tail` writes.
struct TailCommit: Sendable {
    /// The scrubbed records. Their rows are made on the writer's thread: the polling thread, which decodes and
    /// scrubs, is the busier of tail's two (making them there cost 4–7% of tail's lines/s).
    var records: [SourcedRecord]
    /// Only the checkpoints that changed since the last commit handed over.
    var checkpoints: [StoredTailCheckpoint]
    /// Files the tailer no longer remembers: their checkpoint rows are deleted.
    var forgotten: [StoredTailFile]
}
