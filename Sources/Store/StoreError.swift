/// A store failure a user can act on: it names the database file and what to do, never a stored value.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var message: String
    package var hint: String?

    package init(path: String, message: String, hint: String? = nil) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    package var description: String {
        var text = "\(path): error: \(message)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
