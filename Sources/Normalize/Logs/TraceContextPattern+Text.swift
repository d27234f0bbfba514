package import TraceJoinCore

extension TraceContextPattern {
    /// The trace context `patterns` find in one piece of text, exactly as the log decoder finds it in a
    /// plain-text line or a message; nil when no key with a valid ID is there. For rule examples and
    /// tests: it builds a scanner per call, so it is not for the hot path.
    package static func find(in text: String, patterns: [TraceContextPattern])
        -> (trace: TraceReference?, spanID: SpanID?, service: String?)?
    {
        let scanner = TraceContextScanner(patterns: patterns)
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            let view = UnsafeBufferPointer(buffer)
            guard let match = scanner.scan(view, from: 0, to: view.count) else { return nil }
            return (match.trace, match.spanID, match.service)
        }
    }
}
