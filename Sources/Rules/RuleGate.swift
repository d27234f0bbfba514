/// Necessary conditions for a pattern rule to match a text, checked against its `TextSummary`
/// before any PCRE2 call. A failing gate means the rule's prefilter, `min-digits` or pattern could
/// not have matched, so the result is the same as running them; a passing gate only means "maybe".
///
/// Plain values (no references), kept in an array beside the compiled rules, so the loop over
/// ~20 rules per text retains nothing for the rules it skips.
struct RuleGate: Sendable {
    /// The shortest text the pattern can match.
    var minimumLength = 1
    /// The rule's `min-digits` (0 when none).
    var minimumDigitRun = 0
    /// Bytes a match can start with (`ByteSet.all` when unknown).
    var startBytes = ByteSet.all
    /// Bytes a prefilter literal can start with (`ByteSet.all` when no prefilter).
    var prefilterStartBytes = ByteSet.all
    /// The literals' bytes, ASCII letters folded to lowercase, in `RuleGate.literalSets[literals]`:
    /// on ASCII text some literal must have all its bytes present.
    var literals: Range<Int> = 0..<0

    init() {}

    init(_ rule: Rule, literalSets: inout [ByteSet]) {
        guard let pattern = rule.match.pattern else { return }
        minimumLength = max(1, pattern.minimumLength)
        minimumDigitRun = rule.match.minDigits ?? 0
        startBytes = pattern.startBytes ?? .all
        if let scanner = rule.match.prefilterScanner {
            prefilterStartBytes = scanner.startBytes ?? .all
            let nonEmpty = rule.match.prefilter.filter { !$0.isEmpty }
            // A non-ASCII literal may match other spellings caselessly: no literal check then.
            if nonEmpty.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
                let start = literalSets.count
                for literal in nonEmpty { literalSets.append(ByteSet(literal.utf8.map(Self.lowercased))) }
                literals = start..<literalSets.count
            }
        }
    }

    /// False only when the rule cannot match a text with this summary.
    @inline(__always)
    func admits(_ text: TextSummary, literalSets: [ByteSet]) -> Bool {
        guard text.length >= minimumLength, text.longestDigitRun >= minimumDigitRun,
            text.bytes.intersects(startBytes), text.bytes.intersects(prefilterStartBytes)
        else { return false }
        // Caseless `k` and `s` also match the non-ASCII KELVIN SIGN and LONG S: literal checks need ASCII text.
        if literals.isEmpty || text.bytes.hasNonASCII { return true }
        for index in literals where literalSets[index].isSubset(of: text.folded) { return true }
        return false
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
