import Foundation
import Ingest
import Normalize
import Store
import TraceJoinCore

/// Runs `tracejoin batch`: every input file through decode → scrub → store, then the trace summaries.
///
/// Files already ingested whole (same content fingerprint and size, whatever their name now) are
/// skipped, so a nightly job over a folder that still holds last night's rotated files reads only
/// what is new. A log file that grew since (the live `app.log`, appended to; or renamed by rotation,
/// then appended to) is recognised by its first bytes and read on from its checkpoint, so its old
/// lines are not stored again under a new source. A file that was cut short by a crash resumes the
/// same way. Rows reach the store grouped by trace (``GroupedBatchWriter``); a run killed before it stored
/// them all is undone by the next (``IncidentStore/undoUnfinishedBatches()``), which reads its files again.
package struct BatchRunner {
    package var configuration: BatchConfiguration

    /// Files looked up and registered in one transaction (``SourcePlan``).
    static let filesPlannedTogether = 256

    package init(configuration: BatchConfiguration) {
        self.configuration = configuration
    }

    /// Runs the batch; throws a `Diagnostic` for a missing input or an unusable database.
    package func run() throws -> BatchSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let cpuStarted = ThreadCPUTime.now()
        let files = try InputDiscovery.expand(configuration.inputs) { Console.warning($0) }
        let store = try IncidentStore(path: configuration.databasePath, backgroundCheckpoints: true)
        // Rows of a batch killed before it stored all of them go first: it stored none of its files for good.
        for undone in try store.undoUnfinishedBatches() {
            Console.warning(
                Diagnostic(
                    location: InputLocation(source: configuration.databasePath), severity: .warning,
                    message: "batch run \(undone.runID) ended before it stored all its rows: "
                        + "its \(undone.logsRemoved) grouped logs were removed, and its files are not complete",
                    hint: "they are read again when given to batch: "
                        + undone.inputs.joined(separator: " ")))
        }
        let runID = try store.beginRun(
            command: "batch", inputs: configuration.inputs, rulesDigest: configuration.rules.digest)
        try store.beginGroupedRun(runID)

        var summary = BatchSummary()
        summary.files = files.count
        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        let progress = ProgressReporter(totalBytes: totalBytes, enabled: configuration.showProgress)
        // The single thread that sorts rows by trace (and writes those outside any trace) while this one decodes.
        let grouped = GroupedBatchWriter(
            store: store, runID: runID, spillDirectory: IncidentStore.folder(of: configuration.databasePath),
            batchEntries: configuration.recordsPerTransaction, classifier: configuration.rules.classifier)
        let writer = QueueWorker<WriteJob>(capacity: configuration.queuedBatches)
        writer.start(named: "tj-writer") { { job in try grouped.take(&job) } }
        let sink = RecordSink(
            scrubber: configuration.rules.scrubber, writer: writer.queue, batchSize: configuration.recordsPerTransaction,
            queuedBatches: configuration.queuedBatches, scrubThreads: configuration.scrubThreads)

        var bytesBefore: Int64 = 0
        // Sources present in this run, unchanged or read: two files never continue the same one. Unchanged
        // files are found first, so a grown-looking file cannot take over a source whose file is still here.
        var claimed = Set<Int64>()
        var toRead: [(file: InputFile, fingerprint: String)] = []
        let fingerprints = try files.map { try FileFingerprint.compute(path: $0.path) }
        let completed = try store.completedSourceIDs(zip(files, fingerprints).map { ($1, $0.size, $0.path) })
        for (file, (fingerprint, completedID)) in zip(files, zip(fingerprints, completed)) {
            if let sourceID = completedID {
                claimed.insert(sourceID)
                summary.filesSkipped += 1
                bytesBefore += file.size
            } else {
                toRead.append((file, fingerprint))
            }
        }
        // Fingerprints read whole by this run: a copy later in the run is skipped even before the writer
        // has committed the first one's progress.
        var completedThisRun = Set<String>()
        var plans: [SourcePlan] = []
        for (index, (file, fingerprint)) in toRead.enumerated() {
            if let error = writer.error { throw error }
            if plans.isEmpty {
                plans = try SourcePlan.plan(
                    toRead[index...], limit: Self.filesPlannedTogether, in: store, excluding: claimed,
                    completed: completedThisRun
                ).reversed()
            }
            let plan = plans.removeLast()
            if completedThisRun.contains(fingerprint) {
                summary.filesSkipped += 1
                bytesBefore += file.size
                continue
            }
            let countsBefore = sink.decoded
            func read(_ sourceID: Int64, from position: LinePosition, onOpened: () throws -> Void) throws
                -> (FileIngestor, FileIngestor.Outcome)
            {
                let ingestor = FileIngestor(
                    path: file.path, sourceID: sourceID, formatOverride: configuration.format,
                    rejectsPrinted: configuration.rejectsPrintedPerFile, maxDocumentBytes: configuration.maxDocumentBytes,
                    traceContextPatterns: configuration.rules.traceContextPatterns,
                    timeZone: configuration.timeZones.zone(forPath: file.path), sink: sink
                ) { [bytesBefore] bytesRead in
                    progress.update(bytesDone: bytesBefore + bytesRead, events: sink.recordsAccepted, file: file.path)
                }
                return (ingestor, try ingestor.run(resumingAt: position, onOpened: onOpened))
            }
            let match: SourceMatch
            var registered: (sourceID: Int64, isNew: Bool)?
            switch plan {
            case .registered(let planned, let id, let isNew): (match, registered) = (planned, (id, isNew))
            case .continues(let planned): match = planned
            case .whenRead:
                match = try store.readingSources { [claimed] in
                    try SourceMatch.find(for: file, in: $0, excluding: claimed)
                }
            }
            let sourceID: Int64, ingestor: FileIngestor, outcome: FileIngestor.Outcome
            do {
                (sourceID, ingestor, outcome) =
                    try registered.map {
                        try match.read(file, fingerprint: fingerprint, registeredAs: $0, in: store, using: read)
                    } ?? match.read(file, fingerprint: fingerprint, in: store, using: read)
            } catch let copy as CopyInProgress {
                Console.note(copy.note)
                summary.filesSkipped += 1
                bytesBefore += file.size
                continue
            }
            claimed.insert(sourceID)
            let counts = sink.decoded
            let stored = counts.spans + counts.logs - countsBefore.spans - countsBefore.logs
            let rejected = counts.rejects - countsBefore.rejects
            // Nothing decoded but rejects (read with the wrong --format, say) is not done: the next run reads it again
            // from the start (its rejects are replaced), rather than skipping it as ingested for good.
            let onlyRejects = stored == 0 && rejected > 0
            let complete = ingestor.fileError == nil && !onlyRejects
            if complete { completedThisRun.insert(fingerprint) }
            for damage in ingestor.damages {
                Console.warning(damage)
                summary.fileErrors.append(damage)
            }
            if let fileError = ingestor.fileError {
                Console.warning(fileError)
                summary.fileErrors.append(fileError)
                // A gzip file cut short may be a copy still in progress: let its complete copy continue it.
                if let head = match.decompressedHead {
                    try store.setHead(of: sourceID, hash: head.hash, length: head.length, key: head.key)
                }
            }
            let checkpoint = onlyRejects ? LinePosition.start : outcome.checkpoint
            sink.addProgress(
                SourceProgress(
                    sourceID: sourceID, checkpointOffset: checkpoint.byteOffset, checkpointLine: checkpoint.lineNumber,
                    complete: complete, records: stored, rejects: rejected))
            bytesBefore += file.size
            summary.bytes += outcome.compressed ? file.size : file.size - outcome.bytesSkipped
            if outcome.bytesSkipped > 0 {
                summary.filesResumed += 1
                summary.bytesResumedPast += outcome.bytesSkipped
            }
        }
        try sink.finish()
        try writer.finish()
        let toWrite = grouped.pendingRows
        // Trace summaries land at random places in the search indexes: a big night builds them after instead.
        let searchIndexesSuspended = try store.suspendTraceSearchIndexes(beforeWriting: toWrite)
        let summaries = BackgroundSummaries(store: store, classifier: configuration.rules.classifier)
        let wrote = Result { try grouped.finish { done in progress.updateWriting(done: done, total: toWrite) } }
        try summaries.stop()
        try wrote.get()
        let ingested = clock.now
        summary.ingestSeconds = (ingested - started).seconds
        let cpuIngested = ThreadCPUTime.now()
        let processIngested = ProcessCPUTime.now()
        // This thread also merged the sorted runs and wrote them: that is counted as grouping and writing.
        summary.decoderCPUSeconds = cpuIngested - cpuStarted - grouped.finishCPUSeconds
        summary.scrubCPUSeconds = sink.scrubCPUSeconds
        summary.groupCPUSeconds = grouped.groupCPUSeconds
        summary.tracesSummarisedInWrite = grouped.tracesSummarised
        summary.writerCPUSeconds = grouped.writeCPUSeconds
        summary.decoderWaitSeconds = Double(sink.decoderWaitNanos) / 1e9
        summary.writerWaitSeconds = Double(writer.queue.popWaitNanos) / 1e9

        let toSummarise = configuration.showProgress ? try store.dirtyTraceCount() : 0
        try TraceFinalizer.finalizeDirtyTraces(
            in: store, classifier: configuration.rules.classifier,
            onProgress: { done in progress.updateSummaries(done: done, total: toSummarise) })
        if searchIndexesSuspended { try store.restoreTraceSearchIndexes() }
        progress.finish()
        summary.summarizeSeconds = (clock.now - ingested).seconds
        summary.summarizeCPUSeconds = ProcessCPUTime.now() - processIngested + summaries.cpuSeconds

        let counts = sink.counts
        summary.spans = counts.spans
        summary.logs = counts.logs
        summary.rejects = counts.rejects
        summary.droppedByRules = counts.droppedByRules
        let storeCounts = try store.summaryCounts()
        summary.traces = storeCounts.traces
        summary.incidents = storeCounts.incidents
        summary.unsampledTraces = storeCounts.unsampled
        summary.uncorrelatedLogs = storeCounts.uncorrelatedLogs
        summary.scrubHits = configuration.rules.scrubber.hitCountsByRule
        summary.elapsedSeconds = (clock.now - started).seconds
        try store.finishRun(runID, statsJSON: summary.json)
        return summary
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
