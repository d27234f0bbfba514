package import TraceJoinCore

/// One rule from a rule file: what to look for (`match`) and what to do with it (`action`).
///
/// The same shape serves scrubbing (`Rules/pii`) and, later, classification (`Rules/classify`,
/// which adds `class:` and field conditions): both are a match plus an action, ordered by priority.
package struct Rule: IdentifiedRule {
    package var id: String
    package var description: String
    /// Higher runs first; ties run in id order. Default 0.
    package var priority: Int
    package var match: RuleMatch
    package var action: RuleAction
    package var examples: [RuleExample]
    /// Where the rule starts, for messages about it.
    package var location: RuleLocation

    package init(
        id: String, description: String = "", priority: Int = 0, match: RuleMatch, action: RuleAction,
        examples: [RuleExample] = [], location: RuleLocation
    ) {
        self.id = id
        self.description = description
        self.priority = priority
        self.match = match
        self.action = action
        self.examples = examples
        self.location = location
    }

    /// The rule's behaviour as text (not its description or examples), fed to the rule-set digest.
    package var canonicalText: String {
        var text = "id=\(id)\npriority=\(priority)\n"
        if let pattern = match.pattern { text += "pattern=\(pattern.source)\n" }
        if !match.prefilter.isEmpty { text += "prefilter=\(match.prefilter.joined(separator: "\u{1F}"))\n" }
        if let validator = match.validator { text += "validator=\(validator.rawValue)\n" }
        if let minDigits = match.minDigits { text += "min-digits=\(minDigits)\n" }
        if !match.shapes.isEmpty {
            text += "shapes=\(match.shapes.map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "\u{1F}"))\n"
        }
        if let keys = match.keys { text += "keys=\(keys.source)\n" }
        if !match.fields.isEmpty { text += "fields=\(match.fields.joined(separator: "\u{1F}"))\n" }
        text += "action=\(action.canonicalText)\n"
        return text
    }
}

/// A file position of a rule or one of its keys (1-based line and column, from the YAML marks).
package struct RuleLocation: Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String { "\(file):\(line):\(column)" }

    /// A diagnostic at this position.
    package func diagnostic(_ message: String, hint: String? = nil, severity: Diagnostic.Severity = .error)
        -> Diagnostic
    {
        Diagnostic(
            location: InputLocation(source: file, line: line), column: column, severity: severity, message: message,
            hint: hint)
    }
}

/// The conditions of a rule. A rule with `keys` and no `pattern` replaces the whole value of every
/// attribute whose key matches; with both, the pattern runs only inside those values.
package struct RuleMatch: Sendable {
    /// Searched in text values; the named group `value`, when present, is what the action replaces.
    package var pattern: PCREPattern?
    /// Literal strings (case-insensitive); the pattern runs only on text containing at least one.
    package var prefilter: [String] {
        didSet { prefilterScanner = Self.scanner(for: prefilter) }
    }
    /// The literals as one caseless PCRE2 alternation: JIT scans for a literal far faster than a Swift loop,
    /// so a prefilter is cheaper than the pattern it guards.
    package private(set) var prefilterScanner: PCREPattern?
    package var validator: Validator?
    /// The pattern runs only on text with a run of at least this many digits (see `DigitRun`).
    package var minDigits: Int?
    /// On ASCII text, the pattern runs only where one of these occurs (`#`: any ASCII digit; see `DigitShape`).
    package var shapes: [DigitShape] = []
    /// Searched in attribute keys, case-insensitively, after camelCase is split (`accessToken` → `access_token`).
    package var keys: PCREPattern?
    /// Where the rule applies: `message`, `name`, `status`, `raw`, or attribute keys; empty means everywhere.
    package var fields: [String]

    package init(
        pattern: PCREPattern? = nil, prefilter: [String] = [], validator: Validator? = nil, keys: PCREPattern? = nil,
        fields: [String] = []
    ) {
        self.pattern = pattern
        self.prefilter = prefilter
        self.prefilterScanner = Self.scanner(for: prefilter)
        self.validator = validator
        self.keys = keys
        self.fields = fields
    }
}

extension RuleMatch {
    /// `(?:lit1|lit2)` with every ASCII punctuation character escaped, so the literals mean themselves.
    static func scanner(for literals: [String]) -> PCREPattern? {
        let nonEmpty = literals.filter { !$0.isEmpty }
        guard !nonEmpty.isEmpty else { return nil }
        let escaped = nonEmpty.map { literal in
            var out = ""
            for scalar in literal.unicodeScalars {
                if scalar.isASCII, !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
            return out
        }
        return try? PCREPattern("(?:" + escaped.joined(separator: "|") + ")", caseInsensitive: true)
    }
}

/// A rule's example: input and expected output, or input that must come out unchanged.
package struct RuleExample: Sendable {
    package var input: String
    /// nil for a `keep` example (the output must equal the input).
    package var output: String?
    /// For key rules: the attribute key the example value is filed under.
    package var key: String?
    package var location: RuleLocation

    package init(input: String, output: String?, key: String? = nil, location: RuleLocation) {
        self.input = input
        self.output = output
        self.key = key
        self.location = location
    }
}
