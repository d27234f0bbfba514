import Foundation
import Store
import TraceJoinCore

/// Where `batch` puts what it decodes: batches of `batchSize` records, with the source progress they cover, go to
/// the scrubbing thread, which scrubs them through a ``RecordIntake``, makes their rows (``RowBatch``) and hands
/// them to the writer thread (for `batch`, ``GroupedBatchWriter``, which sorts them by trace).
///
/// Three threads, each a stage, joined by bounded queues (issue #16, "both cores busy"): decoding, scrubbing and
/// writing each take a third to two fifths of a record's CPU, so on two cores none waits for long. One thread per
/// stage keeps the order of records, and so the database, independent of thread timing.
final class RecordSink {
    private let batchSize: Int
    private let scrubbing: QueueWorker<ScrubJob>
    private let stage: ScrubStage
    private var pending: [SourcedRecord] = []
    private var pendingProgress: [SourceProgress] = []
    /// The records decoded so far, by kind (before the rules: one a rule drops is counted here).
    private(set) var decoded = RecordCounts()

    /// - Parameters:
    ///   - queuedBatches: batches waiting to be scrubbed at most (each queue between two stages holds this many).
    ///   - writer: the writer thread's queue, which takes the scrubbed batches.
    ///   - scrubThreads: 2 splits each batch between the scrubbing thread and a ``ScrubHelper``.
    init(
        scrubber: any RecordScrubber, writer: BoundedQueue<WriteJob>, batchSize: Int, queuedBatches: Int,
        scrubThreads: Int
    ) {
        self.batchSize = batchSize
        stage = ScrubStage(
            scrubber: scrubber, writer: writer, batchSize: batchSize, helper: scrubThreads > 1 ? ScrubHelper() : nil)
        scrubbing = QueueWorker(capacity: queuedBatches)
        scrubbing.start(named: "tj-scrub") { [stage] in { job in stage.scrub(&job) } }
        pending.reserveCapacity(batchSize)
    }

    /// Adds one decoded record of a source to the pending batch; a full batch goes to the scrubbing thread.
    func accept(_ record: consuming Record, sourceID: Int64) {
        decoded.count(record)
        pending.append(SourcedRecord(sourceID: sourceID, record: record))
        if pending.count >= batchSize { flush() }
    }

    /// Records decoded so far, for the progress line.
    var recordsAccepted: Int { decoded.total }

    /// Most source progress entries in one job.
    static let progressPerBatch = 1_000

    /// Adds a file's progress to the pending batch: it commits with the file's last records, in the transaction
    /// that holds them. Small files share a transaction instead of taking one each: 10,000 files of two lines
    /// wrote 2.2 GB of log pages for 1.3 MB of input with a commit per file (issue #14).
    ///
    /// `records` counts what the file decoded; the scrubbing thread takes off those a rule dropped.
    func addProgress(_ progress: SourceProgress) {
        pendingProgress.append(progress)
        if pendingProgress.count >= Self.progressPerBatch { flush() }
    }

    /// Sends what is pending, with the source progress it covers, on to be scrubbed and written.
    func flush() {
        guard !pending.isEmpty || !pendingProgress.isEmpty else { return }
        scrubbing.queue.push(ScrubJob(records: pending, progress: pendingProgress))
        pending = []
        pending.reserveCapacity(batchSize)
        pendingProgress = []
    }

    /// Sends what is pending and waits until the scrubbing thread has handed every batch to the writer.
    func finish() throws {
        flush()
        defer { stage.stop() }
        try scrubbing.finish()
    }

    /// After ``finish()``: what the scrubbed records were, and how many the rules dropped.
    var counts: RecordCounts { stage.counts }

    /// After ``finish()``: CPU seconds of the scrubbing threads (scrubbing, and making the rows).
    var scrubCPUSeconds: Double { scrubbing.cpuSeconds + stage.helperCPUSeconds }

    /// Nanoseconds the decoding thread waited for room in the scrubbing queue.
    var decoderWaitNanos: UInt64 { scrubbing.queue.pushWaitNanos }
}

/// Decoded records, and the source progress they complete, on their way to the scrubbing thread.
struct ScrubJob: @unchecked Sendable {
    var records: [SourcedRecord]
    var progress: [SourceProgress]
}

/// One transaction's worth of work for the writer thread.
struct WriteJob: Sendable {
    /// The records, as the rows the writer binds (made on the scrubbing thread).
    var rows: [RowBatch]
    var progress: [SourceProgress]
}

/// The scrubbing thread's work: scrub a batch, make its rows, hand them on in order.
private final class ScrubStage: @unchecked Sendable {
    private let scrubber: any RecordScrubber
    private let writer: BoundedQueue<WriteJob>
    /// Used by the scrubbing thread only, until it has ended (``counts``).
    private var intake: RecordIntake
    /// A second thread for half of each batch.
    private let helper: ScrubHelper?

    init(scrubber: any RecordScrubber, writer: BoundedQueue<WriteJob>, batchSize: Int, helper: ScrubHelper?) {
        self.scrubber = scrubber
        self.helper = helper
        self.writer = writer
        intake = RecordIntake(capacity: batchSize, tallyingDrops: true)
    }

    var counts: RecordCounts { intake.counts }

    var helperCPUSeconds: Double { helper?.cpuSeconds ?? 0 }

    /// Ends the helper thread, once the scrubbing thread has ended.
    func stop() { helper?.stop() }

    func scrub(_ job: inout ScrubJob) {
        intake.add(taking: &job.records)
        intake.scrub(with: scrubber, helper: helper)
        // A file's progress comes after all its records, so the drops it must take off are all counted by now.
        let progress = job.progress.map { item in
            var item = item
            item.records -= intake.takeDropped(of: item.sourceID)
            return item
        }
        writer.push(WriteJob(rows: intake.takeRows(helper: helper), progress: progress))
    }
}
