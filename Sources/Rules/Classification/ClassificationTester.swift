package import TraceJoinCore

/// Runs the examples of classification rules (`tracejoin rules test` and `rules check`).
///
/// Each example is a one-entry trace. When its `class` is the rule's own, the rule alone must match it;
/// when it names another class, the rule alone must not (a look-alike the rule must leave to others).
/// Then the whole set must give the example its class; a different answer is a warning naming the rule
/// that won. Messages name the example and the rules, never the example's text.
package enum ClassificationTester {
    package static func test(_ rules: [ClassificationRule]) -> RuleTester.Report {
        let whole = Classifier(rules: rules)
        let scratch = MatchScratch()
        var report = RuleTester.Report(examplesRun: 0, failures: [])
        for rule in rules {
            for (index, example) in rule.examples.enumerated() {
                report.examplesRun += 1
                let own = example.errorClass == rule.errorClass
                if rule.matches(PreparedEntry(example.entry), scratch: scratch) != own {
                    let what =
                        own
                        ? "rule `\(rule.id)` did not match it"
                        : "rule `\(rule.id)` matched it but it must be `\(example.errorClass.rawValue)`"
                    report.failures.append(
                        example.location.diagnostic(
                            "example \(index + 1) fails: \(what)",
                            hint: "the rule's conditions are tested on the example's entry alone"))
                    continue
                }
                let got = whole.rule(for: example.entry)
                if (got?.errorClass ?? .unknown) != example.errorClass {
                    let by = got.map { "rule `\($0.id)` makes it `\($0.errorClass.rawValue)`" } ?? "no rule matches it"
                    report.failures.append(
                        example.location.diagnostic(
                            "example \(index + 1) of `\(rule.id)` must be `\(example.errorClass.rawValue)` but \(by)",
                            hint: "raise this rule's priority or narrow the other rule", severity: .warning))
                }
            }
        }
        return report
    }
}

extension Classifier {
    /// The classifier `batch` uses: the built-in pack (unless `includeBuiltIn` is false), then each
    /// `--rules` folder, later ids overriding earlier ones. Any problem throws every diagnostic (exit 78).
    package static func load(ruleFolders: [String] = [], includeBuiltIn: Bool = true) throws(RuleSetError)
        -> Classifier
    {
        let layers = try RuleSource.layers(includeBuiltIn: includeBuiltIn, ruleFolders: ruleFolders)
        return Classifier(rules: try ClassificationRuleLoader.load(layers: layers))
    }
}

extension ClassificationTester {
    /// Load problems and failing examples of the classification rules in `sources`, leaving out
    /// messages already reported (a YAML syntax error is found by both loaders).
    package static func diagnostics(for sources: [RuleSource], skipping reported: Set<String> = []) -> [Diagnostic] {
        let loaded = ClassificationRuleLoader.load(sources)
        return (loaded.diagnostics + test(loaded.rules).failures).filter { !reported.contains($0.description) }
    }
}
