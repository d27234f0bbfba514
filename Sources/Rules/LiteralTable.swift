/// The prefilter literals (and shapes) of the compiled rules, as the gates check them on ASCII text: each
/// literal's bytes (letters folded to lowercase) and the adjacent pairs of bytes it contains.
///
/// Single bytes alone let through most texts for letter literals (`AKIA` needs only `a`, `k`, `i`),
/// so a literal also needs each of its byte pairs (`ak`, `ki`, `ia`) somewhere in the text, looked
/// up in the text's `PairMap`.
struct LiteralTable: Sendable {
    struct Literal: Sendable {
        var bytes: ByteSet
        /// Indices into `pairs`.
        var pairs: Range<Int>
    }

    private(set) var literals: [Literal] = []
    private(set) var pairs: [Int] = []
    /// The rules' `shapes`, which the gates check on ASCII text too.
    private(set) var shapes: [DigitShape] = []

    /// Adds a rule's shapes; returns their indices.
    mutating func add(_ shapes: [DigitShape]) -> Range<Int> {
        self.shapes += shapes
        return (self.shapes.count - shapes.count)..<self.shapes.count
    }

    /// Adds a literal; returns its index.
    mutating func add(_ literal: some Collection<UInt8>) -> Int {
        let folded = literal.map(PairMap.lowercased)
        let start = pairs.count
        for (first, second) in zip(folded, folded.dropFirst()) { pairs.append(PairMap.index(first, second)) }
        literals.append(Literal(bytes: ByteSet(folded), pairs: start..<pairs.count))
        return literals.count - 1
    }

    /// Whether literal `index` may occur in the text: all its bytes, then all its pairs, present.
    @inline(__always)
    func mayOccur(_ index: Int, in summary: TextSummary, pairMap: inout PairMap) -> Bool {
        let literal = literals[index]
        guard literal.bytes.isSubset(of: summary.folded) else { return false }
        if literal.pairs.isEmpty { return true }
        for pair in literal.pairs where !pairMap.contains(pairs[pair]) { return false }
        return true
    }
}

/// Which pairs of adjacent bytes (ASCII letters folded to lowercase) occur in a text, hashed into
/// 4,096 bits kept on the stack; filled on first use, as most texts are decided without it.
/// A hash collision can only say "present", so a gate stays a necessary condition.
struct PairMap {
    private let words: UnsafeMutablePointer<UInt64>
    private let text: UnsafeBufferPointer<UInt8>
    private var filled = false
    static let wordCount = 64

    /// `words` must hold `wordCount` words and outlive the map, as must `text`.
    init(words: UnsafeMutablePointer<UInt64>, text: UnsafeBufferPointer<UInt8>) {
        self.words = words
        self.text = text
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    @inline(__always)
    static func index(_ first: UInt8, _ second: UInt8) -> Int {
        (Int(first & 0x7F) << 5 ^ Int(second & 0x7F)) & 0xFFF
    }

    mutating func contains(_ index: Int) -> Bool {
        if !filled { fill() }
        return words[index >> 6] & (1 &<< UInt64(index & 63)) != 0
    }

    private mutating func fill() {
        filled = true
        words.initialize(repeating: 0, count: Self.wordCount)
        guard var previous = text.first.map(Self.lowercased) else { return }
        for byte in text.dropFirst() {
            let current = Self.lowercased(byte)
            let index = Self.index(previous, current)
            words[index >> 6] |= 1 &<< UInt64(index & 63)
            previous = current
        }
    }
}
