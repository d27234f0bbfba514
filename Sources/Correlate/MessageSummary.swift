/// Shortening messages for a root cause, keeping what says what went wrong.
///
/// Error logs are often a message plus a stack trace, and the line that names the failure is not
/// always the first: Python prints the exception last (`ConnectionRefusedError: ...` after the frames),
/// Java prints the innermost cause last (`Caused by: ...`). A plain cut at the limit would keep frames
/// and lose that line, so a message over the limit drops its stack frames before it is cut.
package enum MessageSummary {
    /// `text` if it has at most `limit` characters; otherwise its lines without stack frames, and if
    /// that is still too long, its first `limit - 1` characters followed by `…`.
    package static func cut(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        guard !fits(text, limit) else { return text }
        let lines = text.split(whereSeparator: \.isNewline)
        var shortened = text
        if lines.count > 1 {
            let kept = lines.filter { !isStackFrame($0) }
            if !kept.isEmpty { shortened = kept.joined(separator: "\n") }
        }
        guard !fits(shortened, limit) else { return shortened }
        return String(shortened.prefix(limit - 1)) + "…"
    }

    /// The first `count` words of the first line of `text`, at most `maxCharacters` long.
    package static func firstWords(of text: String, count: Int, maxCharacters: Int) -> String {
        let firstLine = text.split(whereSeparator: \.isNewline).first ?? ""
        let words = firstLine.split(whereSeparator: \.isWhitespace).prefix(count).joined(separator: " ")
        return cut(words, to: maxCharacters)
    }

    /// A line of a stack trace that names a code location rather than the failure: an indented frame
    /// (Java `\tat …`, Python `  File …` and its source line, Go's file lines), Java's `... 12 more`,
    /// or Python's `Traceback (most recent call last):` header.
    static func isStackFrame(_ line: Substring) -> Bool {
        guard let first = line.first else { return true }
        if first == " " || first == "\t" { return true }
        return line.hasPrefix("Traceback (most recent call last)") || line.hasPrefix("...")
    }

    /// Whether `text` has at most `limit` characters, without counting past the limit.
    private static func fits(_ text: String, _ limit: Int) -> Bool {
        if text.utf8.count <= limit { return true }
        guard let index = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex) else { return true }
        return index == text.endIndex
    }
}
