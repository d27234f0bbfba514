package import TraceJoinCore
import Yams

/// Reads the per-file time zone rules out of rule files: the entries that have a `timezone:` key.
///
/// The same files, YAML walk and diagnostics as the other kinds; a zone name the tz database does not know
/// is an error at its line and column, so a bad set stops start-up (exit 78) like any bad rule.
package enum TimeZoneRuleLoader {
    /// True for a rule-file entry that is a time zone rule (it has a `timezone` key).
    static func isTimeZoneRule(_ node: Node) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.contains { $0.key.scalar?.string == "timezone" }
    }

    private static var loader: RuleKindLoader<TimeZoneRule> {
        RuleKindLoader(isOwnEntry: isTimeZoneRule, read: { $0.timeZoneRule($1) })
    }

    /// The time zone rules of several files (one layer) in file order, with duplicate ids reported.
    package static func load(_ sources: [RuleSource]) -> (rules: [TimeZoneRule], diagnostics: [Diagnostic]) {
        loader.load(sources)
    }

    /// The rules in force: the built-in packs (unless `includeBuiltIn` is false; they hold none today), then
    /// each `--rules` folder, a later rule replacing an earlier one with the same id. Throws every diagnostic.
    package static func load(ruleFolders: [String] = [], includeBuiltIn: Bool = true) throws(RuleSetError)
        -> [TimeZoneRule]
    {
        try loader.load(layers: try RuleSource.layers(includeBuiltIn: includeBuiltIn, ruleFolders: ruleFolders))
    }
}
