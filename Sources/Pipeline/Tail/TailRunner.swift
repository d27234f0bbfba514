import Foundation
import Ingest
import Normalize
package import Store
import TraceJoinCore

/// `tracejoin tail`: follows files, decodes their lines, scrubs the records and commits each batch of rows
/// in ONE transaction with the checkpoints that cover them; every `finalizeInterval` it brings the summaries
/// of the traces it changed up to date, so `show` sees new entries while it runs.
///
/// One per process. ``run(until:onPoll:)`` blocks its thread, which polls, decodes and scrubs, and hands each
/// batch (records, the checkpoints that changed, the files forgotten) to a writer thread through a queue of
/// `queuedBatches` batches (a ``QueueWorker``): the two halves cost about the same CPU per line, so they
/// overlap on two cores. The writer does the jobs in order, so the checkpoints of a batch are committed with
/// its rows and never before the rows of earlier batches. Summary passes go through the same queue, behind
/// the rows they must see. Outside `run` (``pollAll(stop:)`` and ``finalizeIfDue()`` called directly) every
/// job is done at once on the caller's thread. Each followed file (by device + inode) has its
/// own `LogLineDecoder`. A decoder holds a file's last record back until the next record starts, so the
/// checkpoint written for a file never passes the first line of a record still held: after `kill -9`, the
/// restart reads that record again whole. Rows are unique by `(source_id, byte_offset, ordinal)`, so a line
/// read twice is stored once.
///
/// The rules come from ``TailRunConfiguration/rules``, a ``RulesInForce`` that another thread (a SIGHUP handler)
/// may replace the set of: each poll takes the set in force when it starts.
///
/// `@unchecked Sendable` so it can be handed to the thread that runs it: everything in it belongs to that thread.
package final class TailRunner: @unchecked Sendable {
    package let configuration: TailRunConfiguration
    /// The rule set of this poll, and its version in `configuration.rules`.
    private var rules: RulesInForce.Snapshot
    private var rulesVersion: Int
    private let store: IncidentStore
    private let tailer: FileTailer
    private let performer: TailJobPerformer
    /// Set while ``run(until:onPoll:)`` runs; nil: jobs are done at once on the caller's thread.
    private var writerThread: QueueWorker<TailWriteJob>?
    /// The error that ended the writer thread: the rows then in the queue are lost to this runner (its files were
    /// read past them), so it refuses to go on; a new runner resumes from the checkpoints committed.
    private var writeFailure: (any Error)?
    /// Wakes the runner when a followed folder changes; nil with `pollOnly` or without inotify.
    private let watcher: TailDirectoryWatcher?
    private let now: () -> Duration = FileTailer.monotonicNow
    private var files: [TailFileKey: TailFileState] = [:]
    /// Source and position of files known from the store or closed, for a file that is read on later.
    private var known: [TailFileKey: StoredTailCheckpoint] = [:]
    /// Per file, the checkpoint last handed to the writer, so only changed checkpoints are written. Handed
    /// over, not yet committed: the writer commits jobs in the order queued and the runner stops at its first
    /// failure, so each one handed over is committed (or the run ends) before any later one; comparing with
    /// what is committed instead would write every checkpoint again while its batch waits in the queue.
    private var handedOver: [TailFileKey: StoredTailCheckpoint] = [:]
    /// The records of the batch being read: scrubbed with the poll's rules when the batch is handed over.
    private var intake: RecordIntake
    /// Records handed over since the last summary pass was queued.
    private var recordsSinceFinalize = false
    /// Summary passes queued; one is still waiting while the performer has done fewer.
    private var finalizesQueued = 0
    private var lastFinalize: Duration
    /// Lines read, records written and records dropped by the scrubbing rules, since the start; the same numbers
    /// go to swift-metrics (``TailMetrics``).
    package private(set) var counts = TailCounts()
    private let metrics = TailMetrics()
    /// What the metrics were last given, to hand them the increase.
    private var reported = TailCounts()

    package init(configuration: TailRunConfiguration, store: IncidentStore) throws {
        self.configuration = configuration
        (rules, rulesVersion) = configuration.rules.currentVersion
        intake = RecordIntake(
            capacity: configuration.linesPerTransaction, stampingUntimedLogsWith: TailRunner.wallClockNanos)
        self.store = store
        tailer = FileTailer(
            configuration: TailConfiguration(
                patterns: configuration.patterns, pollInterval: configuration.pollInterval,
                startAt: configuration.startAtEnd ? .end : .beginning,
                partialLineTimeout: configuration.partialLineTimeout, rotatedGrace: configuration.rotatedGrace,
                retiredLimit: configuration.retiredLimit))
        performer = TailJobPerformer(store: store)
        watcher = configuration.pollOnly ? nil : TailDirectoryWatcher()
        lastFinalize = FileTailer.monotonicNow()
        let stored = try store.tailCheckpoints()
        if !stored.isEmpty {
            tailer.restore(stored.map(Self.tailCheckpoint))
            for checkpoint in stored {
                let key = TailFileKey(device: checkpoint.device, inode: checkpoint.inode)
                known[key] = checkpoint
                handedOver[key] = checkpoint
            }
        }
    }

    /// Paths followed now.
    package var followedPaths: [String] { tailer.followedPaths }

    /// Polls until `stop` is set, then writes every record held, checkpoints, and summarises changed traces.
    /// `onPoll` runs after each full poll (the first one: report what is followed).
    ///
    /// The writer thread runs for the length of the call: a write error ends the run and is thrown here (after
    /// the thread has ended), without waiting for `stop`.
    package func run(until stop: TailStopSignal, onPoll: (TailRunner) -> Void = { _ in }) throws {
        defer { tailer.close() }
        try throwIfWriteFailed()
        let thread = QueueWorker<TailWriteJob>(capacity: configuration.queuedBatches)
        thread.start(named: "tj-tail-writer") { [performer] in { job in try performer.perform(job) } }
        writerThread = thread
        do {
            while !stop.isStopped {
                try pollAll(stop: stop)
                onPoll(self)
                try finalizeIfDue()
                try thread.throwIfFailed()
                waitForChanges(stop: stop)
            }
            for key in files.keys { finishFile(key) }
            try commit()
        } catch {
            try? endWriterThread()  // the poller's own error is the one to report; the thread must end first
            throw error
        }
        try endWriterThread()
        // Nothing more will arrive from this run: summarise every trace still open, idle or not.
        if configuration.finalizesTraces {
            try TraceFinalizer.finalizeDirtyTraces(in: store, classifier: rules.classifier)
        }
    }

    /// Waits until the writer thread has committed everything queued and ended; throws its error.
    private func endWriterThread() throws {
        guard let thread = writerThread else { return }
        writerThread = nil
        do {
            try thread.finish()
        } catch {
            writeFailure = error
            throw error
        }
        report()
    }

    /// Throws the error that ended the writer thread of an earlier run, if one did.
    private func throwIfWriteFailed() throws {
        if let writeFailure { throw writeFailure }
    }

    /// Hands a job to the writer thread, or does it at once outside ``run(until:onPoll:)``.
    private func submit(_ job: TailWriteJob) throws {
        guard let writerThread else { return try performer.perform(job) }
        do {
            try writerThread.submit(job)
        } catch {
            writeFailure = error
            throw error
        }
    }

    /// Whether traces written through this runner may still wait for their summary.
    private var tracesMayBeDirty: Bool { recordsSinceFinalize || performer.progress.tracesLeftDirty }

    /// Whether inotify events wake this runner (false: polling only).
    package var wakesOnEvents: Bool { watcher != nil }

    /// Waits until a followed folder changes (inotify), or `pollInterval` passes, or the next deadline of a
    /// record held back or of the trace summaries comes, or `stop` is set.
    ///
    /// Events only bring the next poll forward; the poll itself is the same whatever woke it.
    private func waitForChanges(stop: TailStopSignal) {
        var timeout = configuration.pollInterval
        let time = now()
        // Only deadlines still ahead shorten the wait: one already passed (and not acted on) must not spin.
        func shorten(to remaining: Duration) { if remaining > .zero { timeout = min(timeout, remaining) } }
        for state in files.values where state.decoder.heldBackStart != nil {
            shorten(to: configuration.holdBack - (time - state.lastLine))
        }
        if tracesMayBeDirty { shorten(to: configuration.finalizeInterval - (time - lastFinalize)) }
        guard let watcher, let wake = stop.wakeDescriptor else { return stop.sleep(timeout) }
        watcher.watch(tailer.directoriesToWatch)
        if watcher.wait(timeout: timeout, wake: wake) { counts.wakeups += 1 }
    }

    /// Takes the set `configuration.rules` holds, if it was replaced since the last poll: records read from then
    /// on are scrubbed with its scrubber, traces are classified with its classifier, and files opened from then on
    /// extract trace context with its patterns (a file already open keeps its decoder, which may hold a record
    /// half-read).
    private func takeReplacedRules() {
        let (snapshot, version) = configuration.rules.currentVersion
        guard version != rulesVersion else { return }
        rules = snapshot
        rulesVersion = version
        counts.rulesReplaced += 1
    }

    /// One full poll, in transactions of at most `linesPerTransaction` lines.
    package func pollAll(stop: TailStopSignal? = nil) throws {
        try throwIfWriteFailed()
        takeReplacedRules()
        var more = true
        while more {
            more = try tailer.pollOnce(maxLines: configuration.linesPerTransaction) { line in try accept(line) }
            for notice in tailer.takeNotices() { configuration.onNotice(notice) }
            if !more { finishClosedAndIdleFiles() }
            try commit()
            if stop?.isStopped == true { return }
        }
    }

    /// Every `finalizeInterval`, summarises the traces idle for `traceIdle` (unless `finalizesTraces` is off).
    /// Stays due while traces written by this runner are still open (dirty), since they go idle later.
    ///
    /// During ``run(until:onPoll:)`` the pass is queued behind the batches already handed over, so it sees their
    /// rows, and runs on the writer thread while this one goes on reading; one pass waits in the queue at most.
    package func finalizeIfDue() throws {
        let time = now()
        guard configuration.finalizesTraces, tracesMayBeDirty, time - lastFinalize >= configuration.finalizeInterval,
            performer.progress.finalizesDone == finalizesQueued
        else { return }
        try submit(.finalizeIdleTraces(classifier: rules.classifier, idle: configuration.traceIdle))
        finalizesQueued += 1
        recordsSinceFinalize = false
        lastFinalize = time
    }

    // MARK: - Lines

    private func accept(_ line: TailedLine) throws {
        counts.lines += 1
        let key = TailFileKey(device: line.identity.device, inode: line.identity.inode)
        if let state = files[key], line.byteOffset < state.next.byteOffset {
            finishFile(key)  // read again from its start (copytruncate, a reused inode): new content
            known[key] = nil
        }
        let state = try files[key] ?? openFile(key, line: line)
        state.path = line.path
        state.identity = line.identity
        state.next = line.next
        state.lastLine = now()
        let sourceID = state.sourceID
        state.decoder.feed(line) { record in intake.add(record, sourceID: sourceID) }
    }

    private func openFile(_ key: TailFileKey, line: TailedLine) throws -> TailFileState {
        let sourceID: Int64
        if let stored = known[key], let id = stored.sourceID, line.byteOffset >= stored.byteOffset {
            sourceID = id
        } else {
            sourceID = try store.registerTailSource(path: line.path, device: key.device, inode: key.inode)
        }
        // The first bytes through the open descriptor, whatever line this is (a restart resumes mid-file).
        let firstBytes =
            tailer.firstBytes(of: line.identity, count: SpanFormatSniffer.prefixLimit)
            ?? Array(line.bytes) + (line.wasCut ? [] : [UInt8(ascii: "\n")])
        let decoder = TailLineDecoder(
            path: line.path, firstBytes: firstBytes, traceContextPatterns: rules.traceContextPatterns,
            timeZone: configuration.timeZones.zone(forPath: line.path), maxLineBytes: tailer.configuration.maxLineBytes)
        let state = TailFileState(sourceID: sourceID, decoder: decoder, path: line.path, identity: line.identity)
        files[key] = state
        return state
    }

    /// Emits what the decoders of closed files, and of files quiet for `holdBack`, still hold.
    private func finishClosedAndIdleFiles() {
        let open = Set(tailer.openCheckpoints.map { TailFileKey(device: $0.identity.device, inode: $0.identity.inode) })
        let time = now()
        for (key, state) in files {
            if !open.contains(key) {
                finishFile(key)
            } else if state.decoder.heldBackStart != nil, time - state.lastLine >= configuration.holdBack {
                let sourceID = state.sourceID
                state.decoder.finish { intake.add($0, sourceID: sourceID) }
            }
        }
    }

    private func finishFile(_ key: TailFileKey) {
        guard let state = files.removeValue(forKey: key) else { return }
        let sourceID = state.sourceID
        state.decoder.finish { intake.add($0, sourceID: sourceID) }
        known[key] = StoredTailCheckpoint(
            device: key.device, inode: key.inode, headLength: state.identity.headLength,
            headHash: state.identity.headHash, path: state.path, sourceID: sourceID,
            byteOffset: state.next.byteOffset, lineNumber: state.next.lineNumber)
    }

    /// Hands the metrics what changed since the last report, and keeps the same numbers on ``counts``
    /// (`recordsWritten`: as committed by the writer so far).
    private func report() {
        counts.recordsWritten = performer.progress.recordsCommitted
        counts.linesCut = tailer.linesCut
        let open = tailer.openFiles
        counts.filesFollowed = open.count
        counts.bytesBehind = metrics.update(
            open: open, linesRead: counts.lines - reported.lines, linesCut: counts.linesCut - reported.linesCut,
            recordsWritten: counts.recordsWritten - reported.recordsWritten)
        reported = counts
    }

    // MARK: - Commit

    /// Scrubs the batch with the poll's rules and hands it over with every checkpoint that changed, and the files
    /// the tailer forgot, as one transaction for the writer.
    ///
    /// The tailer remembers `retiredLimit` finished files besides the open ones; a file it forgot cannot be
    /// resumed, so its row, its source and its position are dropped here too: under rotation the table and the
    /// maps stay as small as the tailer's memory instead of growing by a row per rotated file.
    private func commit() throws {
        defer { report() }
        // First, so that what finishing a replaced content's decoder gives out is scrubbed into this batch.
        for checkpoint in tailer.checkpoints {
            let key = TailFileKey(device: checkpoint.identity.device, inode: checkpoint.identity.inode)
            forgetReplacedContent(key, readFrom: checkpoint.position)
        }
        intake.scrub(with: rules.scrubber)
        counts.droppedByRules = intake.counts.droppedByRules
        let batch = intake.scrubbed
        var changed: [StoredTailCheckpoint] = []
        var remembered = Set<TailFileKey>()
        for checkpoint in tailer.checkpoints {
            let key = TailFileKey(device: checkpoint.identity.device, inode: checkpoint.identity.inode)
            remembered.insert(key)
            var position = checkpoint.position
            var sourceID = known[key]?.sourceID
            if let state = files[key] {
                sourceID = state.sourceID
                if let held = state.decoder.heldBackStart, held.byteOffset < position.byteOffset {
                    position = LinePosition(byteOffset: held.byteOffset, lineNumber: held.line)
                }
            }
            let stored = StoredTailCheckpoint(
                device: key.device, inode: key.inode, headLength: checkpoint.identity.headLength,
                headHash: checkpoint.identity.headHash, path: checkpoint.path, sourceID: sourceID,
                byteOffset: position.byteOffset, lineNumber: position.lineNumber)
            if handedOver[key] != stored { changed.append(stored) }
        }
        let forgotten = handedOver.keys.filter { !remembered.contains($0) }
        known = known.filter { remembered.contains($0.key) }
        guard !batch.isEmpty || !changed.isEmpty || !forgotten.isEmpty else { return }
        // Nothing is marked handed over unless the job was accepted: a failed write done at once (outside `run`)
        // leaves the batch and the checkpoints to the next commit.
        try submit(.commit(TailCommit(records: batch, checkpoints: changed, forgotten: forgotten)))
        for key in forgotten { handedOver[key] = nil }
        if !batch.isEmpty { recordsSinceFinalize = true }
        intake.takeScrubbed()
        for checkpoint in changed { handedOver[TailFileKey(device: checkpoint.device, inode: checkpoint.inode)] = checkpoint }
    }

    /// When the tailer has gone back in a file (truncated, or its content replaced: copytruncate) and no line of
    /// the new content has come yet, so ``accept(_:)`` has not seen it: finishes the old content now.
    ///
    /// What the old content's decoder holds back is stored in this commit under the old source: the copy, if
    /// the glob matches it, starts after that record, so after a crash it would be read from nowhere. And the
    /// file's checkpoint, now the new content's, no longer names the old source: after a restart the new
    /// content's lines would take the old rows' keys, `(source_id, byte_offset, ordinal)`, and be dropped.
    private func forgetReplacedContent(_ key: TailFileKey, readFrom position: LinePosition) {
        if let state = files[key], position.byteOffset < state.next.byteOffset {
            finishFile(key)
            known[key] = nil
        } else if let stored = known[key], files[key] == nil, position.byteOffset < stored.byteOffset {
            known[key] = nil
        }
    }

    private static func tailCheckpoint(_ stored: StoredTailCheckpoint) -> TailCheckpoint {
        TailCheckpoint(
            path: stored.path,
            identity: TailFileIdentity(
                device: stored.device, inode: stored.inode, headLength: stored.headLength, headHash: stored.headHash),
            position: LinePosition(byteOffset: stored.byteOffset, lineNumber: stored.lineNumber))
    }
}

/// What a ``TailRunner`` did so far, and where it stands (as of the last batch handed to the writer).
package struct TailCounts: Sendable {
    package var lines = 0
    /// Lines longer than the tailer's line limit, stored cut.
    package var linesCut = 0
    /// Records the writer had committed at the last report (all of them once ``TailRunner/run(until:onPoll:)``
    /// or ``TailRunner/pollAll(stop:)`` outside a run returns).
    package var recordsWritten = 0
    /// Files open now (rotated files still draining included).
    package var filesFollowed = 0
    /// Per path followed: bytes written past the last line delivered (a file no longer open has no entry).
    package var bytesBehind: [String: Int64] = [:]
    package var droppedByRules = 0
    /// Polls brought forward by an inotify event.
    package var wakeups = 0
    /// Times a replaced rule set was put in force (sets replaced between two polls count once).
    package var rulesReplaced = 0
}

/// A followed file: device + inode.
typealias TailFileKey = StoredTailFile

/// The decoding state of one followed file.
final class TailFileState {
    let sourceID: Int64
    var decoder: TailLineDecoder
    var path: String
    var identity: TailFileIdentity
    /// Where the line after the last one fed starts.
    var next = LinePosition.start
    /// When the last line was fed (monotonic).
    var lastLine: Duration = .zero

    init(sourceID: Int64, decoder: TailLineDecoder, path: String, identity: TailFileIdentity) {
        self.sourceID = sourceID
        self.decoder = decoder
        self.path = path
        self.identity = identity
    }
}

extension TailRunner {
    /// Nanoseconds since the Unix epoch, from the system's real-time clock.
    static func wallClockNanos() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
