import Store
import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#endif

/// The k-way merge of ``TraceGroupSorter``'s spilled runs: each run is read through a buffer of its own, and
/// a binary heap picks the smallest key; equal keys come from the earlier run first, which keeps the entries of
/// a trace in the order they were added.
///
/// The buffers share a budget (32 MiB by default), so the merge's memory does not grow with the input: every run
/// gets an equal part of it, at most 256 KiB and at least 4 KiB. Runs are 32 MB of rows, so the budget holds up
/// to 8,192 runs (about 256 GB of spilled rows); past that, each run still reads 4 KiB at a time. A record
/// longer than its run's part is read whole, and the buffer shrinks back after it.
struct RunMerge {
    typealias Failure = TraceGroupSorter.Failure

    static let defaultBudget = 32 << 20
    static let largestBuffer = 256 << 10
    static let smallestBuffer = 4 << 10

    /// Bytes read from a run at a time: an equal part of `budget`, within the bounds above.
    static func bufferBytes(runs: Int, budget: Int) -> Int {
        min(largestBuffer, max(smallestBuffer, budget / max(1, runs)))
    }

    /// A class, so that advancing one changes it in place: as a struct in an array, reading its buffer and then
    /// advancing it copied the array of cursors, and each refill then copied a buffer (30 % of the merge's time).
    final class Cursor {
        let run: Int
        var position: Int64
        let end: Int64
        var buffer: [UInt8] = []
        var offset = 0
        var key = TraceGroupKey(lower64: 0)
        var recordStart = 0
        var recordLength = 0

        init(run: Int, position: Int64, end: Int64) {
            self.run = run
            self.position = position
            self.end = end
        }
    }

    private let descriptor: Int32
    private let bufferBytes: Int
    private var cursors: [Cursor] = []
    /// Indexes into `cursors`, as a min-heap on (key, run).
    private var heap: [Int] = []
    /// The capacity of every run's buffer together, now and at most so far.
    private var bufferedBytes = 0
    private(set) var peakBufferedBytes = 0

    init(descriptor: Int32, runs: [TraceGroupSorter.Run], budget: Int = Self.defaultBudget) throws(Failure) {
        self.descriptor = descriptor
        bufferBytes = Self.bufferBytes(runs: runs.count, budget: budget)
        for (index, run) in runs.enumerated() {
            let cursor = Cursor(run: index, position: run.start, end: run.start + run.length)
            if try advance(cursor) {
                cursors.append(cursor)
                heap.append(cursors.count - 1)
                siftUp(heap.count - 1)
            }
        }
    }

    /// Calls `body` with the key and bytes of the next entry in key order (the bytes valid during the call only);
    /// false when every run is read.
    mutating func next(_ body: (TraceGroupKey, UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard let top = heap.first else { return false }
        let cursor = cursors[top]
        try cursor.buffer.withUnsafeBytes { bytes in
            try body(
                cursor.key, UnsafeRawBufferPointer(rebasing: bytes[cursor.recordStart..<(cursor.recordStart + cursor.recordLength)]))
        }
        if try advance(cursor) {
            siftDown(0)
        } else {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            if !heap.isEmpty { siftDown(0) }
        }
        return true
    }

    /// Moves `cursor` to its next record (key and bytes in its buffer); false at the end of its run.
    private mutating func advance(_ cursor: Cursor) throws(Failure) -> Bool {
        cursor.offset = cursor.recordStart + cursor.recordLength
        if cursor.buffer.count - cursor.offset < 17 + 10 {
            try refill(cursor, atLeast: 17 + 10)
        }
        if cursor.offset == cursor.buffer.count { return false }
        let start = cursor.offset
        let header = cursor.buffer.withUnsafeBytes { bytes in
            Result { () throws(RecordSpillCodec.Damaged) in
                var reader = SpillReader(bytes: bytes, offset: start)
                var key = TraceGroupKey(lower64: 0)
                key.low = try reader.fixed()
                key.lower64Only = try reader.byte()
                key.high = try reader.fixed()
                let length = Int(try reader.unsigned())
                return (key: key, length: length, size: reader.offset - start)
            }
        }
        let fields = try header.mapError { Failure.damaged(offset: $0.offset) }.get()
        cursor.key = fields.key
        cursor.recordLength = fields.length
        if cursor.buffer.count - cursor.offset < fields.size + fields.length {
            try refill(cursor, atLeast: fields.size + fields.length)
            guard cursor.buffer.count - cursor.offset >= fields.size + fields.length else {
                throw .damaged(offset: Int(cursor.position))
            }
        }
        cursor.recordStart = cursor.offset + fields.size
        return true
    }

    /// Keeps the unread bytes of the cursor's buffer and reads on, so that at least `needed` bytes from
    /// `offset` are in the buffer (fewer at the end of the run).
    private mutating func refill(_ cursor: Cursor, atLeast needed: Int) throws(Failure) {
        let capacityBefore = cursor.buffer.capacity
        if capacityBefore > 2 * bufferBytes, needed <= bufferBytes {
            // After a record longer than the run's part of the budget: back to the usual size.
            var smaller: [UInt8] = []
            smaller.reserveCapacity(bufferBytes)
            smaller.append(contentsOf: cursor.buffer[cursor.offset...])
            cursor.buffer = smaller
        } else {
            cursor.buffer.removeSubrange(0..<cursor.offset)
        }
        cursor.offset = 0
        defer {
            bufferedBytes += cursor.buffer.capacity - capacityBefore
            peakBufferedBytes = max(peakBufferedBytes, bufferedBytes)
        }
        let have = cursor.buffer.count
        let toRead = Int(min(Int64(max(needed, bufferBytes) - have), cursor.end - cursor.position))
        guard toRead > 0 else { return }
        if cursor.buffer.capacity < have + toRead { cursor.buffer.reserveCapacity(have + toRead) }
        cursor.buffer.append(contentsOf: repeatElement(0, count: toRead))
        var done = 0
        while done < toRead {
            let position = cursor.position
            let result = cursor.buffer.withUnsafeMutableBytes { bytes in
                pread(descriptor, bytes.baseAddress! + have + done, toRead - done, off_t(position))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .spillRead(errno: errno)
            }
            if result == 0 { throw .damaged(offset: Int(position)) }
            done += result
            cursor.position += Int64(result)
        }
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        (cursors[a].key, cursors[a].run) < (cursors[b].key, cursors[b].run)
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            var smallest = parent
            let left = 2 * parent + 1, right = left + 1
            if left < heap.count && less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && less(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
