/// Which rules hit a text and what comes out (`tracejoin rules explain`).
package enum RuleExplainer {
    package struct Explanation: Sendable, Equatable {
        /// The rules that changed the text, in the order they ran, with how many matches each.
        package var hits: [(rule: String, count: Int)]
        /// The text after all rules; nil when a rule drops the record.
        package var result: String?

        package static func == (lhs: Explanation, rhs: Explanation) -> Bool {
            lhs.result == rhs.result && lhs.hits.map(\.rule) == rhs.hits.map(\.rule)
                && lhs.hits.map(\.count) == rhs.hits.map(\.count)
        }
    }

    /// Runs `text` through the engine's rules as a log message, one rule at a time.
    package static func explain(_ text: String, engine: ScrubEngine) -> Explanation {
        var current = text
        var hits: [(rule: String, count: Int)] = []
        for rule in engine.rules where rule.match.keys == nil && rule.applies(to: RecordField.message) {
            var counts: [String: Int] = [:]
            switch engine.apply(rule, to: current, hits: &counts) {
            case .keep: continue
            case .replace(let new): current = new
            case .dropField: current = ""
            case .dropRecord:
                hits.append((rule.id, counts[rule.id] ?? 1))
                return Explanation(hits: hits, result: nil)
            }
            hits.append((rule.id, counts[rule.id] ?? 1))
        }
        return Explanation(hits: hits, result: current)
    }
}
