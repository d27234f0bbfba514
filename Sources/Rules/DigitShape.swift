#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A rule's `shapes` entry: bytes where `#` stands for any ASCII digit and every other byte for itself
/// (`###-##-####`). On text that is all ASCII, a rule with shapes runs its pattern only if one of them
/// occurs, so the gate answers for the digit-heavy patterns (SSN, phone) that most lines with a date and a
/// time let through `min-digits`.
///
/// Only for ASCII text: there `\d` is `[0-9]`, while on other text it also matches other scripts' digits
/// (`١٢٣-٤٥-٦٧٨٩`), which no byte shape names. Shapes hold no letters, so caseless matching changes nothing.
package struct DigitShape: Sendable, Equatable {
    static let digit = UInt8(ascii: "#")

    package let bytes: [UInt8]
    /// The first byte that is not `#`, where the search looks for it with `memchr`; nil for all digits.
    private let anchor: Int?

    /// nil unless `text` is ASCII, without letters, and has a `#`.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.contains(Self.digit), bytes.allSatisfy({ $0 < 0x80 && !Self.isLetter($0) }) else { return nil }
        self.bytes = bytes
        anchor = bytes.firstIndex { $0 != Self.digit }
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    /// Whether the shape occurs somewhere in `text`.
    package func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = bytes.count
        guard text.count >= length, let base = text.baseAddress else { return false }
        guard let anchor else {
            // Only digits: a run of at least `length` of them.
            var run = 0
            for byte in text {
                run = byte &- 0x30 < 10 ? run + 1 : 0
                if run == length { return true }
            }
            return false
        }
        let anchorByte = bytes[anchor]
        var position = anchor  // where the anchor byte may sit for the shape to fit
        let last = text.count - length + anchor
        while position <= last {
            guard let found = memchr(base + position, Int32(anchorByte), last - position + 1) else { return false }
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if fits(text, at: at - anchor) { return true }
            position = at + 1
        }
        return false
    }

    private func fits(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for index in 0..<bytes.count {
            let expected = bytes[index]
            let byte = text[start + index]
            if expected == Self.digit ? byte &- 0x30 >= 10 : byte != expected { return false }
        }
        return true
    }
}
