package import TraceJoinCore

/// A record together with the `sources` row it was read from.
package struct SourcedRecord: Sendable {
    package var sourceID: Int64
    package var record: Record

    package init(sourceID: Int64, record: Record) {
        self.sourceID = sourceID
        self.record = record
    }
}

/// How far a source has been read, committed in the same transaction as the records it covers,
/// so a crash never leaves a checkpoint ahead of (or behind) the rows in the database.
package struct SourceProgress: Sendable {
    package var sourceID: Int64
    /// Byte offset (in the decompressed stream) up to which every record is in this batch or an earlier one.
    package var checkpointOffset: Int64
    /// 1-based number of the line that starts at `checkpointOffset` (nil: leave the stored one), so a resumed
    /// file numbers its new lines (and their rejects) as a reader from the start would.
    package var checkpointLine: Int?
    /// True when the whole file has been read: a re-run with the same fingerprint and size skips it.
    package var complete: Bool
    /// Records read since the previous progress of this source (added to `sources.records`).
    package var records: Int
    /// Rejects since the previous progress of this source (added to `sources.rejects`).
    package var rejects: Int

    package init(
        sourceID: Int64, checkpointOffset: Int64, checkpointLine: Int? = nil, complete: Bool, records: Int = 0,
        rejects: Int = 0
    ) {
        self.sourceID = sourceID
        self.checkpointOffset = checkpointOffset
        self.checkpointLine = checkpointLine
        self.complete = complete
        self.records = records
        self.rejects = rejects
    }
}

/// What one `IngestWriter.write` call changed; duplicates are records already stored.
package struct WriteStats: Sendable, Equatable {
    package var spansInserted = 0
    package var spansDuplicate = 0
    package var eventsInserted = 0
    package var logsInserted = 0
    package var logsDuplicate = 0
    package var rejectsInserted = 0
    package var tracesCreated = 0
    /// Traces created summarised from their rows in memory (``RowBatch/summaries``), not left for the summary pass.
    package var tracesSummarised = 0
    package var tracesTouched = 0

    package init() {}

    package static func += (lhs: inout WriteStats, rhs: WriteStats) {
        lhs.spansInserted += rhs.spansInserted
        lhs.spansDuplicate += rhs.spansDuplicate
        lhs.eventsInserted += rhs.eventsInserted
        lhs.logsInserted += rhs.logsInserted
        lhs.logsDuplicate += rhs.logsDuplicate
        lhs.rejectsInserted += rhs.rejectsInserted
        lhs.tracesCreated += rhs.tracesCreated
        lhs.tracesSummarised += rhs.tracesSummarised
        lhs.tracesTouched += rhs.tracesTouched
    }
}

/// A rejected record as stored: where it was, why, and its (scrubbed) text.
package struct StoredReject: Sendable, Equatable {
    package var location: InputLocation
    package var reason: String
    package var raw: String

    package init(location: InputLocation, reason: String, raw: String) {
        self.location = location
        self.reason = reason
        self.raw = raw
    }
}

/// Row counts for the end-of-run summary.
package struct StoreCounts: Sendable, Equatable {
    package var traces = 0
    /// Traces whose summary says error.
    package var incidents = 0
    /// Traces with logs but no spans.
    package var unsampled = 0
    package var spans = 0
    package var spanEvents = 0
    package var logs = 0
    /// Logs without trace context.
    package var uncorrelatedLogs = 0
    package var rejects = 0
    package var sources = 0

    package init() {}
}
