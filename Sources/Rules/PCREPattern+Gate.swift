import CPCRE2

/// What PCRE2's own study of a compiled pattern says every match needs, read once when a rule is
/// compiled: the scrubber checks it against a `TextSummary` and skips the call when it cannot hold.
///
/// These are the same facts PCRE2 uses to fail fast inside `pcre2_match` (no position where a match
/// could start, a text shorter than any match), so skipping changes no result, only the call overhead.
extension PCREPattern {
    /// No match is shorter than this many characters (so bytes, in UTF-8).
    var minimumLength: Int {
        var length: UInt32 = 0
        return info(PCRE2_INFO_MINLENGTH, &length) ? Int(length) : 0
    }

    /// The bytes a match can start with, or nil when PCRE2 recorded none (anything may start one).
    var startBytes: ByteSet? {
        var empty: UInt32 = 0
        if !info(PCRE2_INFO_MATCHEMPTY, &empty) || empty != 0 { return nil }
        var type: UInt32 = 0
        guard info(PCRE2_INFO_FIRSTCODETYPE, &type) else { return nil }
        if type == 1 {
            var unit: UInt32 = 0
            guard info(PCRE2_INFO_FIRSTCODEUNIT, &unit), unit < 0x80 else { return nil }
            // PCRE2 does not say whether the unit is caseless: allow both ASCII cases, and the lead bytes
            // of KELVIN SIGN (E2) and LONG S (C5), the non-ASCII letters that fold to `k` and `s`.
            let byte = UInt8(unit)
            var set = ByteSet([byte])
            let lower = byte | 0x20
            if lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") {
                set.insert(lower)
                set.insert(lower & ~0x20)
                if lower == UInt8(ascii: "k") { set.insert(0xE2) }
                if lower == UInt8(ascii: "s") { set.insert(0xC5) }
            }
            return set
        }
        if type != 0 { return nil }
        var bitmap: UnsafePointer<UInt8>?
        guard info(PCRE2_INFO_FIRSTBITMAP, &bitmap), let bitmap else { return nil }
        return ByteSet(bitmap: bitmap)
    }
}
