import TraceJoinCore
import Yams

/// A rule that rule files identify by id, with the place it was defined.
package protocol IdentifiedRule: Sendable {
    var id: String { get }
    var location: RuleLocation { get }
}

/// The YAML walk, duplicate-id check and layering shared by the kinds of rule that live beside the
/// scrubbing rules in the same files (classification, extraction): each kind says which entries are
/// its own and how to read one.
struct RuleKindLoader<Rule: IdentifiedRule> {
    /// True for an entry of this kind.
    var isOwnEntry: (Node) -> Bool
    /// Reads one entry, recording problems in the reader; nil when it cannot be read.
    var read: (inout NodeReader, Node) -> Rule?

    /// The rules of one file, and what is wrong with them.
    func load(_ source: RuleSource) -> (rules: [Rule], diagnostics: [Diagnostic]) {
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
        var rules: [Rule] = []
        for item in items where isOwnEntry(item) {
            if let rule = read(&reader, item) { rules.append(rule) }
        }
        return (rules, reader.diagnostics)
    }

    /// The rules of several files (one layer) in file order, with duplicate ids reported.
    func load(_ sources: [RuleSource]) -> (rules: [Rule], diagnostics: [Diagnostic]) {
        Self.uniqueByID(sources.map(load))
    }

    /// The rules of several files in order; a second rule with an id already seen is reported, not kept.
    static func uniqueByID(_ files: [(rules: [Rule], diagnostics: [Diagnostic])]) -> (
        rules: [Rule], diagnostics: [Diagnostic]
    ) {
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        var seen: [String: RuleLocation] = [:]
        for loaded in files {
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

    /// Layers in order (built-in packs, then `--rules` folders); a later rule replaces an earlier one with
    /// the same id in its place, new ones come after. Throws every diagnostic when any is an error.
    func load(layers: [[RuleSource]]) throws(RuleSetError) -> [Rule] {
        try Self.layered(layers.map(load))
    }

    /// Loaded layers in order: a later rule replaces an earlier one with the same id in its place, new ones
    /// come after. Throws every diagnostic when any is an error.
    static func layered(_ layers: [(rules: [Rule], diagnostics: [Diagnostic])]) throws(RuleSetError) -> [Rule] {
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        for loaded in layers {
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

extension RuleSource {
    /// The layers `--rules` options name: the built-in packs (unless `includeBuiltIn` is false), then each
    /// folder's files. Every file or folder that cannot be read is named in the error, with why.
    static func layers(includeBuiltIn: Bool, ruleFolders: [String]) throws(RuleSetError) -> [[RuleSource]] {
        var layers: [[RuleSource]] = includeBuiltIn ? [RuleSource.builtIn] : []
        var problems: [Diagnostic] = []
        for folder in ruleFolders {
            do {
                layers.append(try RuleSource.files(in: folder))
            } catch {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw RuleSetError(diagnostics: problems) }
        return layers
    }
}
