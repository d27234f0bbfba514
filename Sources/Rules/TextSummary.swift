/// What one pass over a text tells every rule at once: which bytes occur, its length, and its
/// longest digit run (as `DigitRun` counts it).
///
/// Each rule's `RuleGate` checks necessary conditions against this summary (a literal's bytes, a
/// pattern's possible first bytes, a minimum length or digit run) and most rules are skipped for most
/// texts without a PCRE2 call.
package struct TextSummary {
    var bytes = ByteSet()
    /// `bytes` with ASCII letters in both cases, for the caseless literal checks.
    var folded = ByteSet()
    package var length = 0
    package var longestDigitRun = 0

    package init(_ text: UnsafeBufferPointer<UInt8>) {
        length = text.count
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var high: UInt64 = 0  // bytes ≥ 0x80 are rare: one word, sorted out after the loop
        var run = 0
        var best = 0
        var separators = 0
        // Written without branches on the byte (selects, not jumps): text mixes letters, digits and
        // punctuation too irregularly for branch prediction.
        for byte in text {
            let bit = UInt64(1) &<< UInt64(byte & 63)
            let group = byte >> 6
            w0 |= group == 0 ? bit : 0
            w1 |= group == 1 ? bit : 0
            high |= UInt64(byte >> 7)
            let isDigit = byte &- 0x30 < 10
            let isSeparator = group == 0 && DigitRun.separatorBits & bit != 0
            let bridges = !isDigit && run > 0 && separators < 2 && isSeparator
            run = isDigit ? run &+ 1 : (bridges ? run : 0)
            separators = bridges ? separators &+ 1 : 0
            best = max(best, run)
        }
        longestDigitRun = best
        bytes = ByteSet(w0: w0, w1: w1)
        if high != 0 {
            for byte in text where byte >= 0x80 { bytes.insert(byte) }
        }
        folded = bytes.caseFolded
    }
}
