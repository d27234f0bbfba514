/// A set of byte values (256 bits), the currency of the scrubber's cheap "can this rule match?" checks.
///
/// Plain words, no references: a rule's gate and a text's summary are compared with a few ANDs,
/// without retaining anything, so skipping a rule costs nanoseconds.
struct ByteSet: Sendable, Equatable {
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    var w2: UInt64 = 0
    var w3: UInt64 = 0

    static let all = ByteSet(w0: ~0, w1: ~0, w2: ~0, w3: ~0)

    init(w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    init<S: Sequence<UInt8>>(_ bytes: S) {
        for byte in bytes { insert(byte) }
    }

    /// The 32 bytes of a PCRE2 start bitmap (bit `b % 8` of byte `b / 8` set for byte value `b`).
    init(bitmap: UnsafePointer<UInt8>) {
        func word(_ offset: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bitmap[offset + index]) << (8 * index) }
            return value
        }
        self.init(w0: word(0), w1: word(8), w2: word(16), w3: word(24))
    }

    @inline(__always)
    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) &<< UInt64(byte & 63)
        switch byte >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    func contains(_ byte: UInt8) -> Bool { intersects(ByteSet([byte])) }

    @inline(__always)
    func intersects(_ other: ByteSet) -> Bool {
        (w0 & other.w0) | (w1 & other.w1) | (w2 & other.w2) | (w3 & other.w3) != 0
    }

    @inline(__always)
    func isSubset(of other: ByteSet) -> Bool {
        (w0 & ~other.w0) | (w1 & ~other.w1) | (w2 & ~other.w2) | (w3 & ~other.w3) == 0
    }

    /// Whether any byte is 0x80 or above (the text is not pure ASCII).
    var hasNonASCII: Bool { w2 | w3 != 0 }

    /// ASCII letters in both cases: `A`–`Z` are bits 1–26 of `w1`, `a`–`z` bits 33–58.
    var caseFolded: ByteSet {
        let letters: UInt64 = 0x3FF_FFFF << 1
        var folded = self
        folded.w1 |= ((w1 >> 32) & letters) | ((w1 & letters) << 32)
        return folded
    }
}
