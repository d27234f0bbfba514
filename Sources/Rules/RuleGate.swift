/// Necessary conditions for a pattern rule to match a text, checked against its `TextSummary`
/// before any PCRE2 call. A failing gate means the rule's prefilter, `min-digits`, `shapes` or pattern could
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
    /// The prefilter literals, indices into the engine's `LiteralTable`: on ASCII text one of them
    /// must have all its bytes and byte pairs present.
    var literals: Range<Int> = 0..<0
    /// The rule's `shapes`, indices into the `LiteralTable`'s: on ASCII text one of them must occur.
    var shapes: Range<Int> = 0..<0

    init() {}

    init(_ rule: Rule, literals table: inout LiteralTable) {
        guard let pattern = rule.match.pattern else { return }
        minimumLength = max(1, pattern.minimumLength)
        minimumDigitRun = rule.match.minDigits ?? 0
        shapes = table.add(rule.match.shapes)
        startBytes = pattern.startBytes ?? .all
        if let scanner = rule.match.prefilterScanner {
            prefilterStartBytes = Self.singleBytePrefilter(rule.match.prefilter) ?? scanner.startBytes ?? .all
            let nonEmpty = rule.match.prefilter.filter { !$0.isEmpty }
            // A non-ASCII literal may match other spellings caselessly: no literal check then.
            if nonEmpty.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
                let indices = nonEmpty.map { table.add($0.utf8) }
                literals = indices.first!..<(indices.last! + 1)
            }
        }
    }

    /// The literals' bytes when every literal is one ASCII byte other than a letter: caseless matching
    /// is then plain byte presence, so "the text has one of these bytes" is exactly the prefilter's answer.
    static func singleBytePrefilter(_ literals: [String]) -> ByteSet? {
        let nonEmpty = literals.filter { !$0.isEmpty }
        guard !nonEmpty.isEmpty else { return nil }
        var set = ByteSet()
        for literal in nonEmpty {
            guard literal.utf8.count == 1, let byte = literal.utf8.first, byte < 0x80,
                !(byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            else { return nil }
            set.insert(byte)
        }
        return set
    }

    /// False only when the rule cannot match a text with this summary.
    @inline(__always)
    func admits(
        _ text: TextSummary, bytes: UnsafeBufferPointer<UInt8>, literals table: LiteralTable, pairMap: inout PairMap
    ) -> Bool {
        guard text.length >= minimumLength, text.longestDigitRun >= minimumDigitRun,
            text.bytes.intersects(startBytes), text.bytes.intersects(prefilterStartBytes)
        else { return false }
        // Caseless `k` and `s` also match the non-ASCII KELVIN SIGN and LONG S, and `\d` other scripts' digits:
        // literal and shape checks need ASCII text.
        if text.bytes.hasNonASCII { return true }
        if !shapes.isEmpty, !shapes.contains(where: { table.shapes[$0].occurs(in: bytes) }) { return false }
        if literals.isEmpty { return true }
        for index in literals where table.mayOccur(index, in: text, pairMap: &pairMap) { return true }
        return false
    }
}
