import Foundation
import Ingest
import Normalize
package import Store
import TraceJoinCore

/// `tracejoin tail`: follows files, decodes their lines, scrubs the records and commits each batch of rows
/// in ONE transaction with the checkpoints that cover them; every `finalizeInterval` it brings the summaries
/// of the traces it changed up to date, so `show` sees new entries while it runs.
///
/// One per process, on one thread (``run(until:)`` blocks). Each followed file (by device + inode) has its
/// own `LogLineDecoder`. A decoder holds a file's last record back until the next record starts, so the
/// checkpoint written for a file never passes the first line of a record still held: after `kill -9`, the
/// restart reads that record again whole. Rows are unique by `(source_id, byte_offset, ordinal)`, so a line
/// read twice is stored once.
package final class TailRunner {
    package let configuration: TailRunConfiguration
    private let store: IncidentStore
    private let tailer: FileTailer
    private let writer: IngestWriter
    private let now: () -> Duration = FileTailer.monotonicNow
    private var files: [TailFileKey: TailFileState] = [:]
    /// Source and position of files known from the store or closed, for a file that is read on later.
    private var known: [TailFileKey: StoredTailCheckpoint] = [:]
    /// What was last committed per file, so only changed checkpoints are written.
    private var committed: [TailFileKey: StoredTailCheckpoint] = [:]
    private var batch: [SourcedRecord] = []
    private var dirtySinceFinalize = false
    private var lastFinalize: Duration
    /// Lines read, records written and records dropped by the scrubbing rules, since the start.
    package private(set) var counts = TailCounts()

    package init(configuration: TailRunConfiguration, store: IncidentStore) throws {
        self.configuration = configuration
        self.store = store
        tailer = FileTailer(
            configuration: TailConfiguration(
                patterns: configuration.patterns, pollInterval: configuration.pollInterval,
                startAt: configuration.startAtEnd ? .end : .beginning,
                partialLineTimeout: configuration.partialLineTimeout, rotatedGrace: configuration.rotatedGrace))
        writer = store.makeWriter()
        lastFinalize = FileTailer.monotonicNow()
        let stored = try store.tailCheckpoints()
        if !stored.isEmpty {
            tailer.restore(stored.map(Self.tailCheckpoint))
            for checkpoint in stored {
                let key = TailFileKey(device: checkpoint.device, inode: checkpoint.inode)
                known[key] = checkpoint
                committed[key] = checkpoint
            }
        }
    }

    /// Paths followed now.
    package var followedPaths: [String] { tailer.followedPaths }

    /// Polls until `stop` is set, then writes every record held, checkpoints, and summarises changed traces.
    /// `onPoll` runs after each full poll (the first one: report what is followed).
    package func run(until stop: TailStopSignal, onPoll: (TailRunner) -> Void = { _ in }) throws {
        defer { tailer.close() }
        while !stop.isStopped {
            try pollAll(stop: stop)
            onPoll(self)
            try finalizeIfDue()
            stop.sleep(configuration.pollInterval)
        }
        for key in files.keys { finishFile(key) }
        try commit()
        // Nothing more will arrive from this run: summarise every trace still open, idle or not.
        if configuration.finalizesTraces {
            try TraceFinalizer.finalizeDirtyTraces(in: store, classifier: configuration.classifier)
        }
    }

    /// One full poll, in transactions of at most `linesPerTransaction` lines.
    package func pollAll(stop: TailStopSignal? = nil) throws {
        var more = true
        while more {
            more = try tailer.pollOnce(maxLines: configuration.linesPerTransaction) { line in try accept(line) }
            if !more { finishClosedAndIdleFiles() }
            try commit()
            if !more { forgetUnknownFiles() }
            if stop?.isStopped == true { return }
        }
    }

    /// Every `finalizeInterval`, summarises the traces idle for `traceIdle` (unless `finalizesTraces` is off).
    /// Stays due while traces written by this runner are still open (dirty), since they go idle later.
    package func finalizeIfDue() throws {
        let time = now()
        guard configuration.finalizesTraces, dirtySinceFinalize, time - lastFinalize >= configuration.finalizeInterval
        else { return }
        try TraceFinalizer.finalizeIdleTraces(
            in: store, classifier: configuration.classifier, idle: configuration.traceIdle, now: Self.wallClockNanos())
        dirtySinceFinalize = try store.dirtyTraceCount() > 0
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
        state.decoder.feed(line.bytes, lineNumber: line.number, byteOffset: line.byteOffset) { record in
            add(record, sourceID: sourceID)
        }
    }

    private func openFile(_ key: TailFileKey, line: TailedLine) throws -> TailFileState {
        let sourceID: Int64
        if let stored = known[key], let id = stored.sourceID, line.byteOffset >= stored.byteOffset {
            sourceID = id
        } else {
            sourceID = try store.registerTailSource(path: line.path, device: key.device, inode: key.inode)
        }
        let decoder = LogLineDecoder(
            source: line.path, serviceFromPath: ServiceName.fromPath(line.path),
            configuration: LogDecoderConfiguration(traceContextPatterns: configuration.traceContextPatterns))
        let state = TailFileState(sourceID: sourceID, decoder: decoder, path: line.path, identity: line.identity)
        files[key] = state
        return state
    }

    private func add(_ record: Record, sourceID: Int64) {
        var record = record
        if case .log(var log) = record, log.time == nil {
            // A line with no time of its own happened about when it was written: use the time it was read.
            log.time = Self.wallClockNanos()
            log.attributes.append(Attribute("tracejoin.time_observed", .bool(true)))
            record = .log(log)
        }
        guard let scrubbed = configuration.scrubber.scrub(record) else {
            counts.droppedByRules += 1
            return
        }
        batch.append(SourcedRecord(sourceID: sourceID, record: scrubbed))
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
                state.decoder.finish { add($0, sourceID: sourceID) }
            }
        }
    }

    /// Keeps the per-file maps as small as the tailer's memory (`retiredLimit` finished files plus the open
    /// ones): a file the tailer forgot cannot be resumed, so its source is not needed either.
    private func forgetUnknownFiles() {
        let checkpoints = tailer.checkpoints
        guard committed.count > 2 * checkpoints.count + 64 || known.count > 2 * checkpoints.count + 64 else { return }
        let keep = Set(checkpoints.map { TailFileKey(device: $0.identity.device, inode: $0.identity.inode) })
        committed = committed.filter { keep.contains($0.key) }
        known = known.filter { keep.contains($0.key) }
    }

    private func finishFile(_ key: TailFileKey) {
        guard let state = files.removeValue(forKey: key) else { return }
        let sourceID = state.sourceID
        state.decoder.finish { add($0, sourceID: sourceID) }
        known[key] = StoredTailCheckpoint(
            device: key.device, inode: key.inode, headLength: state.identity.headLength,
            headHash: state.identity.headHash, path: state.path, sourceID: sourceID,
            byteOffset: state.next.byteOffset, lineNumber: state.next.lineNumber)
    }

    // MARK: - Commit

    /// Writes the batch with every checkpoint that changed, in one transaction.
    private func commit() throws {
        var changed: [StoredTailCheckpoint] = []
        for checkpoint in tailer.checkpoints {
            let key = TailFileKey(device: checkpoint.identity.device, inode: checkpoint.identity.inode)
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
            if committed[key] != stored { changed.append(stored) }
        }
        guard !batch.isEmpty || !changed.isEmpty else { return }
        _ = try writer.write(batch, progress: [], tailCheckpoints: changed)
        counts.recordsWritten += batch.count
        if !batch.isEmpty { dirtySinceFinalize = true }
        batch.removeAll(keepingCapacity: true)
        for checkpoint in changed { committed[TailFileKey(device: checkpoint.device, inode: checkpoint.inode)] = checkpoint }
    }

    private static func tailCheckpoint(_ stored: StoredTailCheckpoint) -> TailCheckpoint {
        TailCheckpoint(
            path: stored.path,
            identity: TailFileIdentity(
                device: stored.device, inode: stored.inode, headLength: stored.headLength, headHash: stored.headHash),
            position: LinePosition(byteOffset: stored.byteOffset, lineNumber: stored.lineNumber))
    }
}

/// What a ``TailRunner`` did so far.
package struct TailCounts: Sendable {
    package var lines = 0
    package var recordsWritten = 0
    package var droppedByRules = 0
}

/// A followed file: device + inode.
struct TailFileKey: Hashable {
    var device: UInt64
    var inode: UInt64
}

/// The decoding state of one followed file.
final class TailFileState {
    let sourceID: Int64
    var decoder: LogLineDecoder
    var path: String
    var identity: TailFileIdentity
    /// Where the line after the last one fed starts.
    var next = LinePosition.start
    /// When the last line was fed (monotonic).
    var lastLine: Duration = .zero

    init(sourceID: Int64, decoder: LogLineDecoder, path: String, identity: TailFileIdentity) {
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
