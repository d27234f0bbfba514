import CPCRE2

/// A compiled PCRE2 regular expression, JIT-compiled, matched against UTF-8 bytes.
///
/// Chosen over Swift `Regex` and `NSRegularExpression` for the hot path: see docs/rules.md
/// ("Matching engine") for the measurements. The compiled code is immutable after `init` and
/// PCRE2 documents JIT code as safe to share between threads; each match call allocates its own
/// match data, so the type is `Sendable`.
package final class PCREPattern: @unchecked Sendable {
    /// Why a pattern did not compile, without the pattern text (it may hold personal data).
    package struct CompileError: Error, Sendable {
        package var message: String
        /// 0-based offset in the pattern (in bytes) where PCRE2 gave up.
        package var offset: Int
    }

    package let source: String
    package let isCaseInsensitive: Bool
    private let code: OpaquePointer
    /// The number of the group named `value`, which actions replace instead of the whole match; 0 when none.
    package let valueGroup: Int

    package init(_ source: String, caseInsensitive: Bool = false) throws(CompileError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_UCP)
        if caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
        let compiled = source.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: source.utf8.count) { bytes in
                pcre2_compile_8(bytes, source.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            let message = length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "code \(errorCode)"
            throw CompileError(message: message, offset: errorOffset)
        }
        // JIT failing (e.g. an unsupported platform) is not an error: the interpreter still works.
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
        self.source = source
        self.isCaseInsensitive = caseInsensitive
        self.code = compiled
        let named = "value".withCString { name in
            name.withMemoryRebound(to: UInt8.self, capacity: 6) { pcre2_substring_number_from_name_8(compiled, $0) }
        }
        valueGroup = named > 0 ? Int(named) : 0
    }

    deinit { pcre2_code_free_8(code) }

    /// `pcre2_pattern_info` for one item; false when PCRE2 has no answer.
    func info<T>(_ what: Int32, _ result: inout T) -> Bool {
        withUnsafeMutablePointer(to: &result) { pcre2_pattern_info_8(code, UInt32(what), $0) == 0 }
    }

    /// Every non-overlapping match in `bytes`, as byte ranges of the whole match and of the value group;
    /// nil when PCRE2 gave up (its match or depth limit on pathological input), so the caller can
    /// treat the text as unscanned rather than clean.
    package func matches(in bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch = MatchScratch())
        -> [PatternMatch]?
    {
        guard let base = bytes.baseAddress else { return [] }
        let data = scratch.data
        var results: [PatternMatch] = []
        var start = 0
        while start <= bytes.count {
            let rc = pcre2_match_8(code, base, bytes.count, start, UInt32(PCRE2_NO_UTF_CHECK), data, nil)
            if rc == PCRE2_ERROR_NOMATCH { break }
            if rc < 0 { return nil }
            let ovector = pcre2_get_ovector_pointer_8(data)!
            let whole = Int(ovector[0])..<Int(ovector[1])
            var value = whole
            if valueGroup > 0, valueGroup < MatchScratch.pairs, ovector[2 * valueGroup] != PCRE2_UNSET {
                value = Int(ovector[2 * valueGroup])..<Int(ovector[2 * valueGroup + 1])
            }
            results.append(PatternMatch(whole: whole, value: value))
            if whole.isEmpty {
                start = whole.upperBound + 1
                // Step over a whole UTF-8 sequence so the next start is on a character boundary.
                while start < bytes.count, bytes[start] & 0xC0 == 0x80 { start += 1 }
            } else {
                start = whole.upperBound
            }
        }
        return results
    }

    /// Whether the pattern matches anywhere in `bytes` (stops at the first match).
    package func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch = MatchScratch()) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return pcre2_match_8(code, base, bytes.count, 0, UInt32(PCRE2_NO_UTF_CHECK), scratch.data, nil) >= 0
    }

    /// Whether the pattern matches anywhere in `text`.
    package func matches(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { matches(in: $0)?.isEmpty == false }
    }
}

/// PCRE2 match data reused across the rules run over one record, so matching allocates nothing.
/// Not thread-safe: one per call, never shared.
package final class MatchScratch {
    /// Capture pairs kept; a `value` group numbered higher than this is ignored (the whole match is replaced).
    static let pairs = 32
    let data: OpaquePointer

    package init() { data = pcre2_match_data_create_8(UInt32(Self.pairs), nil)! }
    deinit { pcre2_match_data_free_8(data) }
}

/// One match: byte ranges of the whole match and of the part an action replaces.
package struct PatternMatch: Sendable, Equatable {
    package var whole: Range<Int>
    package var value: Range<Int>
}

private let PCRE2_UNSET = ~Int(0)
