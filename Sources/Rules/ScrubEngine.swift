import TraceJoinCore

/// Applies rules to one piece of text or one attribute value; the record walk is `Scrubber`'s.
///
/// Rules run in priority order, each on the output of the one before, so a URL's password is
/// gone before the email rule looks at the user name.
///
/// Built for the hot path (every message and string attribute of every record): the rules are
/// compiled once into `CompiledRule`s with a `RuleGate` each; one pass over a text (`TextSummary`)
/// lets most rules be skipped without calling PCRE2; a text no rule changes is returned as is;
/// key-rule decisions are cached per attribute key (`KeyDecisionCache`). A final class, so passing
/// the engine around retains one reference rather than copying its fields. See docs/rules.md.
package final class ScrubEngine: Sendable {
    /// What scrubbing one value decided.
    package enum Outcome: Equatable {
        case keep
        case replace(String)
        case dropField
        case dropRecord
    }

    package let rules: [Rule]
    /// What replaces a whole value that a pattern could not finish scanning.
    package static let unscannedText = "<unscanned>"
    /// Rules with a pattern and no `keys`, in order, with their gates (same indices).
    let patternRules: [CompiledRule]
    let gates: [RuleGate]
    /// The gates' literal byte sets (`RuleGate.literals` indexes here).
    let literalSets: [ByteSet]
    /// Texts shorter than this cannot match any pattern rule.
    let minimumTextLength: Int
    /// Whether some pattern rule has a `fields` condition (else the field name is never needed).
    let hasFieldConditions: Bool
    let keyRules: [CompiledRule]
    let keyDecisions = KeyDecisionCache()
    private let hashKey: [UInt8]

    package init(rules: [Rule], hashKey: [UInt8]) {
        let ordered = rules.sorted { ($0.priority, $1.id) > ($1.priority, $0.id) }
        self.rules = ordered
        let withPattern = ordered.filter { $0.match.pattern != nil && $0.match.keys == nil }
        patternRules = withPattern.map(CompiledRule.init)
        var literalSets: [ByteSet] = []
        gates = withPattern.map { RuleGate($0, literalSets: &literalSets) }
        self.literalSets = literalSets
        minimumTextLength = gates.map(\.minimumLength).min() ?? Int.max
        hasFieldConditions = patternRules.contains { !$0.appliesEverywhere }
        keyRules = ordered.filter { $0.match.keys != nil }.map(CompiledRule.init)
        self.hashKey = hashKey
    }

    // MARK: - Text

    /// Runs every pattern rule that applies to `field` over `text`; counts hits by rule id.
    package func scrubText(_ text: String, field: String, hits: inout [String: Int]) -> Outcome {
        scrubText(text, path: "", key: field, hits: &hits)
    }

    /// `scrubText(_:field:hits:)` for the field `path.key` (just `key` when `path` is empty),
    /// which is only spelled out when a rule has a `fields` condition.
    func scrubText(_ text: String, path: String, key: String, hits: inout [String: Int]) -> Outcome {
        if text.utf8.count < minimumTextLength { return .keep }
        var current = text
        var summary = current.withUTF8 { TextSummary($0) }
        var changed = false
        var scratch: MatchScratch?
        var field: String?
        for index in gates.indices where gates[index].admits(summary, literalSets: literalSets) {
            let rule = patternRules[index]
            if hasFieldConditions, !rule.appliesEverywhere {
                let name = field ?? (path.isEmpty ? key : path + "." + key)
                field = name
                if !rule.applies(to: name) { continue }
            }
            switch apply(rule, to: &current, hits: &hits, scratch: &scratch) {
            case .keep: continue
            case .replace(let new):
                current = new
                changed = true
                summary = current.withUTF8 { TextSummary($0) }
            case .dropField: return .dropField
            case .dropRecord: return .dropRecord
            }
        }
        return changed ? .replace(current) : .keep
    }

    /// One rule over `text`: its gate, prefilter, pattern, then validator, then action on each match.
    package func apply(_ rule: Rule, to text: String, hits: inout [String: Int]) -> Outcome {
        apply(CompiledRule(rule), to: text, hits: &hits)
    }

    /// `apply(_:to:hits:)` for a compiled rule, checking its own gate first.
    func apply(_ rule: CompiledRule, to text: String, hits: inout [String: Int]) -> Outcome {
        var copy = text
        let summary = copy.withUTF8 { TextSummary($0) }
        guard rule.pattern != nil, rule.gate.admits(summary, literalSets: rule.literalSets) else { return .keep }
        var scratch: MatchScratch?
        return apply(rule, to: &copy, hits: &hits, scratch: &scratch)
    }

    /// A rule whose gate admitted `text`: prefilter, pattern, validator, action.
    private func apply(
        _ rule: CompiledRule, to text: inout String, hits: inout [String: Int], scratch: inout MatchScratch?
    ) -> Outcome {
        guard let pattern = rule.pattern else { return .keep }
        let matchScratch = scratch ?? MatchScratch()
        scratch = matchScratch
        return text.withUTF8 { bytes -> Outcome in
            if let scanner = rule.prefilter, !scanner.firstMatch(in: bytes, scratch: matchScratch) {
                return .keep
            }
            guard let matches = pattern.matches(in: bytes, scratch: matchScratch) else {
                // PCRE2 hit its limits: the text may hold what the rule looks for, so none of it is kept.
                hits[rule.id, default: 0] += 1
                return .replace(Self.unscannedText)
            }
            if matches.isEmpty { return .keep }
            var output: [UInt8] = []
            var last = 0
            var count = 0
            for match in matches {
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[match.value]), as: UTF8.self)
                if let validator = rule.validator, !validator.accepts(value[...]) { continue }
                guard let replacement = replacement(for: value, action: rule.action) else {
                    hits[rule.id, default: 0] += 1
                    return rule.action == .dropRecord ? .dropRecord : .dropField
                }
                if replacement == value { continue }
                count += 1
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[last..<match.value.lowerBound]))
                output.append(contentsOf: replacement.utf8)
                last = match.value.upperBound
            }
            if count == 0 { return .keep }
            hits[rule.id, default: 0] += count
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[last...]))
            return .replace(String(decoding: output, as: UTF8.self))
        }
    }

    /// The text an action puts in place of `value`; nil for the drop actions.
    package func replacement(for value: String, action: RuleAction) -> String? {
        switch action {
        case .redact(let text): return text
        case .mask(let keep):
            var remaining = value.reduce(0) { $0 + ($1.isLetter || $1.isNumber ? 1 : 0) }
            return String(
                value.map { character in
                    guard character.isLetter || character.isNumber else { return character }
                    remaining -= 1
                    return remaining < keep ? character : "*"
                })
        case .hash(let label, let length):
            let digest = SHA256.hex(SHA256.hmac(key: hashKey, message: value.utf8))
            return "<\(label):\(digest.prefix(length))>"
        case .truncateIP:
            return IPTruncation.truncate(value) ?? value
        case .dropField, .dropRecord:
            return nil
        }
    }
}

extension Rule {
    /// Whether this rule's `fields` condition admits `field` (an attribute's dotted key or a record field name).
    func applies(to field: String) -> Bool {
        match.fields.isEmpty || match.fields.contains(field)
            || (match.fields.contains("attributes") && !RecordField.all.contains(field))
    }
}

/// Record fields that are not attributes, as `fields:` names them.
package enum RecordField {
    package static let message = "message"
    package static let name = "name"
    package static let status = "status"
    package static let raw = "raw"
    static let all: Set<String> = [message, name, status, raw]
}
