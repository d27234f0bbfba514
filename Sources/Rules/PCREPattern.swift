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
    let code: OpaquePointer
    /// The pattern behind a callout at each start of a match attempt, `(?C255)(?:source)`, used for values
    /// scanned against a `ScanDeadline`: the callout reads the clock, so even one `pcre2_match` call that
    /// rescans the value from every start is stopped. Nil if it does not compile (the deadline is then
    /// checked between matches only). Slower (no start-of-match optimisations), so only for long values.
    private let timedCode: OpaquePointer?
    /// The number of the group named `value`, which actions replace instead of the whole match; 0 when none.
    package let valueGroup: Int

    package convenience init(_ source: String, caseInsensitive: Bool = false) throws(CompileError) {
        try self.init(source, caseInsensitive: caseInsensitive, extraOptions: 0)
    }

    /// `extraOptions` are further PCRE2 compile options (`PCRE2_AUTO_CALLOUT` for `matchingWork`).
    init(_ source: String, caseInsensitive: Bool, extraOptions: UInt32) throws(CompileError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_UCP) | extraOptions
        if caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
        guard let compiled = Self.compile(source, options: options, &errorCode, &errorOffset) else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            let message = length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "code \(errorCode)"
            throw CompileError(message: message, offset: errorOffset)
        }
        self.source = source
        self.isCaseInsensitive = caseInsensitive
        self.code = compiled
        var ignoredCode: Int32 = 0
        var ignoredOffset = 0
        timedCode =
            extraOptions == 0 ? Self.compile("(?C255)(?:" + source + ")", options: options, &ignoredCode, &ignoredOffset) : nil
        let named = "value".withCString { name in
            name.withMemoryRebound(to: UInt8.self, capacity: 6) { pcre2_substring_number_from_name_8(compiled, $0) }
        }
        valueGroup = named > 0 ? Int(named) : 0
    }

    deinit {
        pcre2_code_free_8(code)
        if let timedCode { pcre2_code_free_8(timedCode) }
    }

    /// `pcre2_compile` and, when that works, `pcre2_jit_compile`; nil with the error code and offset set.
    private static func compile(
        _ source: String, options: UInt32, _ errorCode: inout Int32, _ errorOffset: inout Int
    ) -> OpaquePointer? {
        let compiled = source.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: source.utf8.count) { bytes in
                pcre2_compile_8(bytes, source.utf8.count, options, &errorCode, &errorOffset, nil)
            }
        }
        // JIT failing (e.g. an unsupported platform) is not an error: the interpreter still works.
        if let compiled { _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) }
        return compiled
    }

    /// `pcre2_pattern_info` for one item; false when PCRE2 has no answer.
    func info<T>(_ what: Int32, _ result: inout T) -> Bool {
        withUnsafeMutablePointer(to: &result) { pcre2_pattern_info_8(code, UInt32(what), $0) == 0 }
    }

    /// Every non-overlapping match in `bytes`, as byte ranges of the whole match and of the value group;
    /// nil when PCRE2 gave up (its match or depth limit on pathological input) or `deadline` passed
    /// between two matches, so the caller can treat the text as unscanned rather than clean.
    package func matches(
        in bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch = MatchScratch(), deadline: ScanDeadline? = nil
    ) -> [PatternMatch]? {
        guard let base = bytes.baseAddress else { return [] }
        let data = scratch.data
        var results: [PatternMatch] = []
        var start = 0
        var matchCode = code
        var watch: Unmanaged<DeadlineWatch>?
        if let deadline, let timedCode {
            matchCode = timedCode
            watch = Unmanaged.passRetained(DeadlineWatch(deadline))
            pcre2_set_callout_8(scratch.context, deadlineCallout, watch!.toOpaque())
        }
        defer {
            if let watch {
                pcre2_set_callout_8(scratch.context, nil, nil)
                watch.release()
            }
        }
        while start <= bytes.count {
            let rc = pcre2_match_8(matchCode, base, bytes.count, start, UInt32(PCRE2_NO_UTF_CHECK), data, scratch.context)
            if rc == PCRE2_ERROR_NOMATCH { break }
            if rc < 0 { return nil }
            if let deadline, deadline.hasPassed { return nil }
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
        return pcre2_match_8(code, base, bytes.count, 0, UInt32(PCRE2_NO_UTF_CHECK), scratch.data, scratch.context) >= 0
    }

    /// Whether the pattern matches anywhere in `text`.
    package func matches(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { matches(in: $0)?.isEmpty == false }
    }
}

/// PCRE2 match data and match context reused across the rules run over one record, so matching
/// allocates nothing. Not thread-safe: one per call, never shared.
///
/// The context states PCRE2's limits rather than relying on the build's defaults: a match that
/// exceeds one fails, and the scrubber makes the value `<unscanned>`.
/// - `matchLimit` (10,000,000, PCRE2's default): backtracking steps of one match attempt.
/// - `depthLimit` (10,000,000, PCRE2's default): nesting of backtracking (interpreter only).
/// - `heapLimit` (64 MiB; PCRE2's default is 20 GB): the interpreter's backtracking memory.
package final class MatchScratch {
    /// Capture pairs kept; a `value` group numbered higher than this is ignored (the whole match is replaced).
    static let pairs = 32
    static let matchLimit: UInt32 = 10_000_000
    static let depthLimit: UInt32 = 10_000_000
    static let heapLimitKiB: UInt32 = 64 * 1024
    let data: OpaquePointer
    let context: OpaquePointer

    package init() {
        data = pcre2_match_data_create_8(UInt32(Self.pairs), nil)!
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, Self.matchLimit)
        pcre2_set_depth_limit_8(context, Self.depthLimit)
        pcre2_set_heap_limit_8(context, Self.heapLimitKiB)
    }

    deinit {
        pcre2_match_context_free_8(context)
        pcre2_match_data_free_8(data)
    }
}

/// One match: byte ranges of the whole match and of the part an action replaces.
package struct PatternMatch: Sendable, Equatable {
    package var whole: Range<Int>
    package var value: Range<Int>
}

private let PCRE2_UNSET = ~Int(0)

/// The deadline a timed match's callout checks, every `interval` match attempts (a clock read costs as
/// much as several attempts on ordinary text).
private final class DeadlineWatch {
    static let interval = 16
    let deadline: ScanDeadline
    var countdown = 1
    init(_ deadline: ScanDeadline) { self.deadline = deadline }
}

/// Called at the start of each match attempt of a `timedCode` pattern; a negative return ends `pcre2_match`.
private let deadlineCallout: @convention(c) (UnsafeMutablePointer<pcre2_callout_block_8>?, UnsafeMutableRawPointer?)
    -> Int32 = { _, data in
        // Borrowed for the call (`matches` holds it): no retain and release at every match attempt.
        Unmanaged<DeadlineWatch>.fromOpaque(data!)._withUnsafeGuaranteedRef { watch in
            watch.countdown -= 1
            guard watch.countdown <= 0 else { return 0 }
            watch.countdown = DeadlineWatch.interval
            return watch.deadline.hasPassed ? PCRE2_ERROR_CALLOUT : 0
        }
    }
