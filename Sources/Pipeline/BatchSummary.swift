import Foundation
package import TraceJoinCore

/// What a batch run did, printed at the end and stored with the run.
package struct BatchSummary: Sendable {
    package var files = 0
    package var filesSkipped = 0
    /// Files that grew since a previous run and were read on from its checkpoint.
    package var filesResumed = 0
    /// Bytes of the resumed files not read again (already stored by a previous run).
    package var bytesResumedPast: Int64 = 0
    package var bytes: Int64 = 0
    package var spans = 0
    package var logs = 0
    package var rejects = 0
    package var droppedByRules = 0
    package var traces = 0
    package var incidents = 0
    package var unsampledTraces = 0
    package var uncorrelatedLogs = 0
    package var elapsedSeconds = 0.0
    /// Reading, decoding, scrubbing and writing the records.
    package var ingestSeconds = 0.0
    /// Time the decoding thread waited for the scrubbing thread, and the writer thread for work.
    package var decoderWaitSeconds = 0.0
    /// CPU seconds of the decoding thread (reading and decoding), the scrubbing thread, the writer thread, and of
    /// summarising: the whole process during the summary pass, plus the summaries made while the grouped rows
    /// were written (``BackgroundSummaries``).
    package var decoderCPUSeconds = 0.0
    /// CPU of the scrubbing thread: scrubbing, and making the rows the writer binds.
    package var scrubCPUSeconds = 0.0
    package var writerCPUSeconds = 0.0
    /// CPU seconds of grouping rows by trace: adding them to sorted runs, spilling and merging them.
    package var groupCPUSeconds = 0.0
    /// Traces summarised as they were written, from their rows grouped in memory; the summary pass did the rest.
    package var tracesSummarisedInWrite = 0
    package var summarizeCPUSeconds = 0.0
    package var writerWaitSeconds = 0.0
    /// Building the timeline summaries of the traces the run touched.
    package var summarizeSeconds = 0.0
    /// Problems with whole files (unreadable, truncated gzip), already printed as they happened.
    package var fileErrors: [Diagnostic] = []

    /// What the scrubbing rules changed, by rule and service (counts only).
    package var scrubHits: [ScrubHitCount] = []

    package init() {}

    package var events: Int { spans + logs }
    /// Values the scrubbing rules removed or masked in this run.
    package var scrubbedValues: Int { scrubHits.reduce(0) { $0 + $1.count } }
    package var eventsPerSecond: Double { elapsedSeconds > 0 ? Double(events) / elapsedSeconds : 0 }

    /// The closing summary for people.
    package var text: String {
        var notes: [String] = []
        if filesSkipped > 0 { notes.append("\(filesSkipped) already ingested, skipped") }
        if filesResumed > 0 {
            notes.append("\(filesResumed) resumed, \(ByteCount.text(bytesResumedPast)) not read again")
        }
        let skipped = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
        return """
            files      \(files)\(skipped), \(ByteCount.text(bytes))
            spans      \(spans) read
            logs       \(logs) read
            rejects    \(rejects)\(rejects > 0 ? "  (see `tracejoin rejects`)" : "")\(damagedLine)
            scrubbed   \(scrubbedValues) values\(scrubbedValues > 0 ? "  (see `tracejoin report pii`)" : "")
            database   \(traces) traces (\(incidents) incidents, \(unsampledTraces) unsampled), \
            \(uncorrelatedLogs) uncorrelated logs
            elapsed    \(String(format: "%.2f", elapsedSeconds)) s (ingest \(String(format: "%.2f", ingestSeconds)) s, \
            summaries \(String(format: "%.2f", summarizeSeconds)) s), \(String(format: "%.0f", eventsPerSecond)) events/s
            """
    }

    /// A line for files that were damaged or could not be read to their end, if any.
    private var damagedLine: String {
        fileErrors.isEmpty ? "" : "\ndamaged    \(fileErrors.count) file problem\(fileErrors.count == 1 ? "" : "s") (printed above)"
    }

    /// The summary as JSON, stored in the `runs` table.
    package var json: String {
        var writer = JSONWriter()
        writer.raw(
            "{\"files\":\(files),\"filesSkipped\":\(filesSkipped),\"filesResumed\":\(filesResumed),"
                + "\"bytesResumedPast\":\(bytesResumedPast),\"bytes\":\(bytes),\"spans\":\(spans),"
                + "\"logs\":\(logs),\"rejects\":\(rejects),\"droppedByRules\":\(droppedByRules),\"traces\":\(traces),"
                + "\"incidents\":\(incidents),\"unsampledTraces\":\(unsampledTraces),"
                + "\"uncorrelatedLogs\":\(uncorrelatedLogs),\"elapsedSeconds\":\(elapsedSeconds),"
                + "\"ingestSeconds\":\(ingestSeconds),\"summarizeSeconds\":\(summarizeSeconds),"
                + "\"decoderWaitSeconds\":\(decoderWaitSeconds),\"writerWaitSeconds\":\(writerWaitSeconds),"
                + "\"decoderCPUSeconds\":\(decoderCPUSeconds),\"scrubCPUSeconds\":\(scrubCPUSeconds),"
                + "\"tracesSummarisedInWrite\":\(tracesSummarisedInWrite),\"groupCPUSeconds\":\(groupCPUSeconds),\"writerCPUSeconds\":\(writerCPUSeconds),"
                + "\"summarizeCPUSeconds\":\(summarizeCPUSeconds),\"scrubHits\":[")
        for (index, hit) in scrubHits.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"rule\":")
            writer.string(hit.rule)
            writer.raw(",\"service\":")
            writer.string(hit.service)
            writer.raw(",\"count\":\(hit.count)}")
        }
        writer.raw("]}")
        return writer.text
    }
}
