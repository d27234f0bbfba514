import Foundation
import Store
import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#endif

/// What a record is grouped by: its trace. Datadog-style references (lower 64 bits only) sort right after the
/// full traces with the same lower bits, so the writer meets them together.
struct TraceGroupKey: Hashable, Comparable, Sendable {
    var low: UInt64
    /// 0 for a full trace ID, 1 for a lower-64-bit reference.
    var lower64Only: UInt8
    var high: UInt64

    init(_ id: TraceID) {
        low = id.low
        lower64Only = 0
        high = id.high
    }

    init(lower64 low: UInt64) {
        self.low = low
        lower64Only = 1
        high = 0
    }

    /// The trace a record belongs to; nil for records outside any trace (uncorrelated logs, rejects).
    init?(of record: Record) {
        switch record {
        case .span(let span): self.init(span.traceID)
        case .log(let log): self.init(log.trace)
        case .reject: return nil
        }
    }

    /// The trace a log refers to; nil for none (``TraceReference/correlating``).
    init?(_ reference: TraceReference?) {
        switch reference?.correlating {
        case .full(let id)?: self.init(id)
        case .lower64(let low)?: self.init(lower64: low)
        case nil: return nil
        }
    }

    static func < (lhs: TraceGroupKey, rhs: TraceGroupKey) -> Bool {
        (lhs.low, lhs.lower64Only, lhs.high) < (rhs.low, rhs.lower64Only, rhs.high)
    }
}

/// Groups scrubbed rows by trace with bounded memory: an external sort (issue #16, docs/grouped-store.md).
///
/// ``add(_:rest:)`` takes a ``RowBatch``'s entries that belong to a trace: log rows as their spill bytes
/// (``RowBatch/spill(_:into:)``), spans as ``RecordSpillCodec`` records. They go into an in-memory run; when the
/// run reaches `runBytes` it is sorted by trace and written to a spill file. ``finish(batchEntries:_:)`` merges
/// the runs and hands the entries out again as row batches, traces in ``TraceGroupKey`` order and each trace's
/// entries in the order they were added, so the writer hands out trace keys, and appends rows, in that order. A
/// night that fits in one run is never written out.
///
/// The spill file is made in `directory` (beside the database) with mode 0600 and unlinked at once, so it holds
/// only scrubbed rows, only this process can reach it, and it is gone when the process ends however it
/// ends: there is nothing to clean up at exit or at the next start.
final class TraceGroupSorter {
    enum Failure: Error, CustomStringConvertible {
        case spillFile(directory: String, errno: Int32)
        case spillWrite(directory: String, errno: Int32)
        case spillRead(errno: Int32)
        case damaged(offset: Int)

        var description: String {
            switch self {
            case .spillFile(let directory, let code):
                "\(directory): error: cannot make a temporary file for the rows sorted by trace: "
                    + "\(String(cString: strerror(code)))\n  hint: batch needs a writable folder beside the database"
            case .spillWrite(let directory, let code):
                "\(directory): error: cannot write the rows sorted by trace to a temporary file: "
                    + "\(String(cString: strerror(code)))\n  hint: batch needs free space beside the database "
                    + "for about as much as its input holds, until it ends"
            case .spillRead(let code): "cannot read the temporary file of rows sorted by trace: \(String(cString: strerror(code)))"
            case .damaged(let offset): "the temporary file of rows sorted by trace is damaged at byte \(offset)"
            }
        }
    }

    struct Entry {
        var key: TraceGroupKey
        var offset: Int
        var length: Int
    }

    /// A sorted run in the spill file.
    struct Run {
        var start: Int64
        var length: Int64
    }

    /// What an entry's first byte says it is.
    private enum Tag: UInt8 {
        case record = 0
        case logRow = 1
    }

    /// Bytes of encoded entries held in memory before a run is spilled (the entries add 40 bytes each).
    let runBytes: Int
    private let directory: String
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    private var scratch: [UInt8] = []
    private var descriptor: Int32 = -1
    private var spillEnd: Int64 = 0
    private(set) var runs: [Run] = []
    /// Entries added since the last ``finish(batchEntries:_:)``.
    private(set) var count = 0

    /// What the merge's read buffers may take together (``RunMerge``).
    let mergeBudget: Int
    /// The most the last merge's buffers held at once, for tests.
    private(set) var lastMergePeakBytes = 0

    init(directory: String, runBytes: Int = 32 << 20, mergeBudget: Int = RunMerge.defaultBudget) {
        self.directory = directory
        self.runBytes = runBytes
        self.mergeBudget = mergeBudget
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Adds the entries of `batch` that belong to a trace (log rows with a trace, spans); the others (logs outside
    /// any trace, rejects) are appended to `rest`, in order.
    func add(_ batch: RowBatch, rest: inout RowBatch) throws(Failure) {
        for index in batch.entries.indices {
            let offset = arena.count
            let key: TraceGroupKey
            switch batch.entries[index] {
            case .log(let row):
                guard let rowKey = TraceGroupKey(row.trace) else {
                    rest.appendLog(row, from: batch)
                    continue
                }
                key = rowKey
                arena.append(Tag.logRow.rawValue)
                batch.spill(row, into: &arena)
            case .record(let sourced):
                guard let recordKey = TraceGroupKey(of: sourced.record) else {
                    rest.append(sourced)
                    continue
                }
                key = recordKey
                arena.append(Tag.record.rawValue)
                RecordSpillCodec.encode(sourced, into: &arena)
            }
            entries.append(Entry(key: key, offset: offset, length: arena.count - offset))
            count += 1
            if arena.count >= runBytes { try spill() }
        }
    }

    /// Hands out every entry added, grouped by trace (see the type's description), in batches cut at trace
    /// boundaries after `batchEntries` entries, with the summaries of their traces (``GroupBatcher``; failed ones only
    /// with `failed`), then forgets them.
    func finish(
        batchEntries: Int, failed: FailedTraceSummaries? = nil, _ write: @escaping (consuming RowBatch) throws -> Void
    ) throws {
        defer { count = 0 }
        var batcher = GroupBatcher(batchEntries: batchEntries, failed: failed, write: write)
        if runs.isEmpty {
            sortEntries()
            let sorted = entries
            entries = []
            try arena.withUnsafeBytes { bytes in
                for entry in sorted {
                    try batcher.add(entry.key, UnsafeRawBufferPointer(rebasing: bytes[entry.offset..<entry.offset + entry.length]))
                }
            }
        } else {
            if !entries.isEmpty { try spill() }
            entries = []
            arena = []
            var merge = try RunMerge(descriptor: descriptor, runs: runs, budget: mergeBudget)
            while try merge.next({ key, bytes in try batcher.add(key, bytes) }) {}
            lastMergePeakBytes = merge.peakBufferedBytes
            runs = []
        }
        arena = []
        try batcher.finish()
    }

    /// Appends one spilled entry to `batch`.
    static func append(_ bytes: UnsafeRawBufferPointer, to batch: inout RowBatch) throws(Failure) {
        guard let first = bytes.first, let tag = Tag(rawValue: first) else { throw .damaged(offset: 0) }
        var offset = 1
        switch tag {
        case .logRow:
            do { try batch.appendSpilledLog(bytes, at: &offset) } catch { throw .damaged(offset: error.offset) }
        case .record:
            do { batch.append(try RecordSpillCodec.decode(bytes, at: &offset)) } catch {
                throw .damaged(offset: error.offset)
            }
        }
        guard offset == bytes.count else { throw .damaged(offset: offset) }
    }

    private func sortEntries() {
        // Offsets rise with arrival, so ties on the key keep the order entries were added in.
        entries.sort { ($0.key, $0.offset) < ($1.key, $1.offset) }
    }

    /// Sorts the run in memory and appends it to the spill file: per record its key (17 bytes), its length
    /// (varint) and its encoded bytes.
    private func spill() throws(Failure) {
        try openSpillFile()
        sortEntries()
        let start = spillEnd
        // The writer owns the buffer while it fills it: a second reference would copy it at every append.
        var writer = SpillWriter(out: [])
        swap(&writer.out, &scratch)
        writer.out.removeAll(keepingCapacity: true)
        for entry in entries {
            writer.fixed(entry.key.low)
            writer.byte(entry.key.lower64Only)
            writer.fixed(entry.key.high)
            writer.unsigned(UInt64(entry.length))
            writer.out.append(contentsOf: arena[entry.offset..<entry.offset + entry.length])
            if writer.out.count >= 1 << 20 { try append(&writer.out) }
        }
        try append(&writer.out)
        swap(&writer.out, &scratch)
        runs.append(Run(start: start, length: spillEnd - start))
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// Appends `bytes` to the spill file and empties them.
    private func append(_ bytes: inout [UInt8]) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress! + written, buffer.count - written, off_t(spillEnd) + off_t(written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .spillWrite(directory: directory, errno: errno)
            }
            written += result
        }
        spillEnd += Int64(written)
        bytes.removeAll(keepingCapacity: true)
    }

    private func openSpillFile() throws(Failure) {
        guard descriptor < 0 else { return }
        var template = Array((directory + "/.tracejoin-group-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else { throw .spillFile(directory: directory, errno: errno) }
        _ = fcntl(made, F_SETFD, FD_CLOEXEC)
        fchmod(made, 0o600)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = made
    }
}
