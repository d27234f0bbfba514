/// What one pass over a text tells every rule at once: which bytes occur, its length, and its
/// longest digit run (as `DigitRun` counts it).
///
/// Each rule's `RuleGate` checks necessary conditions against this summary (a literal's bytes, a
/// pattern's possible first bytes, a minimum length or digit run) and most rules are skipped for most
/// texts without a PCRE2 call.
struct TextSummary {
    var bytes = ByteSet()
    /// `bytes` with ASCII letters in both cases, for the caseless literal checks.
    var folded = ByteSet()
    var length = 0
    var longestDigitRun = 0

    init(_ text: UnsafeBufferPointer<UInt8>) {
        length = text.count
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var high: UInt64 = 0  // bytes ≥ 0x80 are rare: one word, sorted out after the loop
        var run = 0
        var best = 0
        var separators = 0
        for byte in text {
            let bit = UInt64(1) &<< UInt64(byte & 63)
            switch byte >> 6 {
            case 0: w0 |= bit
            case 1: w1 |= bit
            default: high |= 1
            }
            if byte &- 0x30 < 10 {
                run += 1
                separators = 0
                if run > best { best = run }
            } else if run > 0, separators < 2, DigitRun.isSeparator(byte) {
                separators += 1
            } else {
                run = 0
                separators = 0
            }
        }
        longestDigitRun = best
        bytes = ByteSet(w0: w0, w1: w1)
        if high != 0 {
            for byte in text where byte >= 0x80 { bytes.insert(byte) }
        }
        folded = bytes.caseFolded
    }
}
