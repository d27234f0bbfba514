package import TraceJoinCore
import Yams

/// Reads the trace-context extraction rules out of rule files: the entries that have an `extract:` key.
///
/// The same files, YAML walk and diagnostics as `RuleLoader` (which skips these entries), so a user
/// folder may mix scrubbing, classification and extraction rules.
package enum ExtractionRuleLoader {
    /// True for a rule-file entry that is an extraction rule (it has an `extract` key and no `class`).
    static func isExtractionRule(_ node: Node) -> Bool {
        guard case .mapping(let mapping) = node, !ClassificationRuleLoader.isClassificationRule(node) else {
            return false
        }
        return mapping.contains { $0.key.scalar?.string == "extract" }
    }

    private static var loader: RuleKindLoader<ExtractionRule> {
        RuleKindLoader(isOwnEntry: isExtractionRule, read: { $0.extractionRule($1) })
    }

    /// The extraction rules of one file, and what is wrong with them.
    package static func load(_ source: RuleSource) -> (rules: [ExtractionRule], diagnostics: [Diagnostic]) {
        loader.load(source)
    }

    /// The rules of several files (one layer) in file order, with duplicate ids reported.
    package static func load(_ sources: [RuleSource]) -> (rules: [ExtractionRule], diagnostics: [Diagnostic]) {
        loader.load(sources)
    }

    /// Layers in order (built-in packs, then `--rules` folders); a later rule replaces an earlier one with
    /// the same id in its place. Throws every diagnostic when any is an error.
    package static func load(layers: [[RuleSource]]) throws(RuleSetError) -> [ExtractionRule] {
        try loader.load(layers: layers)
    }

    /// The extraction rules in force: the built-in pack (unless `includeBuiltIn` is false), then each
    /// `--rules` folder. Any problem throws every diagnostic (the CLI exits 78).
    package static func load(ruleFolders: [String] = [], includeBuiltIn: Bool = true) throws(RuleSetError)
        -> [ExtractionRule]
    {
        let layers = try RuleSource.layers(includeBuiltIn: includeBuiltIn, ruleFolders: ruleFolders)
        return try load(layers: layers)
    }
}
