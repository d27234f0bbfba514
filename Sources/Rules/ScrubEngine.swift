import TraceJoinCore

/// Applies rules to one piece of text or one attribute value; the record walk is `Scrubber`'s.
///
/// Rules run in priority order, each on the output of the one before, so a URL's password is
/// gone before the email rule looks at the user name.
///
/// Built for the hot path (every message and string attribute of every record): the rules are
/// compiled once into `CompiledRule`s with a `RuleGate` each; one pass over a text (`TextSummary`)
/// lets most rules be skipped without calling PCRE2; a text no rule changes is returned as is;
/// key-rule decisions and scrubbed texts are remembered per thread (`ThreadCaches`). A final class, so passing
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
    /// The gates' prefilter literals (`RuleGate.literals` indexes here).
    let literals: LiteralTable
    /// Texts shorter than this cannot match any pattern rule.
    let minimumTextLength: Int
    /// Whether some pattern rule has a `fields` condition (else the field name is never needed).
    let hasFieldConditions: Bool
    let keyRules: [CompiledRule]
    /// Tells this engine's `ThreadCaches` from other engines'. The caches hold key-rule decisions
    /// per attribute key (keys repeat on every record; deciding one means normalising it and running
    /// the key patterns) and what scrubbing a text gave, so a repeated value is scanned once: service
    /// and host names, routes, user agents, SQL, content types, and also the personal data that recurs
    /// on every span and log of one user's requests (an e-mail address, a client IP). The outcome is
    /// kept with the hit counts it made, which a later lookup adds again, so no hit count is lost; the
    /// result depends on the text alone (PCRE2's limits count steps, not time; values timed by the
    /// `ScanBudget` are not remembered; a hash action's key is the engine's). Texts are not cached when a rule has a `fields` condition (the result then
    /// depends on the field too).
    let serial = ThreadCaches.nextEngineSerial()
    /// Longer texts are rarely repeated; they are not remembered.
    static let longestRememberedText = 1024
    private let hashKey: [UInt8]
    /// How long the pattern rules may take on one long value before it becomes `<unscanned>`.
    let budget: ScanBudget

    package init(rules: [Rule], hashKey: [UInt8], budget: ScanBudget = .standard) {
        let ordered = rules.sorted { ($0.priority, $1.id) > ($1.priority, $0.id) }
        self.rules = ordered
        let withPattern = ordered.filter { $0.match.pattern != nil && $0.match.keys == nil }
        patternRules = withPattern.map(CompiledRule.init)
        var literals = LiteralTable()
        gates = withPattern.map { RuleGate($0, literals: &literals) }
        self.literals = literals
        minimumTextLength = gates.map(\.minimumLength).min() ?? Int.max
        hasFieldConditions = patternRules.contains { !$0.appliesEverywhere }
        keyRules = ordered.filter { $0.match.keys != nil }.map(CompiledRule.init)
        self.hashKey = hashKey
        self.budget = budget
    }

    // MARK: - Text

    /// Runs every pattern rule that applies to `field` over `text`; counts hits by rule id.
    package func scrubText(_ text: String, field: String, hits: inout [String: Int]) -> Outcome {
        scrubText(text, path: "", key: field, caches: threadCaches(), hits: &hits)
    }

    /// The calling thread's caches for this engine: looked up once per record, not once per value.
    func threadCaches() -> ThreadCaches { ThreadCaches.current(forEngine: serial) }

    /// `scrubText(_:field:hits:)` for the field `path.key` (just `key` when `path` is empty),
    /// which is only spelled out when a rule has a `fields` condition; `caches` are this thread's.
    func scrubText(
        _ text: String, path: String, key: String, caches: ThreadCaches, hits: inout [String: Int]
    ) -> Outcome {
        let outcome = text.utf8.withContiguousStorageIfAvailable { utf8 in
            scrubText(utf8, text: text, path: path, key: key, caches: caches, hits: &hits)
        }
        if let outcome { return outcome }
        var copy = text
        copy.makeContiguousUTF8()
        return scrubText(copy, path: path, key: key, caches: caches, hits: &hits)
    }

    /// `scrubText` of the UTF-8 bytes `utf8`; `text` is the same as a `String` when the caller has one (else one is
    /// made to remember the outcome by).
    func scrubText(
        _ utf8: UnsafeBufferPointer<UInt8>, text: String?, path: String, key: String, caches: ThreadCaches,
        hits: inout [String: Int]
    ) -> Outcome {
        let length = utf8.count
        if length < minimumTextLength { return .keep }
        // A timed value's result depends on the clock too, so it is never remembered.
        let cacheable = !hasFieldConditions && length <= Self.longestRememberedText && length < budget.minimumLength
        guard cacheable else { return scan(utf8, path: path, key: key, scratch: caches.matchScratch, hits: &hits) }
        let hash = SlotCache<ScrubbedText>.hash(of: utf8)
        let scrubbedTexts = caches.scrubbedTexts
        let replayed = scrubbedTexts.withValue(for: utf8, hash: hash) { remembered in
            for (rule, count) in remembered.hits { hits[rule, default: 0] += count }
            return remembered.outcome
        }
        if let replayed { return replayed }
        // A text seen once as bytes is not made a `String` to be remembered (see `ThreadCaches.sightings`).
        if text == nil, caches.isFirstSighting(ofHash: hash) {
            return scan(utf8, path: path, key: key, scratch: caches.matchScratch, hits: &hits)
        }
        // The hits of this text alone are what a later lookup replays.
        var own: [String: Int] = [:]
        let outcome = scan(utf8, path: path, key: key, scratch: caches.matchScratch, hits: &own)
        scrubbedTexts.remember(
            ScrubbedText(outcome: outcome, hits: own), for: text ?? String(decoding: utf8, as: UTF8.self), hash: hash)
        for (rule, count) in own { hits[rule, default: 0] += count }
        return outcome
    }

    /// Every rule whose gate admits the text, in order; `scratch` is the calling thread's.
    private func scan(
        _ text: UnsafeBufferPointer<UInt8>, path: String, key: String, scratch: MatchScratch,
        hits: inout [String: Int]
    ) -> Outcome {
        // The text as the rules changed it so far; nil while no rule has.
        var current: String?
        var field: String?
        let deadline = budget.deadline(forLength: text.count)
        var next = 0
        var step = Outcome.keep
        // One pass over the rules on one summary; a rule that changes the text ends the pass,
        // and the next starts, on the new text's summary, at the following rule.
        func pass(_ bytes: UnsafeBufferPointer<UInt8>, _ summary: TextSummary, _ pairMap: inout PairMap) {
            while next < gates.count {
                let index = next
                next += 1
                guard gates[index].admits(summary, bytes: bytes, literals: literals, pairMap: &pairMap) else { continue }
                let rule = patternRules[index]
                if hasFieldConditions, !rule.appliesEverywhere {
                    let name = field ?? (path.isEmpty ? key : path + "." + key)
                    field = name
                    if !rule.applies(to: name) { continue }
                }
                step = apply(rule, to: bytes, hits: &hits, scratch: scratch, deadline: deadline)
                if case .keep = step { continue }
                return
            }
        }
        while next < gates.count {
            step = .keep
            if current == nil {
                Self.withSummary(of: text, pass)
            } else {
                Self.withSummary(of: &current!, pass)
            }
            switch step {
            case .keep: continue
            case .replace(let new): current = new
            case .dropField: return .dropField
            case .dropRecord: return .dropRecord
            }
        }
        return current.map { .replace($0) } ?? .keep
    }

    /// Runs `body` with the summary and pair map of `text` (the map on the stack, filled if needed).
    @inline(__always)
    static func withSummary<T>(
        of text: inout String, _ body: (UnsafeBufferPointer<UInt8>, TextSummary, inout PairMap) -> T
    ) -> T {
        text.withUTF8 { bytes in withSummary(of: bytes, body) }
    }

    @inline(__always)
    static func withSummary<T>(
        of bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, TextSummary, inout PairMap) -> T
    ) -> T {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: PairMap.wordCount) { words in
            var pairMap = PairMap(words: words.baseAddress!, text: bytes)
            return body(bytes, TextSummary(bytes), &pairMap)
        }
    }

    /// One rule over `text`: its gate, prefilter, pattern, then validator, then action on each match.
    package func apply(_ rule: Rule, to text: String, hits: inout [String: Int]) -> Outcome {
        apply(CompiledRule(rule), to: text, hits: &hits)
    }

    /// `apply(_:to:hits:)` for a compiled rule, checking its own gate first.
    func apply(_ rule: CompiledRule, to text: String, hits: inout [String: Int]) -> Outcome {
        var copy = text
        return copy.withUTF8 { apply(rule, toUTF8: $0, hits: &hits) }
    }

    /// `apply(_:to:hits:)` on UTF-8 bytes.
    func apply(_ rule: CompiledRule, toUTF8 bytes: UnsafeBufferPointer<UInt8>, hits: inout [String: Int]) -> Outcome {
        Self.withSummary(of: bytes) { bytes, summary, pairMap in
            guard rule.pattern != nil, rule.gate.admits(summary, bytes: bytes, literals: rule.literals, pairMap: &pairMap) else {
                return .keep
            }
            return apply(rule, to: bytes, hits: &hits, scratch: MatchScratch(), deadline: nil)
        }
    }

    /// A rule whose gate admitted `text`: prefilter, pattern, validator, action. Past `deadline`
    /// (the value's `ScanBudget`), the value becomes `<unscanned>`.
    private func apply(
        _ rule: CompiledRule, to bytes: UnsafeBufferPointer<UInt8>, hits: inout [String: Int],
        scratch matchScratch: MatchScratch, deadline: ScanDeadline?
    ) -> Outcome {
        guard let pattern = rule.pattern else { return .keep }
        if let scanner = rule.prefilter, !scanner.firstMatch(in: bytes, scratch: matchScratch) {
            return .keep
        }
        guard let matches = pattern.matches(in: bytes, scratch: matchScratch, deadline: deadline) else {
            // PCRE2 hit its limits, or the value its time budget: the text may hold what the rule
            // looks for, so none of it is kept.
            hits[rule.id, default: 0] += 1
            return .replace(Self.unscannedText)
        }
        if matches.isEmpty { return .keep }
        var output: [UInt8] = []
        var last = 0
        var count = 0
        for match in matches {
            let value = UnsafeBufferPointer(rebasing: bytes[match.value])
            if let validator = rule.validator, !validator.accepts(bytes: value) { continue }
            guard let replacement = replacement(for: value, action: rule.action) else {
                hits[rule.id, default: 0] += 1
                return rule.action == .dropRecord ? .dropRecord : .dropField
            }
            if Self.isSame(replacement, value) { continue }
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

    /// `replacement(for:action:)` for a match's bytes: the actions that need no `String` of the value take none.
    private func replacement(for value: UnsafeBufferPointer<UInt8>, action: RuleAction) -> String? {
        switch action {
        case .redact(let text): text
        case .truncateIP: IPTruncation.truncate(bytes: value) ?? String(decoding: value, as: UTF8.self)
        case .dropField, .dropRecord: nil
        case .mask, .hash: replacement(for: String(decoding: value, as: UTF8.self), action: action)
        }
    }

    /// Whether `replacement` equals the value it would replace, as `String`s compare (canonical equivalence,
    /// which only non-ASCII text can have without equal bytes).
    private static func isSame(_ replacement: String, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        if replacement.utf8.elementsEqual(value) { return true }
        if replacement.utf8.allSatisfy({ $0 < 0x80 }) && value.allSatisfy({ $0 < 0x80 }) { return false }
        return replacement == String(decoding: value, as: UTF8.self)
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
