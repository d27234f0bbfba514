import Foundation
package import TraceJoinCore

/// Messages for people on standard error, compiler-style.
package enum Console {
    package static func warning(_ diagnostic: Diagnostic) { write(diagnostic.description) }
    package static func error(_ diagnostic: Diagnostic) { write(diagnostic.description) }
    package static func note(_ text: String) { write(text) }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
