import ArgumentParser
import Normalize
import Pipeline
import Rules

/// The options that choose the rule files in force, shared by every command that ingests.
struct RuleOptions: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: "A folder of rule files (YAML) that adds to or overrides (by id) the shipped packs. Repeatable.")
    var ruleFolders: [String] = []

    @Flag(help: "Do not apply the shipped rule packs (Rules/ built into the binary).")
    var noDefaultRules = false

    @Option(help: "A file holding the HMAC key for `hash` actions (else TRACEJOIN_HASH_KEY).")
    var hashKeyFile: String?

    /// Loads the rule set; a bad set prints its diagnostics and exits 78, changing nothing.
    func loadScrubber() throws -> Scrubber {
        try refusingBadRules { () throws(RuleSetError) in
            try Scrubber.load(ruleFolders: ruleFolders, includeBuiltIn: !noDefaultRules, hashKeyFile: hashKeyFile)
        }
    }

    /// Loads the classification rules from the same folders (`class:` entries); a bad set exits 78.
    func loadClassifier() throws -> Classifier {
        try refusingBadRules { () throws(RuleSetError) in
            try Classifier.load(ruleFolders: ruleFolders, includeBuiltIn: !noDefaultRules)
        }
    }

    /// Loads the trace-context extraction rules from the same folders (`extract:` entries); a bad set exits 78.
    func loadTraceContextPatterns() throws -> [TraceContextPattern] {
        try refusingBadRules { () throws(RuleSetError) in
            try TraceContextRules.load(ruleFolders: ruleFolders, includeBuiltIn: !noDefaultRules)
        }
    }

    /// Runs one of the rule loaders; a bad set prints its diagnostics on standard error and exits 78 (every rule
    /// kind is refused the same way).
    func refusingBadRules<Loaded>(_ load: () throws(RuleSetError) -> Loaded) throws -> Loaded {
        do {
            return try load()
        } catch {
            for diagnostic in error.diagnostics { Console.error(diagnostic) }
            Console.note("error: the rule set has \(error.diagnostics.count) problem(s); nothing was changed")
            throw ExitStatus.configurationError
        }
    }
}
