/// Memory for the text values of the rows being inserted, so SQLite can bind them without copying.
///
/// With `SQLITE_TRANSIENT` SQLite mallocs and copies every bound string (this system SQLite has no
/// lookaside allocator and takes a global mutex around each allocation). Instead the writer copies
/// each value here (a `memcpy`, no allocation once warm) and binds it `SQLITE_STATIC`; `reset()`
/// after the statement's step makes the space reusable. Measured alone the change was within noise;
/// it matters more with multi-row inserts, which bind 16–32 rows' text before one step.
///
/// Memory held: one 256 KiB chunk, plus a chunk per value that did not fit, until `reset()`.
final class BindArena {
    private static let chunkSize = 1 << 18
    private let chunk: UnsafeMutableRawPointer
    private var used = 0
    private var oversized: [UnsafeMutableRawPointer] = []

    init() {
        chunk = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 8)
    }

    deinit {
        reset()
        chunk.deallocate()
    }

    /// A stable copy of the bytes, valid until `reset()`.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<CChar> {
        let count = bytes.count
        let target: UnsafeMutableRawPointer
        if used + count <= Self.chunkSize {
            target = chunk + used
            used += count
        } else {
            target = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 1)
            oversized.append(target)
        }
        if let base = bytes.baseAddress, count > 0 { target.copyMemory(from: base, byteCount: count) }
        return UnsafePointer(target.assumingMemoryBound(to: CChar.self))
    }

    func reset() {
        used = 0
        for pointer in oversized { pointer.deallocate() }
        oversized.removeAll(keepingCapacity: true)
    }
}
