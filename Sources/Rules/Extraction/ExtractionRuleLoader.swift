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

    /// The extraction rules of one file, and what is wrong with them.
    package static func load(_ source: RuleSource) -> (rules: [ExtractionRule], diagnostics: [Diagnostic]) {
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
        var rules: [ExtractionRule] = []
        for item in items where isExtractionRule(item) {
            if let rule = reader.extractionRule(item) { rules.append(rule) }
        }
        return (rules, reader.diagnostics)
    }

    /// The rules of several files (one layer) in file order, with duplicate ids reported.
    package static func load(_ sources: [RuleSource]) -> (rules: [ExtractionRule], diagnostics: [Diagnostic]) {
        var rules: [ExtractionRule] = []
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

    /// Layers in order (built-in pack, then `--rules` folders); a later rule replaces an earlier one with
    /// the same id in its place, new ones are tried after. Throws every diagnostic when any is an error.
    package static func load(layers: [[RuleSource]]) throws(RuleSetError) -> [ExtractionRule] {
        var rules: [ExtractionRule] = []
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

    /// The extraction rules in force: the built-in pack (unless `includeBuiltIn` is false), then each
    /// `--rules` folder. Any problem throws every diagnostic (the CLI exits 78).
    package static func load(ruleFolders: [String] = [], includeBuiltIn: Bool = true) throws(RuleSetError)
        -> [ExtractionRule]
    {
        var layers: [[RuleSource]] = includeBuiltIn ? [RuleSource.builtIn] : []
        do {
            for folder in ruleFolders { layers.append(try RuleSource.files(in: folder)) }
        } catch let diagnostic as Diagnostic {
            throw RuleSetError(diagnostics: [diagnostic])
        } catch {
            throw RuleSetError(diagnostics: [
                Diagnostic(
                    location: InputLocation(source: ruleFolders.joined(separator: ", ")),
                    message: "rules cannot be read")
            ])
        }
        return try load(layers: layers)
    }
}
