import Foundation
import Store
import TraceJoinCore

/// Collects decoded records, scrubs them, and hands full batches to the writer thread.
///
/// Every record passes the scrubber here, before it can reach the store: the one place
/// batch, tail and the receiver share.
final class RecordSink {
    private let scrubber: any RecordScrubber
    private let queue: BoundedQueue<WriteJob>
    private let batchSize: Int
    private var pending: [SourcedRecord] = []
    private var pendingProgress: [SourceProgress] = []
    private(set) var counts = RecordCounts()

    init(scrubber: any RecordScrubber, queue: BoundedQueue<WriteJob>, batchSize: Int) {
        self.scrubber = scrubber
        self.queue = queue
        self.batchSize = batchSize
        pending.reserveCapacity(batchSize)
    }

    /// Scrubs and queues one record of a source.
    func accept(_ record: Record, sourceID: Int64) {
        guard let scrubbed = scrubber.scrub(record) else {
            counts.droppedByRules += 1
            return
        }
        switch scrubbed {
        case .span: counts.spans += 1
        case .log: counts.logs += 1
        case .reject: counts.rejects += 1
        }
        pending.append(SourcedRecord(sourceID: sourceID, record: scrubbed))
        if pending.count >= batchSize { flush() }
    }

    /// Most source progress entries in one transaction.
    static let progressPerBatch = 1_000

    /// Adds a file's progress to the pending batch: it commits with the file's last records, in the transaction
    /// that holds them. Small files share a transaction instead of taking one each: 10,000 files of two lines
    /// wrote 2.2 GB of log pages for 1.3 MB of input with a commit per file (issue #14).
    func addProgress(_ progress: SourceProgress) {
        pendingProgress.append(progress)
        if pendingProgress.count >= Self.progressPerBatch { flush() }
    }

    /// Sends what is pending, with the source progress it covers, to the writer.
    func flush() {
        guard !pending.isEmpty || !pendingProgress.isEmpty else { return }
        queue.push(WriteJob(records: pending, progress: pendingProgress))
        pending = []
        pending.reserveCapacity(batchSize)
        pendingProgress = []
    }
}

/// Records of each kind seen so far.
struct RecordCounts {
    var spans = 0
    var logs = 0
    var rejects = 0
    var droppedByRules = 0
    var total: Int { spans + logs + rejects }
}

/// One transaction's worth of work for the writer thread.
struct WriteJob: @unchecked Sendable {
    var records: [SourcedRecord]
    var progress: [SourceProgress]
}
