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

    /// The classification rules of one file, and what is wrong with them.
    package static func load(_ source: RuleSource) -> (rules: [ClassificationRule], diagnostics: [Diagnostic]) {
        var reader = NodeReader(file: source.path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: source.text)
        } catch let error as YamlError {
            return ([], [reader.diagnostic(for: error)])
        } catch {
            return ([], [RuleLocation(file: source.path, line: 1, column: 1).diagnostic("not valid YAML")])
        }
        let items: [Node]
        switch root {
        case .sequence(let sequence)?: items = Array(sequence)
        case .mapping?: items = [root!]
        default: return ([], [])  // empty, or reported by RuleLoader
        }
        var rules: [ClassificationRule] = []
        for item in items where isClassificationRule(item) {
            if let rule = reader.classificationRule(item) { rules.append(rule) }
        }
        return (rules, reader.diagnostics)
    }

    /// The rules of several files (one layer), with duplicate ids reported.
    package static func load(_ sources: [RuleSource]) -> (rules: [ClassificationRule], diagnostics: [Diagnostic]) {
        var rules: [ClassificationRule] = []
        var diagnostics: [Diagnostic] = []
        var seen: [String: RuleLocation] = [:]
        for source in sources {
            let loaded = load(source)
            diagnostics += loaded.diagnostics
            for rule in loaded.rules {
                if let first = seen[rule.id] {
                    diagnostics.append(
                        rule.location.diagnostic(
                            "duplicate rule id `\(rule.id)`", hint: "first defined at \(first); ids must be unique"))
                    continue
                }
                seen[rule.id] = rule.location
                rules.append(rule)
            }
        }
        return (rules, diagnostics)
    }

    /// Layers in order (built-in packs, then `--rules` folders); a later rule replaces an earlier one
    /// with the same id. Throws every diagnostic when any is an error.
    package static func load(layers: [[RuleSource]]) throws(RuleSetError) -> [ClassificationRule] {
        var rules: [ClassificationRule] = []
        var diagnostics: [Diagnostic] = []
        for layer in layers {
            let loaded = load(layer)
            diagnostics += loaded.diagnostics
            for rule in loaded.rules {
                if let index = rules.firstIndex(where: { $0.id == rule.id }) {
                    rules[index] = rule
                } else {
                    rules.append(rule)
                }
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw RuleSetError(diagnostics: diagnostics) }
        return rules
    }
}
