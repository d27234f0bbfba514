/// Decides whether a line continues the record before it (stack traces, tracebacks, panics).
///
/// The rule, applied only when a record of the same stream is pending:
/// 1. A line that starts with a space or tab continues it (`\tat …`, `  File "…", line 3`,
///    `\t... 12 more`, an indented Go frame path). This is checked before anything else, so an
///    indented `{` inside an exception message is not read as a JSON record.
/// 2. JSON, logfmt, any line with a leading timestamp, and any line that opens with a level word
///    (`INFO:     …`, `[WARN] …`, `ERROR:root:…`) start a new record (the caller checks).
/// 3. Otherwise the line continues the record when it has the shape of a stack-dump line:
///    `Caused by:`, `Suppressed:`, `... N more`, `Traceback (most recent call last):`,
///    Python's `During handling of the above exception…`/`The above exception was the direct cause…`,
///    Go's `goroutine N [state]:`, `created by …`, `[signal …`; or an exception header: a dotted or
///    plain identifier ending in `Exception`, `Error`, `Throwable`, `Warning`, `Exit` or `Interrupt`,
///    followed by `:` or the end of the line (`java.lang.IllegalStateException: boom`, `ValueError: bad`).
/// 4. Once a record is a stack dump (it has a continuation line already, or it opened with `panic:`,
///    `fatal error:`, `Traceback …` or `Exception in thread …`), any identifier followed by `: `,
///    a Go frame (`main.main()`, `net/http.(*conn).serve(0xc000…)`: ends with `)`) and
///    `exit status N` continue it too.
/// Everything else (plain text without a timestamp that has none of these shapes) starts a new record,
/// so a file of time-less `print` lines stays one record per line.
enum ContinuationRule {
    static func continues(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, inStackDump: Bool
    ) -> Bool {
        guard start < end else { return false }
        if LogBytes.isSpace(bytes[start]) { return true }
        if hasMarker(bytes, start, end) { return true }
        if let header = exceptionHeader(bytes, start, end) {
            if header.namedLikeException || inStackDump { return true }
        }
        guard inStackDump else { return false }
        if bytes[end - 1] == UInt8(ascii: ")"), hasOpenParenthesis(bytes, start, end) { return true }
        return LogBytes.hasPrefix(bytes, at: start, to: end, "exit status ")
    }

    private static func hasMarker(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        switch bytes[start] {
        case UInt8(ascii: "C"): return LogBytes.hasPrefix(bytes, at: start, to: end, "Caused by:")
        case UInt8(ascii: "S"): return LogBytes.hasPrefix(bytes, at: start, to: end, "Suppressed:")
        case UInt8(ascii: "."): return LogBytes.hasPrefix(bytes, at: start, to: end, "...")
        case UInt8(ascii: "T"):
            return LogBytes.hasPrefix(bytes, at: start, to: end, "Traceback (most recent call last):")
                || LogBytes.hasPrefix(bytes, at: start, to: end, "The above exception was the direct cause")
        case UInt8(ascii: "D"): return LogBytes.hasPrefix(bytes, at: start, to: end, "During handling of the above exception")
        case UInt8(ascii: "g"):
            guard LogBytes.hasPrefix(bytes, at: start, to: end, "goroutine "), start + 10 < end else { return false }
            return LogBytes.isDigit(bytes[start + 10])
        case UInt8(ascii: "c"): return LogBytes.hasPrefix(bytes, at: start, to: end, "created by ")
        case UInt8(ascii: "["): return LogBytes.hasPrefix(bytes, at: start, to: end, "[signal ")
        default: return false
        }
    }

    private struct ExceptionHeader {
        var namedLikeException: Bool
    }

    /// `pkg.Name: text`, `pkg.Name` alone, `Name: text` at the start of the line.
    private static func exceptionHeader(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
        -> ExceptionHeader?
    {
        guard LogBytes.isLetter(bytes[start]) || bytes[start] == UInt8(ascii: "_") else { return nil }
        var index = start
        var segmentStart = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "$") {
                segmentStart = index + 1
            } else if !LogBytes.isWordByte(byte) {
                break
            }
            index += 1
        }
        let nameEnd = index
        guard nameEnd > segmentStart else { return nil }
        if index < end {
            guard bytes[index] == UInt8(ascii: ":"), index + 1 == end || LogBytes.isSpace(bytes[index + 1]) else {
                return nil
            }
        }
        return ExceptionHeader(namedLikeException: endsLikeException(bytes, segmentStart, nameEnd))
    }

    private static func endsLikeException(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        for suffix: StaticString in ["Exception", "Error", "Throwable", "Warning", "Exit", "Interrupt"] {
            let count = suffix.utf8CodeUnitCount
            if end - start >= count, LogBytes.hasPrefix(bytes, at: end - count, to: end, suffix) { return true }
        }
        return false
    }

    private static func hasOpenParenthesis(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "(") { return index > start }
            if byte == UInt8(ascii: " ") { return false }
            index += 1
        }
        return false
    }
}
