/// A log message as the text views show it: without the trace context the line carried for machines.
///
/// Logging formats put the trace context in the line itself (Python's OpenTelemetry format
/// `[name] [file.py:42] [trace_id=… span_id=… resource.service.name=… trace_sampled=…] - message`, Java's
/// `TraceID: … SpanID: …`, `trace_id=…`), and at 120 columns it pushes the message off the screen. The
/// timeline already says which trace and span a line belongs to, so the views drop those pieces (and, in the
/// Python format, the logger and file groups before them); the stored message and the JSON output keep them.
enum ReadableMessage {
    static func text(_ message: String) -> String {
        var words = message.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        var dropped = false
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("[trace_id=") || word.hasPrefix("[otelTraceID=") {
                // The bracketed block up to its `]`, then a ` - ` separator after it; the `[logger] [file.py:42]`
                // groups before it go too (Python's format puts the message last, after ` - `).
                var last = index
                while last < words.count, !words[last].hasSuffix("]") { last += 1 }
                guard last < words.count else { break }
                if last + 1 < words.count, words[last + 1] == "-" { last += 1 }
                var first = index
                while first > 0, words[first - 1].hasPrefix("["), words[first - 1].hasSuffix("]") { first -= 1 }
                words.removeSubrange(first...last)
                index = first
                dropped = true
                continue
            }
            let lowered = word.lowercased()
            if ["traceid:", "spanid:", "trace_id:", "span_id:"].contains(lowered), index + 1 < words.count,
                isID(words[index + 1])
            {
                words.removeSubrange(index...(index + 1))
                dropped = true
                continue
            }
            let pair = word.split(separator: "=", maxSplits: 1)
            if pair.count == 2, Self.contextKeys.contains(pair[0].lowercased()), isID(String(pair[1])) {
                words.remove(at: index)
                dropped = true
                continue
            }
            index += 1
        }
        guard dropped else { return message }
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `key=value` trace-context words, by lower-cased key.
    private static let contextKeys: Set<String> = ["trace_id", "span_id", "traceid", "spanid", "trace_flags", "trace_sampled"]

    /// Hex digits (an ID), a flag, or a boolean: what a trace-context field holds.
    private static func isID(_ text: String) -> Bool {
        let trimmed = text.trimmingTrailing(",;]")
        guard !trimmed.isEmpty, trimmed.count <= 32 else { return false }
        return trimmed.allSatisfy(\.isHexDigit) || ["true", "false"].contains(trimmed.lowercased())
    }
}

extension String {
    fileprivate func trimmingTrailing(_ characters: String) -> String {
        var text = Substring(self)
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }

}
