package import TraceJoinCore

/// The rules in force: shipped packs first, then user folders, a later rule replacing an earlier one with the same id.
package struct RuleSet: Sendable {
    package private(set) var rules: [Rule]

    package init(rules: [Rule] = []) { self.rules = rules }

    /// Loads layers in order (e.g. the built-in packs, then `--rules` folders). Duplicate ids within one
    /// layer are errors; across layers the later one wins. Throws every diagnostic when any is an error.
    package init(layers: [[RuleSource]]) throws(RuleSetError) {
        rules = try RuleKindLoader<Rule>.layered(layers.map(RuleLoader.load))
    }

    /// SHA-256 hex of the rules' canonical text, in id order: equal for equal behaviour,
    /// whatever the files' layout, comments or descriptions.
    package var digest: String {
        var hasher = SHA256()
        for rule in rules.sorted(by: { $0.id < $1.id }) { hasher.update(rule.canonicalText.utf8) }
        return SHA256.hex(hasher.finalize())
    }

    /// Whether any rule uses the `hash` action (and so needs a key).
    package var needsHashKey: Bool {
        rules.contains { if case .hash = $0.action { true } else { false } }
    }
}

/// A rule set that did not load; `diagnostics` are printed compiler-style (exit 78).
package struct RuleSetError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]
    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
