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
        if pending.count >= batchSize { flush(progress: []) }
    }

    /// Sends what is pending, with the source progress it covers, to the writer.
    func flush(progress: [SourceProgress]) {
        guard !pending.isEmpty || !progress.isEmpty else { return }
        queue.push(WriteJob(records: pending, progress: progress))
        pending = []
        pending.reserveCapacity(batchSize)
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
