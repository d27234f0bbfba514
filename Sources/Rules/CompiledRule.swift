/// A rule as the scrubber runs it: the parts the hot loop needs, in a final class, so looping
/// over rules passes one reference instead of copying a `Rule` (a struct of a dozen references)
/// per rule per text.
final class CompiledRule: Sendable {
    let id: String
    let pattern: PCREPattern?
    /// The prefilter scan, nil when there is none or the gate decides it alone.
    let prefilter: PCREPattern?
    let validator: Validator?
    let action: RuleAction
    let keys: PCREPattern?
    /// The rule's own gate and its literal sets (the engine keeps a copy of the gates in one array for its loop).
    let gate: RuleGate
    let literals: LiteralTable
    /// The `fields` condition; empty means everywhere.
    private let fields: Set<String>
    private let fieldsIncludeAttributes: Bool
    var appliesEverywhere: Bool { fields.isEmpty }

    init(_ rule: Rule) {
        id = rule.id
        pattern = rule.match.pattern
        // A prefilter of single punctuation bytes (`@`, `:`) is decided exactly by the gate: no PCRE2 call for it.
        prefilter = RuleGate.singleBytePrefilter(rule.match.prefilter) == nil ? rule.match.prefilterScanner : nil
        validator = rule.match.validator
        action = rule.action
        keys = rule.match.keys
        var literals = LiteralTable()
        gate = RuleGate(rule, literals: &literals)
        self.literals = literals
        fields = Set(rule.match.fields)
        fieldsIncludeAttributes = fields.contains("attributes")
    }

    /// `Rule.applies(to:)`, from the compiled form.
    func applies(to field: String) -> Bool {
        fields.isEmpty || fields.contains(field) || (fieldsIncludeAttributes && !RecordField.all.contains(field))
    }
}
