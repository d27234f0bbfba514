package import TraceJoinCore
import Yams

/// Reads rule files: YAML composed to nodes, then walked, so every problem has a line and column.
///
/// Problems are collected, not thrown: `rules check` shows them all at once. A rule with any
/// problem is left out. Messages name the key and the reason, never the value.
package enum RuleLoader {
    static let ruleKeys = ["id", "description", "priority", "match", "action", "examples"]
    static let matchKeys = ["pattern", "prefilter", "min-digits", "shapes", "validator", "keys", "fields", "ignore-case"]
    static let exampleKeys = ["in", "out", "keep", "key"]

    /// The rules of one file, and what is wrong with it.
    package static func load(_ source: RuleSource) -> (rules: [Rule], diagnostics: [Diagnostic]) {
        var reader = NodeReader(file: source.path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: source.text)
        } catch let error as YamlError {
            return ([], [reader.diagnostic(for: error)])
        } catch {
            return ([], [RuleLocation(file: source.path, line: 1, column: 1).diagnostic("not valid YAML")])
        }
        guard let root else { return ([], []) }  // an empty file holds no rules
        let items: [Node]
        switch root {
        case .sequence(let sequence): items = Array(sequence)
        case .mapping: items = [root]
        default:
            reader.error(at: root, "a rule file holds a list of rules", hint: "start each rule with `- id: …`")
            return ([], reader.diagnostics)
        }
        var rules: [Rule] = []
        // Entries with `class:` are classification rules, with `extract:` extraction rules, with `timezone:` time
        // zone rules (their loaders read those).
        for item in items
        where !ClassificationRuleLoader.isClassificationRule(item) && !ExtractionRuleLoader.isExtractionRule(item)
            && !TimeZoneRuleLoader.isTimeZoneRule(item)
        {
            if let rule = reader.rule(item) { rules.append(rule) }
        }
        return (rules, reader.diagnostics)
    }

    /// The rules of several files, with duplicate ids reported (each file's rules in order).
    package static func load(_ sources: [RuleSource]) -> (rules: [Rule], diagnostics: [Diagnostic]) {
        RuleKindLoader<Rule>.uniqueByID(sources.map(load))
    }
}

/// Walks one file's nodes, collecting diagnostics.
struct NodeReader {
    let file: String
    var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func location(of node: Node) -> RuleLocation {
        RuleLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func error(at node: Node, _ message: String, hint: String? = nil) {
        diagnostics.append(location(of: node).diagnostic(message, hint: hint))
    }

    func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            RuleLocation(file: file, line: mark.line, column: mark.column).diagnostic("not valid YAML: \(problem)")
        default:
            RuleLocation(file: file, line: 1, column: 1).diagnostic("not valid YAML")
        }
    }

    /// The members of a mapping, reporting keys not in `known` (with the nearest known key as a hint).
    mutating func members(_ node: Node, known: [String], what: String) -> [String: (key: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            error(at: node, "\(what) must be a mapping of keys to values")
            return nil
        }
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(at: key, "keys in \(what) must be plain words")
                continue
            }
            if !known.contains(name) {
                let hint =
                    Levenshtein.nearest(to: name, in: known).map { "did you mean `\($0)`?" }
                    ?? "known keys: \(known.joined(separator: ", "))"
                error(at: key, "unknown key `\(name)` in \(what)", hint: hint)
                continue
            }
            result[name] = (key, value)
        }
        return result
    }

    mutating func string(_ node: Node, key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(at: node, "`\(key)` must be a string")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ node: Node, key: String) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            error(at: node, "`\(key)` must be an integer")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, key: String) -> Bool? {
        guard case .scalar = node, let value = node.bool else {
            error(at: node, "`\(key)` must be true or false")
            return nil
        }
        return value
    }

    /// A string or a list of strings.
    mutating func strings(_ node: Node, key: String) -> [String]? {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence):
            var result: [String] = []
            for item in sequence {
                guard let text = string(item, key: key) else { return nil }
                result.append(text)
            }
            return result
        default:
            error(at: node, "`\(key)` must be a string or a list of strings")
            return nil
        }
    }

    mutating func pattern(_ node: Node, key: String, caseInsensitive: Bool) -> PCREPattern? {
        guard let text = string(node, key: key) else { return nil }
        do {
            return try PCREPattern(text, caseInsensitive: caseInsensitive)
        } catch {
            self.error(
                at: node,
                "`\(key)` does not compile: \(error.message) (at character \(error.offset + 1) of the pattern)",
                hint: error.message.contains("parenthesis") ? "escape a literal parenthesis as \\(" : nil)
            return nil
        }
    }
}
