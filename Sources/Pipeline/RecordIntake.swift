package import Store
package import TraceJoinCore

/// The one record path of `batch`, `tail` and `serve`: decoded records of a source come in, are scrubbed a batch
/// at a time with the rules in force, counted, and go out as `SourcedRecord`s for the writer.
///
/// Only records that ``scrub(with:)`` passed can be taken out (``scrubbed``, ``takeScrubbed()``), so nothing
/// reaches the store unscrubbed whichever command read it. A batch is scrubbed in one loop, after it was decoded
/// rather than record by record as each one is: the loop's thread CPU time is the scrubber's cost
/// (``scrubCPUSeconds``), apart from the decoder's.
///
/// What sets the commands apart are two parameters, not copies of the path:
/// - `tail` dates a log record that has no time of its own with the time it was read (`readTime`) and marks it
///   `tracejoin.time_observed`, when it is added: before the scrub, as the line was read.
/// - `serve` stores received log records in one long-lived source at positions made of their scrubbed content
///   (`receivedLogs`, ``ReceivedLogKey``), so an exporter's retry stores nothing twice; it answers with
///   ``counts`` and ``firstRejectReason`` (OTLP `partial_success`).
package struct RecordIntake {
    /// Where `serve` keeps received log records (rejects and spans stay in their request's source).
    package struct ReceivedLogs: Sendable {
        package var sourceID: Int64
        /// `sources.path` of that source, the `source` of each record's origin.
        package var path: String

        package init(sourceID: Int64, path: String) {
            self.sourceID = sourceID
            self.path = path
        }
    }

    private let readTime: (() -> Int64)?
    private let receivedLogs: ReceivedLogs?
    private let capacity: Int
    /// The records added and not yet taken: `records[..<scrubbedCount]` are scrubbed, the rest as decoded.
    private var records: [SourcedRecord] = []
    package private(set) var scrubbedCount = 0
    /// What the scrubbed records were, and how many the rules dropped, since the intake was made.
    package private(set) var counts = RecordCounts()
    /// Records a rule dropped, by source, until ``takeDropped(of:)`` takes them (only when asked for at `init`).
    private var droppedBySource: [Int64: Int] = [:]
    private let tallyingDrops: Bool
    /// The reason of the first reject scrubbed since the intake was made.
    package private(set) var firstRejectReason: String?
    /// CPU seconds the scrubbing loops took on the threads that ran them.
    package private(set) var scrubCPUSeconds = 0.0

    /// - Parameters:
    ///   - capacity: records expected between two takes (room is reserved for them).
    ///   - readTime: `tail`: nanoseconds since the epoch now, for log records without a time.
    ///   - receivedLogs: `serve`: the source of received log records, keyed by content.
    ///   - tallyingDrops: `batch`: count the records a rule drops by source (``takeDropped(of:)``), which its
    ///     source progress takes off.
    package init(
        capacity: Int = 0, stampingUntimedLogsWith readTime: (() -> Int64)? = nil, receivedLogs: ReceivedLogs? = nil,
        tallyingDrops: Bool = false
    ) {
        self.capacity = capacity
        self.tallyingDrops = tallyingDrops
        self.readTime = readTime
        self.receivedLogs = receivedLogs
        records.reserveCapacity(capacity)
    }

    /// Records added and not yet taken, scrubbed or not.
    package var count: Int { records.count }
    /// Records added and not yet scrubbed.
    package var waitingCount: Int { records.count - scrubbedCount }

    // MARK: - In

    /// Adds one decoded record of a source; it waits for the next ``scrub(with:)``.
    package mutating func add(_ record: Record, sourceID: Int64) {
        guard let readTime, case .log(var log) = record, log.time == nil else {
            records.append(SourcedRecord(sourceID: sourceID, record: record))
            return
        }
        // A line with no time of its own happened about when it was written: use the time it was read.
        log.time = readTime()
        log.appendAttribute(Attribute("tracejoin.time_observed", .bool(true)))
        records.append(SourcedRecord(sourceID: sourceID, record: .log(log)))
    }

    /// Adds records of any sources, as they are, and leaves `sourced` empty (`batch`'s scrubbing thread, which
    /// takes them batch by batch). When nothing is waiting, the array itself becomes the intake's: if the caller
    /// held the only reference, the records are scrubbed in place, never copied.
    package mutating func add(taking sourced: inout [SourcedRecord]) {
        defer { sourced = [] }
        if readTime != nil {
            for record in sourced { add(record.record, sourceID: record.sourceID) }
        } else if records.isEmpty {
            swap(&records, &sourced)
        } else {
            records.append(contentsOf: sourced)
        }
    }

    /// Adds the decoded records of one source.
    package mutating func add(contentsOf decoded: [Record], sourceID: Int64) {
        records.reserveCapacity(records.count + decoded.count)
        for record in decoded { add(record, sourceID: sourceID) }
    }

    // MARK: - Scrub

    /// Scrubs every record waiting with `scrubber`, in order: counts each, leaves out those a rule drops, and places
    /// received log records (``ReceivedLogs``).
    ///
    /// With a `helper`, a batch of at least ``ScrubHelper/smallestSplit`` records is cut in two: the helper's
    /// thread scrubs the second half while this thread scrubs the first. Each half is scrubbed in order in its own
    /// place, so the records kept, their order and the counts are those of one loop.
    package mutating func scrub(with scrubber: any RecordScrubber, helper: ScrubHelper? = nil) {
        guard scrubbedCount < records.count else { return }
        let started = ThreadCPUTime.now()
        let helperStarted = helper?.cpuSeconds ?? 0
        let range = scrubbedCount..<records.count
        let receivedLogs = self.receivedLogs
        let parts = records.withUnsafeMutableBufferPointer { buffer in
            let slots = RecordSlots(base: buffer.baseAddress!)
            return ScrubHelper.split(range, over: helper) { part in
                Self.scrub(slots, part, with: scrubber, receivedLogs: receivedLogs)
            }
        }
        // Each part kept its records at its own start: close the gaps the dropped records left.
        var kept = scrubbedCount
        for part in parts {
            if part.start != kept {
                for offset in 0..<part.kept { records.swapAt(kept + offset, part.start + offset) }
            }
            kept += part.kept
            counts.add(part.counts)
            if firstRejectReason == nil { firstRejectReason = part.firstRejectReason }
            if tallyingDrops { droppedBySource.merge(part.droppedBySource, uniquingKeysWith: +) }
        }
        records.removeSubrange(kept...)
        scrubbedCount = kept
        scrubCPUSeconds += ThreadCPUTime.now() - started + (helper.map { $0.cpuSeconds - helperStarted } ?? 0)
    }

    /// What scrubbing one part of the waiting records left: its first `kept` slots hold the records kept.
    private struct ScrubbedPart: Sendable {
        var start: Int
        var kept = 0
        var counts = RecordCounts()
        var firstRejectReason: String?
        var droppedBySource: [Int64: Int] = [:]
    }

    /// Scrubs the records in `range` of `slots` in order, moving those kept to the start of the range.
    private static func scrub(
        _ slots: RecordSlots, _ range: Range<Int>, with scrubber: any RecordScrubber, receivedLogs: ReceivedLogs?
    ) -> ScrubbedPart {
        var part = ScrubbedPart(start: range.lowerBound)
        var next = range.lowerBound
        // Each record is moved out of its slot and handed to the scrubber (no copy, so a field a rule changes is
        // changed in place); the slots from `next` on are empty until the record kept next is moved into one.
        for index in range {
            let sourced = (slots.base + index).move()
            let sourceID = sourced.sourceID
            guard let scrubbed = scrubber.scrub((consume sourced).record) else {
                part.counts.droppedByRules += 1
                part.droppedBySource[sourceID, default: 0] += 1
                continue
            }
            (slots.base + next).initialize(
                to: placed(scrubbed, sourceID: sourceID, receivedLogs: receivedLogs, part: &part))
            next += 1
        }
        // The slots of dropped records are filled again, so the array holds a value in every slot.
        (slots.base + next).initialize(repeating: SourcedRecord.placeholder, count: range.upperBound - next)
        part.kept = next - range.lowerBound
        return part
    }

    /// Counts a scrubbed record and gives it its source (and, for a received log record, its position).
    private static func placed(
        _ record: consuming Record, sourceID: Int64, receivedLogs: ReceivedLogs?, part: inout ScrubbedPart
    ) -> SourcedRecord {
        part.counts.count(record)
        if part.firstRejectReason == nil, case .reject(let reject) = record { part.firstRejectReason = reject.reason }
        if let receivedLogs, case .log = record {
            guard case .log(var log) = consume record else { preconditionFailure("a log, checked above") }
            log.origin = ReceivedLogKey.origin(of: log, source: receivedLogs.path)
            return SourcedRecord(sourceID: receivedLogs.sourceID, record: .log(log))
        }
        // Moved on as it is: a copy would retain and release every field.
        return SourcedRecord(sourceID: sourceID, record: record)
    }

    // MARK: - Out

    /// How many records of `sourceID` a rule dropped since the last call for it.
    package mutating func takeDropped(of sourceID: Int64) -> Int {
        droppedBySource.removeValue(forKey: sourceID) ?? 0
    }

    /// The scrubbed records, in the order they were added; they stay until ``takeScrubbed()``.
    package var scrubbed: [SourcedRecord] {
        scrubbedCount == records.count ? records : Array(records[..<scrubbedCount])
    }

    /// The scrubbed records, which leave the intake; records still waiting stay.
    @discardableResult
    package mutating func takeScrubbed() -> [SourcedRecord] {
        let taken: [SourcedRecord]
        if scrubbedCount == records.count {
            taken = records
            records = []
            records.reserveCapacity(capacity)
        } else {
            taken = Array(records[..<scrubbedCount])
            records.removeFirst(scrubbedCount)
        }
        scrubbedCount = 0
        return taken
    }
}

extension RecordIntake {
    /// The scrubbed records as the rows the writer binds (``RowBatch``), made on this thread rather than the
    /// writer's; with a `helper`, the second half on the helper's thread, like ``scrub(with:helper:)``. The records
    /// leave the intake and are freed on the threads that made their rows.
    package mutating func takeRows(helper: ScrubHelper? = nil) -> [RowBatch] {
        var taken = takeScrubbed()
        let count = taken.count
        if count == 0 { return [] }
        return taken.withUnsafeMutableBufferPointer { buffer in
            let slots = RecordSlots(base: buffer.baseAddress!)
            return ScrubHelper.split(0..<count, over: helper) { Self.rows(slots, $0) }
        }
    }

    /// The rows of the records in `range`; each record is replaced by a placeholder (no heap object) once its row is
    /// made, so it is freed here.
    private static func rows(_ slots: RecordSlots, _ range: Range<Int>) -> RowBatch {
        let logs = RowBatch.logCount(UnsafeBufferPointer(start: slots.base + range.lowerBound, count: range.count))
        var batch = RowBatch(capacity: range.count, logs: logs)
        for index in range {
            batch.append((slots.base + index).move())
            (slots.base + index).initialize(to: SourcedRecord.placeholder)
        }
        return batch
    }
}

extension SourcedRecord {
    /// What fills a slot whose record was moved out: an empty reject, which holds no heap object.
    fileprivate static var placeholder: SourcedRecord {
        SourcedRecord(sourceID: 0, record: .reject(RejectedRecord(origin: InputLocation(source: ""), reason: "", raw: "")))
    }
}

/// Records of each kind seen so far.
package struct RecordCounts: Equatable, Sendable {
    package var spans = 0
    package var logs = 0
    package var rejects = 0
    package var droppedByRules = 0
    package var total: Int { spans + logs + rejects }

    /// Counts one record by its kind.
    mutating func count(_ record: Record) {
        switch record {
        case .span: spans += 1
        case .log: logs += 1
        case .reject: rejects += 1
        }
    }

    mutating func add(_ other: RecordCounts) {
        spans += other.spans
        logs += other.logs
        rejects += other.rejects
        droppedByRules += other.droppedByRules
    }

    package init(spans: Int = 0, logs: Int = 0, rejects: Int = 0, droppedByRules: Int = 0) {
        self.spans = spans
        self.logs = logs
        self.rejects = rejects
        self.droppedByRules = droppedByRules
    }
}

/// The waiting records' storage, shared by the two threads of a split scrub; each touches only its own half.
private struct RecordSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<SourcedRecord>
}
