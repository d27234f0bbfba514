import Foundation
import Store
import TraceJoinCore

/// Where `batch` puts what it decodes: the records go through the ``RecordIntake`` (scrubbed a batch at a time)
/// and on to the writer thread, in transactions of `batchSize` records with the source progress they cover.
final class RecordSink {
    private let scrubber: any RecordScrubber
    private let queue: BoundedQueue<WriteJob>
    private let batchSize: Int
    private let helper: ScrubHelper?
    private var intake: RecordIntake
    private var pendingProgress: [SourceProgress] = []

    /// - Parameter helper: a second thread that scrubs half of each batch (``ScrubHelper``).
    init(scrubber: any RecordScrubber, queue: BoundedQueue<WriteJob>, batchSize: Int, helper: ScrubHelper? = nil) {
        self.scrubber = scrubber
        self.helper = helper
        self.queue = queue
        self.batchSize = batchSize
        intake = RecordIntake(capacity: batchSize)
    }

    /// Adds one decoded record of a source to the pending batch.
    ///
    /// A full batch is scrubbed, and handed on once what the rules left of it fills it: the same transactions
    /// as if each record were scrubbed as it came.
    func accept(_ record: Record, sourceID: Int64) {
        intake.add(record, sourceID: sourceID)
        guard intake.count >= batchSize else { return }
        intake.scrub(with: scrubber, helper: helper)
        if intake.scrubbedCount >= batchSize { flush() }
    }

    /// The counts of every record accepted so far. Scrubs what waits first: only the scrubber knows what a rule
    /// drops, and a file's counts are recorded with its progress.
    func scrubbedCounts() -> RecordCounts {
        intake.scrub(with: scrubber, helper: helper)
        return intake.counts
    }

    /// Records accepted so far, for the progress line (those a rule will drop count until they are scrubbed).
    var recordsAccepted: Int { intake.counts.total + intake.waitingCount }

    /// CPU seconds spent scrubbing, on the thread that accepts the records and on the helper.
    var scrubCPUSeconds: Double { intake.scrubCPUSeconds }

    /// Most source progress entries in one transaction.
    static let progressPerBatch = 1_000

    /// Adds a file's progress to the pending batch: it commits with the file's last records, in the transaction
    /// that holds them. Small files share a transaction instead of taking one each: 10,000 files of two lines
    /// wrote 2.2 GB of log pages for 1.3 MB of input with a commit per file (issue #14).
    func addProgress(_ progress: SourceProgress) {
        pendingProgress.append(progress)
        if pendingProgress.count >= Self.progressPerBatch { flush() }
    }

    /// Scrubs what is pending and sends it, with the source progress it covers, to the writer.
    func flush() {
        intake.scrub(with: scrubber, helper: helper)
        guard intake.count > 0 || !pendingProgress.isEmpty else { return }
        queue.push(WriteJob(rows: intake.takeRows(helper: helper), progress: pendingProgress))
        pendingProgress = []
    }
}

/// One transaction's worth of work for the writer thread.
struct WriteJob: Sendable {
    /// The records, as the rows the writer binds (made on the threads that scrubbed them).
    var rows: [RowBatch]
    var progress: [SourceProgress]
}
