import Foundation
package import TraceJoinCore

/// Messages for people on standard error, compiler-style.
///
/// While a progress line is on screen, a message first clears it, so the two never share a line.
package enum Console {
    package static func warning(_ diagnostic: Diagnostic) { write(diagnostic.description) }
    package static func error(_ diagnostic: Diagnostic) { write(diagnostic.description) }
    package static func note(_ text: String) { write(text) }

    /// Set by `ProgressReporter` while its line is drawn.
    static let progressLine = ProgressLineState()

    /// Writes `text` with its control characters escaped (`TerminalText`); line breaks stay.
    private static func write(_ text: String) {
        let prefix = progressLine.isDrawn ? "\r\u{1B}[K" : ""
        let safe = TerminalText.escaped(text, keepingNewlines: true)
        FileHandle.standardError.write(Data((prefix + safe + "\n").utf8))
    }
}

/// Whether a progress line is currently on the terminal.
final class ProgressLineState: @unchecked Sendable {
    private let lock = NSLock()
    private var drawn = false

    var isDrawn: Bool {
        get { lock.withLock { drawn } }
        set { lock.withLock { drawn = newValue } }
    }
}
