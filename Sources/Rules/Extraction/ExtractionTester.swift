package import TraceJoinCore

/// Runs the examples of extraction rules (`tracejoin rules test` and `rules check`).
///
/// Each example is tried with its rule alone: an `in` line must yield the example's trace (and its span
/// and service, when the example names them); a `keep` line must yield no trace. The finder is the
/// decoder's own scanner, handed in by Pipeline. Messages name the example and the rule, never the line.
package enum ExtractionTester {
    package static func test(_ rules: [ExtractionRule], finder: TraceContextFinder) -> RuleTester.Report {
        var report = RuleTester.Report(examplesRun: 0, failures: [])
        for rule in rules {
            for (index, example) in rule.examples.enumerated() {
                report.examplesRun += 1
                guard let (problem, hint) = problem(of: example, rule: rule, finder: finder) else { continue }
                report.failures.append(
                    example.location.diagnostic("example \(index + 1) fails: \(problem)", hint: hint))
            }
        }
        return report
    }

    private static func problem(of example: ExtractionExample, rule: ExtractionRule, finder: TraceContextFinder)
        -> (String, String)?
    {
        let found = finder(example.line, [rule])
        guard let expected = example.trace else {
            if found?.trace == nil { return nil }
            return (
                "must yield no trace but rule `\(rule.id)` found one",
                "choose a `trace-key` that does not occur before IDs that are not traces"
            )
        }
        let keyHint = "the key must be followed by the ID (after optional spaces and one quote)"
        guard let got = found?.trace else { return ("rule `\(rule.id)` found no trace in it", keyHint) }
        if got != expected {
            return ("rule `\(rule.id)` found a different trace ID", "the example's `trace` is written as in the line")
        }
        if let span = example.spanID, found?.spanID != span {
            if found?.spanID == nil { return ("rule `\(rule.id)` found no span ID in it", "check `span-key`") }
            return ("rule `\(rule.id)` found a different span ID", "the example's `span` is written as in the line")
        }
        if let service = example.service, found?.service != service {
            return ("rule `\(rule.id)` found a different service", "check `service-key`")
        }
        return nil
    }

    /// Load problems and (given a finder) failing examples of the extraction rules in `sources`, leaving out
    /// messages already reported (a YAML syntax error is found by every loader). Without a finder the
    /// examples are not run: Rules cannot see the decoder's scanner.
    package static func diagnostics(
        for sources: [RuleSource], finder: TraceContextFinder?, skipping reported: Set<String> = []
    ) -> [Diagnostic] {
        let loaded = ExtractionRuleLoader.load(sources)
        let failures = finder.map { test(loaded.rules, finder: $0).failures } ?? []
        return (loaded.diagnostics + failures).filter { !reported.contains($0.description) }
    }

}
