package import TraceJoinCore

/// One rule from `Rules/classify/*.yaml`: conditions on a timeline entry and the class they mean.
///
/// A rule file entry is a classification rule when it has a `class:` key; everything else in the
/// same files is a scrubbing rule (`Rule`). See docs/rules.md, "Classification rules".
package struct ClassificationRule: IdentifiedRule {
    package var id: String
    package var description: String
    package var errorClass: ErrorClass
    /// Higher is tried first; ties in id order. Below `Classifier.specificPriority` a rule is generic
    /// (a bare status code) and evidence elsewhere in the trace may overrule it.
    package var priority: Int
    /// Every condition must hold.
    package var conditions: [FieldCondition]
    /// A pattern searched in the entry's texts (or the named fields); nil when only `when` decides.
    package var text: TextCondition?
    /// Sentry-style fingerprint parts; nil means the default (service, class, normalised message).
    package var fingerprint: [String]?
    package var examples: [ClassificationExample]
    package var location: RuleLocation

    package init(
        id: String, description: String = "", errorClass: ErrorClass, priority: Int = 0,
        conditions: [FieldCondition] = [], text: TextCondition? = nil, fingerprint: [String]? = nil,
        examples: [ClassificationExample] = [], location: RuleLocation
    ) {
        self.id = id
        self.description = description
        self.errorClass = errorClass
        self.priority = priority
        self.conditions = conditions
        self.text = text
        self.fingerprint = fingerprint
        self.examples = examples
        self.location = location
    }

    /// Whether the entry satisfies every condition of the rule.
    func matches(_ entry: PreparedEntry, scratch: MatchScratch) -> Bool {
        for condition in conditions where !condition.holds(for: entry.entry, scratch: scratch) { return false }
        if let text, !text.holds(for: entry, scratch: scratch) { return false }
        return true
    }

    /// The rule's behaviour as text, fed to the classifier's digest.
    package var canonicalText: String {
        var out = "id=\(id)\nclass=\(errorClass.rawValue)\npriority=\(priority)\n"
        for condition in conditions { out += "when=\(condition.canonicalText)\n" }
        if let text {
            out += "pattern=\(text.pattern.source)\nfields=\(text.fields.joined(separator: "\u{1F}"))\n"
        }
        if let fingerprint { out += "fingerprint=\(fingerprint.joined(separator: "\u{1F}"))\n" }
        return out
    }
}

/// `match:` of a classification rule: a PCRE2 pattern searched in an entry's texts.
package struct TextCondition: Sendable {
    package var pattern: PCREPattern
    /// Literals (case-insensitive); the pattern runs only on text holding one.
    package var prefilter: PCREPattern?
    /// Field names (`EntryField`); empty means the entry's usual texts (`EntryField.defaultTextFields`).
    package var fields: [String]

    func holds(for prepared: PreparedEntry, scratch: MatchScratch) -> Bool {
        if fields.isEmpty {
            // The usual texts, gathered once per entry.
            return prepared.defaultText.withUnsafeBufferPointer { bytes in
                if let prefilter, !prefilter.firstMatch(in: bytes, scratch: scratch) { return false }
                return pattern.firstMatch(in: bytes, scratch: scratch)
            }
        }
        for field in fields {
            guard var value = EntryField.value(field, in: prepared.entry), !value.isEmpty else { continue }
            let hit = value.withUTF8 { bytes in
                if let prefilter, !prefilter.firstMatch(in: bytes, scratch: scratch) { return false }
                return pattern.firstMatch(in: bytes, scratch: scratch)
            }
            if hit { return true }
        }
        return false
    }
}

/// One `when:` entry: a field and the values it may have.
package struct FieldCondition: Sendable {
    package enum Test: Sendable {
        /// Any of these (case-insensitive; `5xx` matches any three-digit value starting with 5).
        case anyOf([String])
        case pattern(PCREPattern)
        /// The field is present (true) or absent (false).
        case present(Bool)
    }

    package var field: String
    package var test: Test

    func holds(for entry: TimelineEntry, scratch: MatchScratch) -> Bool {
        let value = EntryField.value(field, in: entry)
        switch test {
        case .present(let wanted): return (value != nil && value != "") == wanted
        case .anyOf(let options):
            guard let value else { return false }
            let lowered = value.lowercased()
            return options.contains { option in
                if option == lowered { return true }
                if option.count == 3, option.hasSuffix("xx"), lowered.count == 3, lowered.allSatisfy(\.isNumber) {
                    return lowered.first == option.first
                }
                return false
            }
        case .pattern(let pattern):
            guard var value else { return false }
            return value.withUTF8 { pattern.firstMatch(in: $0, scratch: scratch) }
        }
    }

    var canonicalText: String {
        switch test {
        case .anyOf(let options): "\(field)=\(options.joined(separator: "|"))"
        case .pattern(let pattern): "\(field)~\(pattern.source)"
        case .present(let wanted): "\(field)?\(wanted)"
        }
    }
}

/// A classification rule's example: a one-entry trace and the class the whole rule set must give it.
///
/// When `errorClass` is the rule's own class, the rule alone must match the entry; otherwise the rule
/// alone must not (a negative example: text that looks similar but is something else).
package struct ClassificationExample: Sendable {
    package var entry: TimelineEntry
    package var errorClass: ErrorClass
    package var location: RuleLocation

    package init(entry: TimelineEntry, errorClass: ErrorClass, location: RuleLocation) {
        self.entry = entry
        self.errorClass = errorClass
        self.location = location
    }
}

/// An entry with the texts rules search gathered once, so each rule does not look them up again.
struct PreparedEntry {
    var entry: TimelineEntry
    /// `EntryField.defaultTextFields` that the entry has, joined by newlines, as UTF-8.
    var defaultText: [UInt8]

    init(_ entry: TimelineEntry) {
        self.entry = entry
        var text: [UInt8] = []
        for field in EntryField.defaultTextFields {
            guard let value = EntryField.value(field, in: entry), !value.isEmpty else { continue }
            if !text.isEmpty { text.append(0x0A) }
            text += value.utf8
        }
        defaultText = text
    }
}
