import TraceJoinCore
import Yams

extension NodeReader {
    /// One rule, or nil (with diagnostics) when any part of it is wrong.
    mutating func rule(_ node: Node) -> Rule? {
        let before = diagnostics.count
        guard let fields = members(node, known: RuleLoader.ruleKeys, what: "a rule") else { return nil }
        let location = location(of: node)
        guard let idNode = fields["id"]?.value else {
            error(at: node, "a rule needs an `id`", hint: "for instance `id: pii.email`")
            return nil
        }
        let id = string(idNode, key: "id") ?? ""
        let description = fields["description"].flatMap { string($0.value, key: "description") } ?? ""
        let priority = fields["priority"].flatMap { int($0.value, key: "priority") } ?? 0
        var match: RuleMatch?
        if let matchNode = fields["match"]?.value {
            match = self.match(matchNode)
        } else {
            error(at: node, "rule `\(id)` needs a `match`")
        }
        var action: RuleAction?
        if let actionNode = fields["action"]?.value {
            action = self.action(actionNode)
        } else {
            error(at: node, "rule `\(id)` needs an `action`", hint: "for instance `action: {redact: '<email>'}`")
        }
        let examples = fields["examples"].map { self.examples($0.value) } ?? []
        guard diagnostics.count == before, let match, let action else { return nil }
        return Rule(
            id: id, description: description, priority: priority, match: match, action: action, examples: examples,
            location: location)
    }

    mutating func match(_ node: Node) -> RuleMatch? {
        let before = diagnostics.count
        guard let fields = members(node, known: RuleLoader.matchKeys, what: "`match`") else { return nil }
        // After an unknown key (a misspelt `pattern`), "needs a pattern" would only repeat the same fault.
        let misspelt = diagnostics.count > before
        let ignoreCase = fields["ignore-case"].flatMap { bool($0.value, key: "ignore-case") } ?? false
        var match = RuleMatch()
        if let node = fields["pattern"]?.value {
            match.pattern = pattern(node, key: "pattern", caseInsensitive: ignoreCase)
        }
        if let node = fields["keys"]?.value {
            match.keys = pattern(node, key: "keys", caseInsensitive: true)
        }
        if let node = fields["prefilter"]?.value {
            match.prefilter = strings(node, key: "prefilter") ?? []
            if match.prefilter.contains(where: \.isEmpty) { error(at: node, "`prefilter` strings must not be empty") }
        }
        if let node = fields["fields"]?.value { match.fields = strings(node, key: "fields") ?? [] }
        if let node = fields["min-digits"]?.value, let value = int(node, key: "min-digits") {
            if value < 1 { error(at: node, "`min-digits` must be at least 1") }
            match.minDigits = value
        }
        if let node = fields["shapes"]?.value {
            for text in strings(node, key: "shapes") ?? [] {
                if let shape = DigitShape(text) {
                    match.shapes.append(shape)
                } else {
                    error(
                        at: node, "a shape is ASCII with at least one `#` (any digit) and no letters",
                        hint: "for instance `###-##-####`; literal text goes in `prefilter`")
                }
            }
        }
        if let node = fields["validator"]?.value, let name = string(node, key: "validator") {
            if let validator = Validator(rawValue: name) {
                match.validator = validator
            } else {
                let names = Validator.allCases.map(\.rawValue)
                let hint = Levenshtein.nearest(to: name, in: names).map { "did you mean `\($0)`?" }
                error(
                    at: node, "unknown validator `\(name)`",
                    hint: hint ?? "known validators: \(names.joined(separator: ", "))")
            }
        }
        if fields["pattern"] == nil && fields["keys"] == nil && !misspelt {
            error(at: node, "`match` needs a `pattern` or `keys`")
        }
        if fields["pattern"] == nil,
            fields["validator"] != nil || fields["prefilter"] != nil || fields["min-digits"] != nil
                || fields["shapes"] != nil
        {
            error(at: node, "`validator`, `prefilter`, `min-digits` and `shapes` need a `pattern`")
        }
        return match
    }

    /// `drop-field` / `drop-record` / `truncate-ip` as a word, or a one-key mapping.
    mutating func action(_ node: Node) -> RuleAction? {
        let names = RuleAction.names
        func unknown(_ name: String, at node: Node) {
            let hint = Levenshtein.nearest(to: name, in: names).map { "did you mean `\($0)`?" }
            error(at: node, "unknown action `\(name)`", hint: hint ?? "known actions: \(names.joined(separator: ", "))")
        }
        switch node {
        case .scalar(let scalar):
            switch scalar.string {
            case "drop-field": return .dropField
            case "drop-record": return .dropRecord
            case "truncate-ip": return .truncateIP
            case "redact": return .redact("<redacted>")
            case "hash": return .hash(label: "hash", length: 16)
            default:
                unknown(scalar.string, at: node)
                return nil
            }
        case .mapping(let mapping):
            guard mapping.count == 1, let (keyNode, value) = mapping.first, let name = keyNode.scalar?.string else {
                error(at: node, "`action` names one action", hint: "for instance `action: {redact: '<email>'}`")
                return nil
            }
            switch name {
            case "redact":
                return string(value, key: "redact").map { .redact($0) }
            case "mask":
                guard let options = members(value, known: ["keep"], what: "`mask`") else { return nil }
                let keep = options["keep"].flatMap { int($0.value, key: "keep") } ?? 4
                return .mask(keep: keep)
            case "hash":
                if case .scalar(let scalar) = value, scalar.string.isEmpty || value.null != nil {
                    return .hash(label: "hash", length: 16)
                }
                guard let options = members(value, known: ["label", "length"], what: "`hash`") else { return nil }
                let label = options["label"].flatMap { string($0.value, key: "label") } ?? "hash"
                let length = options["length"].flatMap { int($0.value, key: "length") } ?? 16
                guard (8...64).contains(length) else {
                    error(at: options["length"]!.value, "`length` must be between 8 and 64")
                    return nil
                }
                return .hash(label: label, length: length)
            case "drop-field": return .dropField
            case "drop-record": return .dropRecord
            case "truncate-ip": return .truncateIP
            default:
                unknown(name, at: keyNode)
                return nil
            }
        default:
            error(at: node, "`action` must be an action name or a mapping")
            return nil
        }
    }

    mutating func examples(_ node: Node) -> [RuleExample] {
        guard case .sequence(let sequence) = node else {
            error(at: node, "`examples` must be a list")
            return []
        }
        var result: [RuleExample] = []
        for item in sequence {
            guard let fields = members(item, known: RuleLoader.exampleKeys, what: "an example") else { continue }
            let key = fields["key"].flatMap { string($0.value, key: "key") }
            if let keep = fields["keep"] {
                if fields["in"] != nil || fields["out"] != nil {
                    error(at: item, "an example has either `keep` or `in` and `out`")
                }
                if let text = string(keep.value, key: "keep") {
                    result.append(RuleExample(input: text, output: nil, key: key, location: location(of: keep.value)))
                }
            } else if let input = fields["in"], let output = fields["out"] {
                if let text = string(input.value, key: "in"), let out = string(output.value, key: "out") {
                    result.append(RuleExample(input: text, output: out, key: key, location: location(of: input.value)))
                }
            } else {
                error(at: item, "an example needs `in` and `out`, or `keep`")
            }
        }
        return result
    }
}
