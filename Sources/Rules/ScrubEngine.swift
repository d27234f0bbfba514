package import TraceJoinCore

/// Applies rules to one piece of text or one attribute value; the record walk is `Scrubber`'s.
///
/// Rules run in priority order, each on the output of the one before, so a URL's password is
/// gone before the email rule looks at the user name.
package struct ScrubEngine: Sendable {
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
    private let patternRules: [Rule]
    private let keyRules: [Rule]
    private let hashKey: [UInt8]
    package init(rules: [Rule], hashKey: [UInt8]) {
        let ordered = rules.sorted { ($0.priority, $1.id) > ($1.priority, $0.id) }
        self.rules = ordered
        patternRules = ordered.filter { $0.match.pattern != nil && $0.match.keys == nil }
        keyRules = ordered.filter { $0.match.keys != nil }
        self.hashKey = hashKey
    }

    // MARK: - Text

    /// Runs every pattern rule that applies to `field` over `text`; counts hits by rule id.
    package func scrubText(_ text: String, field: String, hits: inout [String: Int]) -> Outcome {
        var current = text
        var changed = false
        let scratch = MatchScratch()
        var digitRun: Int?  // computed once per version of the text, for every `min-digits` rule
        for rule in patternRules where rule.applies(to: field) {
            switch apply(rule, to: current, hits: &hits, scratch: scratch, digitRun: &digitRun) {
            case .keep: continue
            case .replace(let new):
                current = new
                changed = true
                digitRun = nil
            case .dropField: return .dropField
            case .dropRecord: return .dropRecord
            }
        }
        return changed ? .replace(current) : .keep
    }

    /// One rule over `text`: its pattern, then validator, then action on each match.
    package func apply(_ rule: Rule, to text: String, hits: inout [String: Int]) -> Outcome {
        var digitRun: Int?
        return apply(rule, to: text, hits: &hits, scratch: MatchScratch(), digitRun: &digitRun)
    }

    func apply(
        _ rule: Rule, to text: String, hits: inout [String: Int], scratch: MatchScratch, digitRun: inout Int?
    ) -> Outcome {
        guard let pattern = rule.match.pattern, text.utf8.count > 0 else { return .keep }
        var copy = text
        return copy.withUTF8 { bytes -> Outcome in
            if let minDigits = rule.match.minDigits {
                let longest = digitRun ?? DigitRun.longest(in: bytes)
                digitRun = longest
                if longest < minDigits { return .keep }
            }
            if let scanner = rule.match.prefilterScanner, !scanner.firstMatch(in: bytes, scratch: scratch) {
                return .keep
            }
            guard let matches = pattern.matches(in: bytes, scratch: scratch) else {
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
                if let validator = rule.match.validator, !validator.accepts(value[...]) { continue }
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

    // MARK: - Attributes

    /// The scrubbed attribute list; nil-valued outcomes remove the attribute.
    package func scrubAttributes(_ attributes: [Attribute], path: String = "", hits: inout [String: Int]) -> (
        [Attribute], dropRecord: Bool
    ) {
        var result: [Attribute] = []
        result.reserveCapacity(attributes.count)
        for attribute in attributes {
            let fullKey = path.isEmpty ? attribute.key : path + "." + attribute.key
            switch scrubValue(attribute.value, key: attribute.key, fullKey: fullKey, hits: &hits) {
            case .value(let value): result.append(Attribute(attribute.key, value))
            case .dropField: continue
            case .dropRecord: return (result, true)
            }
        }
        return (result, false)
    }

    enum ValueOutcome {
        case value(AttributeValue)
        case dropField
        case dropRecord
    }

    func scrubValue(_ value: AttributeValue, key: String, fullKey: String, hits: inout [String: Int]) -> ValueOutcome {
        if ProtectedKeys.contains(key) { return .value(value) }
        let normalized = KeyNormalizer.normalize(key)
        for rule in keyRules where rule.match.keys!.matches(normalized) {
            if rule.match.pattern != nil {
                guard case .string(let text) = value else { continue }
                switch apply(rule, to: text, hits: &hits) {
                case .keep: continue
                case .replace(let new): return .value(.string(new))
                case .dropField: return .dropField
                case .dropRecord: return .dropRecord
                }
            }
            if case .null = value { return .value(value) }
            hits[rule.id, default: 0] += 1
            guard let replacement = replacement(for: value.text, action: rule.action) else {
                return rule.action == .dropRecord ? .dropRecord : .dropField
            }
            return .value(.string(replacement))
        }
        switch value {
        case .string(let text):
            switch scrubText(text, field: fullKey, hits: &hits) {
            case .keep: return .value(value)
            case .replace(let new): return .value(.string(new))
            case .dropField: return .dropField
            case .dropRecord: return .dropRecord
            }
        case .keyValueList(let members):
            let (scrubbed, drop) = scrubAttributes(members, path: fullKey, hits: &hits)
            return drop ? .dropRecord : .value(.keyValueList(scrubbed))
        case .array(let elements):
            var result: [AttributeValue] = []
            for element in elements {
                switch scrubValue(element, key: key, fullKey: fullKey, hits: &hits) {
                case .value(let value): result.append(value)
                case .dropField: continue
                case .dropRecord: return .dropRecord
                }
            }
            return .value(.array(result))
        case .bool, .int, .double, .bytes, .null:
            return .value(value)
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
