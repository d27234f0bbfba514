import TraceJoinCore

/// What a trace-context pattern found in a piece of text.
struct TraceContextMatch: Equatable {
    /// Nil when the key was there with an all-zero ID (`trace_id=0`: logged outside a span).
    var trace: TraceReference?
    var spanID: SpanID?
    var service: String?
    var sampled: Bool?
}

/// Finds trace context in text with `TraceContextPattern`s: memmem for each key, then byte scanning.
struct TraceContextScanner: Sendable {
    private struct Compiled: Sendable {
        var traceKey: [UInt8]
        var anchor: Int
        var idForm: TraceContextPattern.IDForm
        var spanKey: [UInt8]?
        var serviceKey: [UInt8]?
        var sampledKey: [UInt8]?
    }

    private let patterns: [Compiled]

    init(patterns: [TraceContextPattern]) {
        self.patterns = patterns.filter { !$0.traceKey.isEmpty }.map {
            Compiled(
                traceKey: Array($0.traceKey.utf8), anchor: LogBytes.rareByteIndex(Array($0.traceKey.utf8)),
                idForm: $0.idForm, spanKey: $0.spanKey.map { Array($0.utf8) },
                serviceKey: $0.serviceKey.map { Array($0.utf8) }, sampledKey: $0.sampledKey.map { Array($0.utf8) })
        }
    }

    /// The first pattern (in configuration order) whose key is followed by a valid or all-zero ID.
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> TraceContextMatch? {
        for pattern in patterns {
            var searchFrom = start
            while let keyStart = LogBytes.find(
                pattern.traceKey, anchor: pattern.anchor, in: bytes, from: searchFrom, to: end)
            {
                searchFrom = keyStart + 1
                guard Self.isKeyBoundary(bytes, keyStart, start) else { continue }
                let valueStart = Self.valueStart(bytes, keyStart + pattern.traceKey.count, end)
                guard var match = Self.readTrace(bytes, valueStart, end, form: pattern.idForm) else { continue }
                if match.trace != nil {
                    if match.spanID == nil, let key = pattern.spanKey {
                        match.spanID = Self.readSpan(bytes, key, start, end, decimal: pattern.idForm == .decimal)
                    }
                    if match.sampled == nil, let key = pattern.sampledKey {
                        match.sampled = Self.readSampled(bytes, key, start, end)
                    }
                }
                // The service is the resource's identity: Python prints it outside spans too.
                if let key = pattern.serviceKey { match.service = Self.readService(bytes, key, start, end) }
                return match
            }
        }
        return nil
    }

    // MARK: - Pieces

    /// A key counts only at the start of the text or after a byte that cannot be part of a longer key,
    /// so `dd.trace_id=` is not read by the `trace_id=` pattern, nor `mytrace_id=`.
    @inline(__always)
    private static func isKeyBoundary(_ bytes: UnsafeBufferPointer<UInt8>, _ keyStart: Int, _ start: Int) -> Bool {
        guard keyStart > start else { return true }
        let before = bytes[keyStart - 1]
        return !(LogBytes.isWordByte(before) || before == UInt8(ascii: ".") || before == UInt8(ascii: "-"))
    }

    /// After the key: optional spaces and one optional quote.
    @inline(__always)
    private static func valueStart(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var index = LogBytes.skipSpaces(bytes, from: from, to: end)
        if index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") { index += 1 }
        return index
    }

    /// The length of the run of hex digits at `start`, and whether a word byte follows it.
    @inline(__always)
    private static func hexRun(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Bool) {
        var index = start
        while index < end, HexDigits.value(of: bytes[index]) != nil { index += 1 }
        let glued = index < end && LogBytes.isWordByte(bytes[index])
        return (index - start, glued)
    }

    @inline(__always)
    private static func decimalRun(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64?? {
        var index = start
        var value: UInt64 = 0
        while index < end, LogBytes.isDigit(bytes[index]) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] &- 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        guard index > start, !(index < end && LogBytes.isWordByte(bytes[index])) else { return nil }
        return .some(value == 0 ? nil : value)
    }

    private static func readTrace(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, form: TraceContextPattern.IDForm
    ) -> TraceContextMatch? {
        switch form {
        case .hex:
            let (count, glued) = hexRun(bytes, start, end)
            guard !glued else { return nil }
            if count == 1, bytes[start] == UInt8(ascii: "0") { return TraceContextMatch() }
            guard count == 32 || count == 16,
                let id = LogBytes.hex128(bytes, start, count)
            else { return nil }
            return TraceContextMatch(trace: id.isZero ? nil : .full(id))
        case .decimal:
            guard let parsed = decimalRun(bytes, start, end) else { return nil }
            return TraceContextMatch(trace: parsed.map { .lower64($0) })
        case .traceparent:
            guard let (trace, span, sampled) = parseTraceparent(bytes, start, end) else { return nil }
            return TraceContextMatch(trace: trace.isZero ? nil : .full(trace), spanID: span, sampled: sampled)
        }
    }

    /// `00-<32 hex>-<16 hex>-<2 hex>` at `start`.
    /// — source: https://www.w3.org/TR/trace-context/#traceparent-header
    static func parseTraceparent(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
        -> (TraceID, SpanID?, Bool)?
    {
        guard end - start >= 55, bytes[start + 2] == UInt8(ascii: "-"), bytes[start + 35] == UInt8(ascii: "-"),
            bytes[start + 52] == UInt8(ascii: "-"),
            HexDigits.value(of: bytes[start]) != nil, HexDigits.value(of: bytes[start + 1]) != nil
        else { return nil }
        guard let trace = LogBytes.hex128(bytes, start + 3, 32), let span = LogBytes.hex64(bytes, start + 36, 16),
            let flags = LogBytes.hex64(bytes, start + 53, 2), end == start + 55 || !LogBytes.isWordByte(bytes[start + 55])
        else { return nil }
        return (trace, span == 0 ? nil : SpanID(span), flags & 1 == 1)
    }

    /// The first occurrence of `key` (on a key boundary) and where its value starts.
    private static func findValue(_ bytes: UnsafeBufferPointer<UInt8>, _ key: [UInt8], _ start: Int, _ end: Int) -> Int? {
        var searchFrom = start
        while let keyStart = LogBytes.find(key, in: bytes, from: searchFrom, to: end) {
            searchFrom = keyStart + 1
            if isKeyBoundary(bytes, keyStart, start) { return valueStart(bytes, keyStart + key.count, end) }
        }
        return nil
    }

    private static func readSpan(
        _ bytes: UnsafeBufferPointer<UInt8>, _ key: [UInt8], _ start: Int, _ end: Int, decimal: Bool
    ) -> SpanID? {
        guard let valueStart = findValue(bytes, key, start, end) else { return nil }
        if decimal {
            guard let parsed = decimalRun(bytes, valueStart, end), let value = parsed else { return nil }
            return SpanID(value)
        }
        let (count, glued) = hexRun(bytes, valueStart, end)
        guard !glued, count == 16,
            let value = LogBytes.hex64(bytes, valueStart, 16),
            value != 0
        else { return nil }
        return SpanID(value)
    }

    private static func readService(_ bytes: UnsafeBufferPointer<UInt8>, _ key: [UInt8], _ start: Int, _ end: Int)
        -> String?
    {
        guard let valueStart = findValue(bytes, key, start, end) else { return nil }
        var index = valueStart
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "'"),
                UInt8(ascii: ";"):
                break
            default:
                index += 1
                continue
            }
            break
        }
        guard index > valueStart else { return nil }
        return LogBytes.string(bytes, valueStart..<index)
    }

    private static func readSampled(_ bytes: UnsafeBufferPointer<UInt8>, _ key: [UInt8], _ start: Int, _ end: Int)
        -> Bool?
    {
        guard let valueStart = findValue(bytes, key, start, end), valueStart < end else { return nil }
        switch LogBytes.lowercased(bytes[valueStart]) {
        case UInt8(ascii: "t"), UInt8(ascii: "1"): return true
        case UInt8(ascii: "f"), UInt8(ascii: "0"): return false
        default: return nil
        }
    }
}
