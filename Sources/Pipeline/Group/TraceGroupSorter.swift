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
        case .log(let log):
            switch log.trace {
            case .full(let id)? where !id.isZero: self.init(id)
            case .lower64(let low)? where low != 0: self.init(lower64: low)
            default: return nil
            }
        case .reject: return nil
        }
    }

    static func < (lhs: TraceGroupKey, rhs: TraceGroupKey) -> Bool {
        (lhs.low, lhs.lower64Only, lhs.high) < (rhs.low, rhs.lower64Only, rhs.high)
    }
}

/// Groups scrubbed records by trace with bounded memory: an external sort.
///
/// Records are encoded (``RecordSpillCodec``) into an in-memory run; when the run reaches `runBytes` it is
/// sorted by trace and written to a spill file, and ``finish(_:)`` merges the runs, handing out each trace's
/// records together, traces in ``TraceGroupKey`` order and each trace's records in the order they were added.
/// A night that fits in one run is never written out.
///
/// The spill file is made in `directory` (beside the database) with mode 0600 and unlinked at once, so it holds
/// only scrubbed records, only this process can reach it, and it is gone when the process ends however it
/// ends: there is nothing to clean up at exit or at the next start.
final class TraceGroupSorter {
    enum Failure: Error, CustomStringConvertible {
        case spillFile(directory: String, errno: Int32)
        case spillWrite(errno: Int32)
        case spillRead(errno: Int32)
        case damaged(RecordSpillCodec.Damaged)

        var description: String {
            switch self {
            case .spillFile(let directory, let code):
                "cannot make a spill file in \(directory): \(String(cString: strerror(code)))"
            case .spillWrite(let code): "cannot write the spill file: \(String(cString: strerror(code)))"
            case .spillRead(let code): "cannot read the spill file: \(String(cString: strerror(code)))"
            case .damaged(let damage): damage.description
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

    /// Bytes of encoded records held in memory before a run is spilled (the entries add ~40 bytes a record).
    let runBytes: Int
    /// Most records handed out in one call of the group callback: a trace with more comes in several calls.
    let maxGroupRecords: Int
    private let directory: String
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    private var scratch: [UInt8] = []
    private var descriptor: Int32 = -1
    private var spillEnd: Int64 = 0
    private(set) var runs: [Run] = []

    init(directory: String, runBytes: Int = 64 << 20, maxGroupRecords: Int = 65_536) {
        self.directory = directory
        self.runBytes = runBytes
        self.maxGroupRecords = maxGroupRecords
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Adds a record of trace `key`.
    func add(_ record: SourcedRecord, key: TraceGroupKey) throws(Failure) {
        let offset = arena.count
        RecordSpillCodec.encode(record, into: &arena)
        entries.append(Entry(key: key, offset: offset, length: arena.count - offset))
        if arena.count >= runBytes { try spill() }
    }

    /// Hands out every record added, grouped by trace (see the type's description), then forgets them.
    func finish(_ group: (TraceGroupKey, [SourcedRecord]) throws -> Void) throws {
        if runs.isEmpty {
            sortEntries()
            let inMemory = entries
            entries = []
            var cursor = inMemory.makeIterator()
            try emitGroups(group) { () throws(Failure) -> (TraceGroupKey, SourcedRecord)? in
                guard let entry = cursor.next() else { return nil }
                let decoded = arena.withUnsafeBytes { bytes in
                    Result { () throws(RecordSpillCodec.Damaged) in
                        var offset = entry.offset
                        return try RecordSpillCodec.decode(bytes, at: &offset)
                    }
                }
                return (entry.key, try decoded.mapError { Failure.damaged($0) }.get())
            }
            arena = []
            return
        }
        if !entries.isEmpty { try spill() }
        arena = []
        entries = []
        var merge = try RunMerge(descriptor: descriptor, runs: runs)
        try emitGroups(group) { () throws(Failure) in try merge.next() }
        runs = []
    }

    /// Calls `group` with each run of equal keys from `next` (sorted), in chunks of at most `maxGroupRecords`.
    private func emitGroups(
        _ group: (TraceGroupKey, [SourcedRecord]) throws -> Void,
        next: () throws(Failure) -> (TraceGroupKey, SourcedRecord)?
    ) throws {
        var current: TraceGroupKey?
        var records: [SourcedRecord] = []
        while let (key, record) = try next() {
            if key != current || records.count == maxGroupRecords {
                if let current, !records.isEmpty { try group(current, records) }
                records.removeAll(keepingCapacity: true)
                current = key
            }
            records.append(record)
        }
        if let current, !records.isEmpty { try group(current, records) }
    }

    private func sortEntries() {
        // Offsets rise with arrival, so ties on the key keep the order records were added in.
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
                throw .spillWrite(errno: errno)
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
        fchmod(made, 0o600)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = made
    }
}
