package import TraceJoinCore

/// Runs the examples inside rule files (`tracejoin rules test`): each `in` must become its `out`,
/// each `keep` must come out unchanged, with the rule alone and with the whole set.
///
/// Failures say which example and which rule, never the texts (a user may paste real data into an example).
package enum RuleTester {
    /// The outcome of testing a set: how many examples ran, and what failed.
    package struct Report: Sendable {
        package var examplesRun: Int
        package var failures: [Diagnostic]
        package var passed: Bool { failures.isEmpty }
    }

    /// Tests each rule's examples against that rule alone (so a rule is correct by itself), then `keep`
    /// examples against the whole set too (so no other rule eats what this rule says must stay).
    package static func test(_ rules: [Rule], hashKey: [UInt8] = HashKey.exampleKey) -> Report {
        let whole = ScrubEngine(rules: rules, hashKey: hashKey)
        var report = Report(examplesRun: 0, failures: [])
        for rule in rules {
            let alone = ScrubEngine(rules: [rule], hashKey: hashKey)
            for (index, example) in rule.examples.enumerated() {
                report.examplesRun += 1
                let expected = example.output ?? example.input
                let got = run(alone, example)
                if got != expected {
                    let what =
                        example.output == nil
                        ? "must stay unchanged but rule `\(rule.id)` changed it"
                        : got == example.input
                            ? "rule `\(rule.id)` did not match it"
                            : "rule `\(rule.id)` gave a different result"
                    report.failures.append(
                        example.location.diagnostic(
                            "example \(index + 1) fails: \(what)",
                            hint: "run `tracejoin rules explain` on the example text to see each rule's result"))
                    continue
                }
                if example.output == nil, example.key == nil {
                    let other = run(whole, example)
                    if other != example.input {
                        let culprit = RuleExplainer.explain(example.input, engine: whole).hits.first?.rule ?? "?"
                        report.failures.append(
                            example.location.diagnostic(
                                "example \(index + 1) must stay unchanged but rule `\(culprit)` changes it",
                                severity: .warning))
                    }
                }
            }
        }
        return report
    }

    /// The example's input after the engine: as a message, or as the value of its `key`.
    static func run(_ engine: ScrubEngine, _ example: RuleExample) -> String? {
        var hits: [String: Int] = [:]
        if let key = example.key {
            let (attributes, drop) = engine.scrubAttributes([Attribute(key, .string(example.input))], hits: &hits)
            if drop { return nil }
            return attributes.first.map { $0.value.text } ?? ""
        }
        switch engine.scrubText(example.input, field: RecordField.message, hits: &hits) {
        case .keep: return example.input
        case .replace(let text): return text
        case .dropField: return ""
        case .dropRecord: return nil
        }
    }
}
