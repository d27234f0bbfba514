import TraceJoinCore

/// Reads trace-context values from JSON/logfmt members, straight from the line's bytes.
enum StructuredIDParser {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    enum Outcome<Value> {
        case value(Value)
        /// An all-zero ID or `0`: the producer logged outside a span.
        case none
        case invalid
    }

    /// Calls `body` with the member's value bytes, unescaped first when the string had escapes.
    @inline(__always)
    static func withValueBytes<Result>(_ bytes: Buffer, _ member: RawMember, _ body: (Buffer, Int, Int) -> Result)
        -> Result
    {
        guard member.valueEscaped else { return body(bytes, member.valueStart, member.valueEnd) }
        var scratch: [UInt8] = []
        RawJSONScanner.unescape(bytes, member.valueStart, member.valueEnd, into: &scratch)
        return scratch.withUnsafeBufferPointer { body($0, 0, $0.count) }
    }

    @inline(__always)
    private static func isZeroNumber(_ bytes: Buffer, _ member: RawMember) -> Bool {
        member.kind == .number && member.valueEnd - member.valueStart == 1 && bytes[member.valueStart] == 0x30
    }

    /// 1 to 32 hex digits (OTel writes 32; Jaeger-era producers 16; some drop leading zeros); failing that,
    /// the other whole-ID forms a trace-ID field may hold: an AWS X-Ray ID, a `traceparent`, base64 of the 16 bytes.
    static func traceHex(_ bytes: Buffer, _ member: RawMember) -> Outcome<TraceReference> {
        guard member.kind == .string else { return isZeroNumber(bytes, member) ? .none : .invalid }
        return withValueBytes(bytes, member) { buffer, start, end in
            guard let id = LogBytes.hex128(buffer, start, end - start) ?? otherForm(buffer, start, end) else {
                return .invalid
            }
            return id.isZero ? .none : .value(.full(id))
        }
    }

    /// An X-Ray ID, a `traceparent` or base64 (what `TraceIDText` reads, less the hex and decimal forms).
    private static func otherForm(_ bytes: Buffer, _ start: Int, _ end: Int) -> TraceID? {
        guard (22...55).contains(end - start) else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard case .full(let id)? = TraceIDText.parse(text) else { return nil }
        return id
    }

    /// Datadog's `dd.trace_id`: the lower 64 bits in decimal (string or number); 32 hex is accepted too.
    static func traceDecimal(_ bytes: Buffer, _ member: RawMember) -> Outcome<TraceReference> {
        switch decimal(bytes, member) {
        case .value(let low): return .value(.lower64(low))
        case .none: return .none
        case .invalid:
            guard member.kind == .string, !member.valueEscaped, member.valueEnd - member.valueStart == 32,
                let id = LogBytes.hex128(bytes, member.valueStart, 32)
            else { return .invalid }
            return id.isZero ? .none : .value(.full(id))
        }
    }

    static func spanHex(_ bytes: Buffer, _ member: RawMember) -> Outcome<SpanID> {
        guard member.kind == .string else { return isZeroNumber(bytes, member) ? .none : .invalid }
        return withValueBytes(bytes, member) { buffer, start, end in
            guard let id = LogBytes.hex64(buffer, start, end - start) else { return .invalid }
            return id == 0 ? .none : .value(SpanID(id))
        }
    }

    static func spanDecimal(_ bytes: Buffer, _ member: RawMember) -> Outcome<SpanID> {
        switch decimal(bytes, member) {
        case .value(let id): .value(SpanID(id))
        case .none: .none
        case .invalid: .invalid
        }
    }

    /// Up to 20 decimal digits that fit 64 bits, as a string or a number.
    private static func decimal(_ bytes: Buffer, _ member: RawMember) -> Outcome<UInt64> {
        guard member.kind == .string || member.kind == .number, !member.valueEscaped else { return .invalid }
        let start = member.valueStart
        let end = member.valueEnd
        guard end > start, end - start <= 20 else { return .invalid }
        var value: UInt64 = 0
        for index in start..<end {
            let byte = bytes[index]
            guard LogBytes.isDigit(byte) else { return .invalid }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte &- 0x30))
            guard !overflow1, !overflow2 else { return .invalid }
            value = sum
        }
        return value == 0 ? .none : .value(value)
    }

    /// A W3C `traceparent` value.
    static func traceparent(_ bytes: Buffer, _ member: RawMember) -> (TraceID, SpanID?, Bool)? {
        guard member.kind == .string, !member.valueEscaped else { return nil }
        let end = LogBytes.trimmedEnd(bytes, from: member.valueStart, to: member.valueEnd)
        guard end - member.valueStart == 55 else { return nil }
        return TraceContextScanner.parseTraceparent(bytes, member.valueStart, end)
    }

    /// Google Cloud's `projects/<project>/traces/<32 hex>`.
    static func googleTrace(_ bytes: Buffer, _ member: RawMember) -> Outcome<TraceReference> {
        guard member.kind == .string, !member.valueEscaped else { return .invalid }
        var slash = member.valueEnd
        while slash > member.valueStart, bytes[slash - 1] != UInt8(ascii: "/") { slash -= 1 }
        guard slash > member.valueStart, let id = LogBytes.hex128(bytes, slash, member.valueEnd - slash) else {
            return .invalid
        }
        return id.isZero ? .none : .value(.full(id))
    }

    /// W3C trace flags as hex text (`"01"`) or a number.
    static func flags(_ bytes: Buffer, _ member: RawMember) -> UInt64? {
        switch member.kind {
        case .string: return LogBytes.hex64(bytes, member.valueStart, member.valueEnd - member.valueStart)
        case .number:
            guard case .value(let value) = decimal(bytes, member) else {
                return isZeroNumber(bytes, member) ? 0 : nil
            }
            return value
        default: return nil
        }
    }

    /// `true`/`false` as JSON, or `"True"`/`"false"`/`"1"`/`"0"` as Python and logfmt write them.
    static func bool(_ bytes: Buffer, _ member: RawMember) -> Bool? {
        let start = member.valueStart
        let count = member.valueEnd - start
        switch member.kind {
        case .bool: return bytes[start] == UInt8(ascii: "t")
        case .number, .string:
            if count == 1 {
                if bytes[start] == UInt8(ascii: "1") { return true }
                if bytes[start] == UInt8(ascii: "0") { return false }
                return nil
            }
            guard member.kind == .string else { return nil }
            if count == 4, LogBytes.lowercased(bytes[start]) == UInt8(ascii: "t"),
                LogBytes.hasPrefix(bytes, at: start + 1, to: member.valueEnd, "rue")
                    || LogBytes.hasPrefix(bytes, at: start + 1, to: member.valueEnd, "RUE")
            {
                return true
            }
            if count == 5, LogBytes.lowercased(bytes[start]) == UInt8(ascii: "f"),
                LogBytes.hasPrefix(bytes, at: start + 1, to: member.valueEnd, "alse")
                    || LogBytes.hasPrefix(bytes, at: start + 1, to: member.valueEnd, "ALSE")
            {
                return false
            }
            return nil
        default: return nil
        }
    }
}
