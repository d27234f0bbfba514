package import TraceJoinCore
import Yams

/// Reads the classification rules out of rule files: the entries that have a `class:` key.
///
/// The same files, YAML walk and diagnostics as `RuleLoader` (which skips these entries), so a user
/// folder may mix scrubbing and classification rules.
package enum ClassificationRuleLoader {
    /// True for a rule-file entry that is a classification rule (it has a `class` key).
    static func isClassificationRule(_ node: Node) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.contains { $0.key.scalar?.string == "class" }
    }

    private static var loader: RuleKindLoader<ClassificationRule> {
        RuleKindLoader(isOwnEntry: isClassificationRule, read: { $0.classificationRule($1) })
    }

    /// The classification rules of one file, and what is wrong with them.
    package static func load(_ source: RuleSource) -> (rules: [ClassificationRule], diagnostics: [Diagnostic]) {
        loader.load(source)
    }

    /// The rules of several files (one layer) in file order, with duplicate ids reported.
    package static func load(_ sources: [RuleSource]) -> (rules: [ClassificationRule], diagnostics: [Diagnostic]) {
        loader.load(sources)
    }

    /// Layers in order (built-in packs, then `--rules` folders); a later rule replaces an earlier one with
    /// the same id in its place. Throws every diagnostic when any is an error.
    package static func load(layers: [[RuleSource]]) throws(RuleSetError) -> [ClassificationRule] {
        try loader.load(layers: layers)
    }
}
