/// A message about input or configuration, printed compiler-style: `file:line:col: error: what` + `hint:`.
///
/// Never carries the offending value itself: it may be the personal data tracejoin exists to remove.
package struct Diagnostic: Error, Sendable, CustomStringConvertible {
    package enum Severity: String, Sendable {
        case error, warning, note
    }

    package var location: InputLocation
    package var column: Int?
    package var severity: Severity
    package var message: String
    package var hint: String?
    /// What kind of problem this is, for code that acts on it (the message is for people); nil for most.
    package var code: Code?

    /// Problems some caller handles differently from the rest.
    package enum Code: Sendable, Equatable {
        /// The data ended inside a gzip member: a copy still being written, or a writer killed mid-flush.
        case gzipTruncated
    }

    package init(
        location: InputLocation, column: Int? = nil, severity: Severity = .error, message: String, hint: String? = nil,
        code: Code? = nil
    ) {
        self.location = location
        self.column = column
        self.severity = severity
        self.message = message
        self.hint = hint
        self.code = code
    }

    /// The printed form; the file name, message and hint are escaped for the terminal (`TerminalText`), as a
    /// file name or a skipped record's reason can come from input.
    package var description: String {
        var text = TerminalText.escaped("\(location)")
        if let column { text += ":\(column)" }
        text += ": \(severity.rawValue): \(TerminalText.escaped(message))"
        if let hint { text += "\n  hint: \(TerminalText.escaped(hint))" }
        return text
    }
}
