import TraceJoinCore
import Yams

extension NodeReader {
    static let classificationRuleKeys = [
        "id", "description", "class", "priority", "match", "when", "fingerprint", "examples",
    ]
    static let classificationMatchKeys = ["pattern", "prefilter", "fields", "ignore-case"]
    static let classificationExampleKeys = [
        "kind", "service", "name", "message", "status", "severity", "attributes", "class",
    ]

    /// One classification rule, or nil (with diagnostics) when any part of it is wrong.
    mutating func classificationRule(_ node: Node) -> ClassificationRule? {
        let before = diagnostics.count
        guard let fields = members(node, known: Self.classificationRuleKeys, what: "a classification rule") else {
            return nil
        }
        guard let idNode = fields["id"]?.value else {
            error(at: node, "a rule needs an `id`", hint: "for instance `id: classify.go-deadline`")
            return nil
        }
        let id = string(idNode, key: "id") ?? ""
        let description = fields["description"].flatMap { string($0.value, key: "description") } ?? ""
        let priority = fields["priority"].flatMap { int($0.value, key: "priority") } ?? 0
        var errorClass: ErrorClass?
        if let classNode = fields["class"]?.value {
            errorClass = self.errorClass(classNode, key: "class")
        }
        let text = fields["match"].flatMap { textCondition($0.value) }
        let conditions = fields["when"].map { self.conditions($0.value) } ?? []
        if fields["match"] == nil && fields["when"] == nil {
            error(
                at: node, "rule `\(id)` needs a `match` or a `when`",
                hint: "for instance `match: {pattern: 'ETIMEDOUT'}`")
        }
        let fingerprint = fields["fingerprint"].flatMap { self.fingerprint($0.value) }
        let examples = fields["examples"].map { classificationExamples($0.value) } ?? []
        guard diagnostics.count == before, let errorClass else { return nil }
        return ClassificationRule(
            id: id, description: description, errorClass: errorClass, priority: priority, conditions: conditions,
            text: text, fingerprint: fingerprint, examples: examples, location: location(of: node))
    }

    mutating func errorClass(_ node: Node, key: String) -> ErrorClass? {
        guard let name = string(node, key: key) else { return nil }
        if let value = ErrorClass(rawValue: name) { return value }
        let hint = Levenshtein.nearest(to: name, in: ErrorClass.names).map { "did you mean `\($0)`?" }
        error(at: node, "unknown class `\(name)`", hint: hint ?? "classes: \(ErrorClass.names.joined(separator: ", "))")
        return nil
    }

    mutating func textCondition(_ node: Node) -> TextCondition? {
        guard let fields = members(node, known: Self.classificationMatchKeys, what: "`match`") else { return nil }
        let ignoreCase = fields["ignore-case"].flatMap { bool($0.value, key: "ignore-case") } ?? false
        guard let patternNode = fields["pattern"]?.value else {
            error(at: node, "`match` needs a `pattern`")
            return nil
        }
        guard let pattern = pattern(patternNode, key: "pattern", caseInsensitive: ignoreCase) else { return nil }
        var prefilter: PCREPattern?
        if let node = fields["prefilter"]?.value, let literals = strings(node, key: "prefilter") {
            if literals.contains(where: \.isEmpty) { error(at: node, "`prefilter` strings must not be empty") }
            prefilter = RuleMatch.scanner(for: literals)
        }
        let names = fields["fields"].flatMap { strings($0.value, key: "fields") } ?? []
        return TextCondition(pattern: pattern, prefilter: prefilter, fields: names)
    }

    /// `when:` — a mapping of field name to a value, a list of values, `{pattern: …}` or `{present: bool}`.
    mutating func conditions(_ node: Node) -> [FieldCondition] {
        guard case .mapping(let mapping) = node else {
            error(at: node, "`when` must be a mapping of field names to values")
            return []
        }
        var result: [FieldCondition] = []
        for (keyNode, value) in mapping {
            guard let field = keyNode.scalar?.string, !field.isEmpty else {
                error(at: keyNode, "keys in `when` must be field names")
                continue
            }
            if let test = fieldTest(value, field: field) { result.append(FieldCondition(field: field, test: test)) }
        }
        return result
    }

    private mutating func fieldTest(_ node: Node, field: String) -> FieldCondition.Test? {
        switch node {
        case .scalar, .sequence:
            guard let values = strings(node, key: field) else { return nil }
            var options: [String] = []
            for value in values {
                if field == "rpc.grpc.status_code", let code = EntryField.grpcCodes[value.uppercased()] {
                    options.append(String(code))
                } else if field == "rpc.grpc.status_code", Int(value) == nil {
                    let names = EntryField.grpcCodes.keys.map { $0.lowercased() }.sorted()
                    let hint = Levenshtein.nearest(to: value, in: names)
                    error(
                        at: node, "unknown gRPC status `\(value)`",
                        hint: hint.map { "did you mean `\($0.uppercased())`?" } ?? "use a code name or number")
                } else {
                    options.append(value.lowercased())
                }
            }
            return .anyOf(options)
        case .mapping:
            guard let fields = members(node, known: ["pattern", "ignore-case", "present"], what: "`\(field)`") else {
                return nil
            }
            if let present = fields["present"] {
                return bool(present.value, key: "present").map { .present($0) }
            }
            guard let patternNode = fields["pattern"]?.value else {
                error(at: node, "`\(field)` needs a value, a list, `pattern` or `present`")
                return nil
            }
            let ignoreCase = fields["ignore-case"].flatMap { bool($0.value, key: "ignore-case") } ?? false
            return pattern(patternNode, key: "pattern", caseInsensitive: ignoreCase).map { .pattern($0) }
        default:
            error(at: node, "`\(field)` must be a value, a list or a mapping")
            return nil
        }
    }

    mutating func fingerprint(_ node: Node) -> [String]? {
        guard let parts = strings(node, key: "fingerprint") else { return nil }
        if parts.isEmpty { error(at: node, "`fingerprint` needs at least one part") }
        for part in parts {
            for variable in Fingerprint.variables(in: part) where !Fingerprint.knownVariables.contains(variable) {
                let hint = Levenshtein.nearest(to: variable, in: Fingerprint.knownVariables).map {
                    "did you mean `\($0)`?"
                }
                error(
                    at: node, "unknown fingerprint variable `\(variable)`",
                    hint: hint ?? "variables: \(Fingerprint.knownVariables.joined(separator: ", "))")
            }
        }
        return parts
    }

    mutating func classificationExamples(_ node: Node) -> [ClassificationExample] {
        guard case .sequence(let sequence) = node else {
            error(at: node, "`examples` must be a list")
            return []
        }
        var result: [ClassificationExample] = []
        for item in sequence {
            guard let fields = members(item, known: Self.classificationExampleKeys, what: "an example") else {
                continue
            }
            guard let classNode = fields["class"]?.value else {
                error(at: item, "an example needs the `class` it must get", hint: "for instance `class: timeout`")
                continue
            }
            guard let errorClass = self.errorClass(classNode, key: "class") else { continue }
            var kind = TimelineEntryKind.span
            if let node = fields["kind"]?.value, let name = string(node, key: "kind") {
                if let value = TimelineEntryKind(rawValue: name) {
                    kind = value
                } else {
                    error(at: node, "`kind` must be span, log or event")
                }
            }
            var severity: LogSeverity? = kind == .log ? .error : nil
            if let node = fields["severity"]?.value, let name = string(node, key: "severity") {
                if let value = LogSeverity.allCases.first(where: { $0.name == name.lowercased() }) {
                    severity = value
                } else {
                    error(at: node, "unknown severity `\(name)`", hint: "use trace, debug, info, warn, error or fatal")
                }
            }
            var attributes: [Attribute] = []
            if let node = fields["attributes"]?.value {
                if case .mapping(let mapping) = node {
                    for (key, value) in mapping {
                        guard let name = key.scalar?.string, let text = value.scalar?.string else {
                            error(at: key, "example attributes map names to plain values")
                            continue
                        }
                        attributes.append(Attribute(name, Int64(text).map { .int($0) } ?? .string(text)))
                    }
                } else {
                    error(at: node, "`attributes` must be a mapping")
                }
            }
            let status = fields["status"].flatMap { string($0.value, key: "status") } ?? "error"
            let entry = TimelineEntry(
                kind: kind, time: 0, service: fields["service"].flatMap { string($0.value, key: "service") } ?? "svc",
                spanID: nil, parentSpanID: nil, depth: 0,
                name: fields["name"].flatMap { string($0.value, key: "name") } ?? "operation", durationNanos: nil,
                severity: severity, message: fields["message"].flatMap { string($0.value, key: "message") } ?? "",
                status: status, isError: status == "error", attributes: attributes)
            result.append(ClassificationExample(entry: entry, errorClass: errorClass, location: location(of: item)))
        }
        return result
    }
}
