#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

import TraceJoinCore

/// Byte-level helpers the log decoders share: character classes, substring search, text slices.
///
/// Everything here works on `UnsafeBufferPointer<UInt8>` and index ranges so that a line is
/// scanned without creating a `String` until a field is known to be kept.
enum LogBytes {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    /// Letters, digits and `_`: the bytes an identifier or a key is made of.
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) || byte == 0x5F }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte | 0x20 : byte }

    /// The first index at or after `from` that is not a space or tab.
    @inline(__always)
    static func skipSpaces(_ bytes: Buffer, from: Int, to end: Int) -> Int {
        var index = from
        while index < end, isSpace(bytes[index]) { index += 1 }
        return index
    }

    /// Two-digit decimal at `index`, or nil.
    @inline(__always)
    static func twoDigits(_ bytes: Buffer, _ index: Int, _ end: Int) -> Int? {
        guard index + 1 < end, isDigit(bytes[index]), isDigit(bytes[index + 1]) else { return nil }
        return Int(bytes[index] &- 0x30) * 10 + Int(bytes[index + 1] &- 0x30)
    }

    /// The start of the first occurrence of `needle` in `bytes[from..<to]`: memchr (SIMD-fast in libc)
    /// for the byte at `anchor` in the needle (pick a rare one, see `rareByteIndex`), then a comparison.
    static func find(_ needle: [UInt8], anchor: Int = 0, in bytes: Buffer, from: Int, to end: Int) -> Int? {
        let count = needle.count
        guard count > 0, from < end, end - from >= count, let base = bytes.baseAddress else { return nil }
        return needle.withUnsafeBufferPointer { needleBuffer -> Int? in
            let anchorByte = Int32(needleBuffer[anchor])
            var index = from + anchor  // where the anchor byte of the next candidate may be
            let lastAnchor = end - count + anchor
            while index <= lastAnchor {
                guard let found = memchr(base + index, anchorByte, lastAnchor - index + 1) else { return nil }
                let start = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) - anchor
                if memcmp(base + start, needleBuffer.baseAddress!, count) == 0 { return start }
                index = start + anchor + 1
            }
            return nil
        }
    }

    /// The index of the byte of `key` least likely in ordinary text: `=` or `:`, then other punctuation,
    /// then an upper-case letter, else the first byte. memchr on it skips most of a line at once.
    static func rareByteIndex(_ key: [UInt8]) -> Int {
        func rank(_ byte: UInt8) -> Int {
            switch byte {
            case UInt8(ascii: "="), UInt8(ascii: ":"): 0
            case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"): 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): 2
            case UInt8(ascii: " "): 4
            default: 3
            }
        }
        var best = 0
        for index in key.indices where rank(key[index]) < rank(key[best]) { best = index }
        return best
    }

    /// True when `bytes[at...]` starts with `prefix` (exact bytes).
    @inline(__always)
    static func hasPrefix(_ bytes: Buffer, at index: Int, to end: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard end - index >= count else { return false }
        return prefix.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
            return true
        }
    }

    /// A `String` from a byte range; invalid UTF-8 becomes U+FFFD.
    @inline(__always)
    static func string(_ bytes: Buffer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The end of `range` with trailing spaces, tabs, CR and LF removed.
    @inline(__always)
    static func trimmedEnd(_ bytes: Buffer, from start: Int, to end: Int) -> Int {
        var last = end
        while last > start {
            let byte = bytes[last - 1]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A else { break }
            last -= 1
        }
        return last
    }

    /// `count` cut back to the start of a UTF-8 sequence, so a cut never splits a character.
    static func utf8Boundary(_ bytes: Buffer, start: Int, limit: Int) -> Int {
        var cut = limit
        while cut > start, cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }

    /// 1 to 16 hex digits at `bytes[start..<start+count]` as a number, without allocating.
    @inline(__always)
    static func hex64(_ bytes: Buffer, _ start: Int, _ count: Int) -> UInt64? {
        guard count > 0, count <= 16, start >= 0, start + count <= bytes.count, let base = bytes.baseAddress else {
            return nil
        }
        var value: UInt64 = 0
        for index in start..<start + count {
            let byte = base[index]
            let digit = byte &- 0x30
            let letter = (byte | 0x20) &- 0x61
            let nibble: UInt8
            if digit < 10 {
                nibble = digit
            } else if letter < 6 {
                nibble = letter &+ 10
            } else {
                return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    /// 1 to 32 hex digits as a trace ID, left-padded, without allocating.
    static func hex128(_ bytes: Buffer, _ start: Int, _ count: Int) -> TraceID? {
        guard count > 0, count <= 32 else { return nil }
        let split = max(0, count - 16)
        guard let low = hex64(bytes, start + split, count - split) else { return nil }
        let high = split > 0 ? hex64(bytes, start, split) : 0
        guard let high else { return nil }
        return TraceID(high: high, low: low)
    }
}
