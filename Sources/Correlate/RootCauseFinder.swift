package import TraceJoinCore

/// Picks where a trace's failure began: the deepest, earliest error.
///
/// Errors propagate up: a refused connection in `user-service` makes `order-service` fail, and the
/// gateway answers 502. Every layer marks its span as an error, but only the deepest one is where the
/// failure began, so depth decides first; among errors equally deep the earliest is the first thing
/// that went wrong (later ones are often retries or follow-on failures). See `docs/correlation.md`.
package enum RootCauseFinder {
    /// Root-cause messages are cut to this many characters.
    package static let maxMessageCharacters = 500

    /// The index in `ordered` of the deepest error entry; among equally deep ones, the first in timeline
    /// order (the earliest). Nil when nothing failed.
    package static func candidateIndex(in ordered: [SourcedEntry]) -> Int? {
        var best: Int?
        for index in ordered.indices where ordered[index].entry.isError {
            if let current = best, ordered[index].entry.depth <= ordered[current].entry.depth { continue }
            best = index
        }
        return best
    }

    /// The root cause of a trace whose entries are `ordered` (timeline order), or nil when nothing failed.
    package static func rootCause(in ordered: [SourcedEntry], tree: SpanTree, logs: [LogRecord]) -> RootCause? {
        candidateIndex(in: ordered).map { rootCause(of: ordered[$0], tree: tree, logs: logs) }
    }

    /// The root cause that the error entry `candidate` stands for.
    ///
    /// An error event or log under a span names that span (its service, ID and name) with the event's or
    /// log's message; the span names the operation, the event or log says what went wrong in it. A log
    /// that joins no span names itself: its severity text, else the first words of its message.
    package static func rootCause(of candidate: SourcedEntry, tree: SpanTree, logs: [LogRecord]) -> RootCause {
        switch candidate.source {
        case .span(let index):
            let span = tree.spans[index]
            return RootCause(span: span, message: spanMessage(span))
        case .event(let index, let eventIndex):
            let span = tree.spans[index]
            let text = exceptionText(span.events[eventIndex])
            return RootCause(span: span, message: text.isEmpty ? spanMessage(span) : text)
        case .log(let logIndex, let spanIndex?):
            let span = tree.spans[spanIndex]
            let message = logs[logIndex].message
            return RootCause(span: span, message: message.isEmpty ? spanMessage(span) : message)
        case .log(let logIndex, nil):
            let log = logs[logIndex]
            return RootCause(
                service: candidate.entry.service, spanID: candidate.entry.spanID, name: logName(log),
                message: MessageSummary.cut(log.message, to: maxMessageCharacters))
        }
    }

    // MARK: - Texts

    /// What a span that failed on its own says about it: its status message, else the error attributes
    /// instrumentations set (`error.message`, a string `error` tag, `error.type`), else its status code.
    package static func spanMessage(_ span: SpanRecord) -> String {
        if !span.statusMessage.isEmpty { return span.statusMessage }
        for key in ["error.message", "exception.message", "error", "error.type"] {
            guard let value = span.attributes[key: key], case .string(let text) = value else { continue }
            if !text.isEmpty, text != "true", text != "false" { return text }
        }
        for key in ["http.response.status_code", "http.status_code"] {
            if let value = span.attributes[key: key] { return "HTTP " + value.text }
        }
        if let value = span.attributes[key: "rpc.grpc.status_code"] { return "gRPC status " + value.text }
        return ""
    }

    /// An exception as Python and Java print it, `Type: message`; else what the event says.
    package static func exceptionText(_ event: SpanEvent) -> String {
        let type = event.attributes[key: "exception.type"]?.text ?? ""
        let message = event.attributes[key: "exception.message"]?.text ?? ""
        switch (type.isEmpty, message.isEmpty) {
        case (false, false): return message.hasPrefix(type) ? message : type + ": " + message
        case (false, true): return type
        default: return TimelineEntry.message(of: event)
        }
    }

    /// A name for a log that joins no span: its severity text (`ERROR`), else the first words it says.
    package static func logName(_ log: LogRecord) -> String {
        if !log.severityText.isEmpty { return log.severityText }
        let words = MessageSummary.firstWords(of: log.message, count: 6, maxCharacters: 60)
        return words.isEmpty ? log.severity.name : words
    }
}

extension RootCause {
    /// A root cause in `span`, with `message` cut to the limit.
    init(span: SpanRecord, message: String) {
        self.init(
            service: span.service, spanID: span.spanID, name: span.name,
            message: MessageSummary.cut(message, to: RootCauseFinder.maxMessageCharacters))
    }
}
