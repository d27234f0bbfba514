import CPCRE2

extension PCREPattern {
    /// The work PCRE2 does to find every non-overlapping match of this pattern in `bytes` (the loop of
    /// `matches(in:)`), counted in auto-callouts: one each time the matcher reaches an item of the
    /// pattern, so backtracking and rescanning count as what they cost. Counting stops a little past
    /// `limit`, so a super-linear pattern is measured without waiting for it.
    ///
    /// Deterministic, unlike a timing, so a test can compare a pattern's cost on an adversarial value
    /// with its cost on an ordinary one of the same size on a loaded machine (`PatternCostTests`).
    /// PCRE2's own match limit cannot serve: its JIT does not count a lazy `[\w.-]*?` stepping
    /// through a value. Compiles a second copy of the pattern with `PCRE2_AUTO_CALLOUT`.
    package func matchingWork(in bytes: UnsafeBufferPointer<UInt8>, limit: Int) throws(CompileError) -> Int {
        let counted = try PCREPattern(
            source, caseInsensitive: isCaseInsensitive, extraOptions: UInt32(PCRE2_AUTO_CALLOUT))
        let counter = WorkCounter(limit: limit)
        let scratch = MatchScratch()
        let unmanaged = Unmanaged.passRetained(counter)
        defer { unmanaged.release() }
        pcre2_set_callout_8(scratch.context, countingCallout, unmanaged.toOpaque())
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start <= bytes.count, counter.count <= limit {
            let rc = pcre2_match_8(
                counted.code, base, bytes.count, start, UInt32(PCRE2_NO_UTF_CHECK), scratch.data, scratch.context)
            if rc < 0 { break }
            let ovector = pcre2_get_ovector_pointer_8(scratch.data)!
            let end = Int(ovector[1])
            start = end > Int(ovector[0]) ? end : end + 1
        }
        return counter.count
    }
}

/// The count behind `matchingWork`, reached by the C callout through its data pointer.
private final class WorkCounter {
    var count = 0
    let limit: Int
    init(limit: Int) { self.limit = limit }
}

/// Counts one unit of work; past the limit, aborts the match (a negative return ends `pcre2_match`).
private let countingCallout: @convention(c) (UnsafeMutablePointer<pcre2_callout_block_8>?, UnsafeMutableRawPointer?)
    -> Int32 = { _, data in
        let counter = Unmanaged<WorkCounter>.fromOpaque(data!).takeUnretainedValue()
        counter.count += 1
        return counter.count > counter.limit ? PCRE2_ERROR_CALLOUT : 0
    }
