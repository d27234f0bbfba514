/// The longest run of digits in a text, where up to two separators in a row (space, `-`, `.`, `/`,
/// `(`, `)`, `+`) do not break the run: `(415) 555-0132` is one run of 10 digits.
///
/// Backs the `min-digits` condition: card, phone and SSN patterns are the slowest of the shipped
/// pack (log lines are full of digits, so PCRE2 has no literal to skip ahead to), and most lines
/// have no run long enough for them. One byte loop answers for all three.
package enum DigitRun {
    package static func longest(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var run = 0
        var best = 0
        var separators = 0
        for byte in bytes {
            if byte &- 0x30 < 10 {
                run += 1
                separators = 0
                if run > best { best = run }
            } else if run > 0, separators < 2, isSeparator(byte) {
                separators += 1
            } else {
                run = 0
                separators = 0
            }
        }
        return best
    }

    /// The separators as bits of a 64-bit word (all are below 0x40), for branch-free checks.
    static var separatorBits: UInt64 {
        1 << 0x20 | 1 << 0x28 | 1 << 0x29 | 1 << 0x2B | 1 << 0x2D | 1 << 0x2E | 1 << 0x2F  // space ( ) + - . /
    }

    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "+"):
            true
        default: false
        }
    }
}
