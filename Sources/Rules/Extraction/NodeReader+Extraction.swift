import TraceJoinCore
import Yams

extension NodeReader {
    static let extractionRuleKeys = ["id", "description", "extract", "examples"]
    static let extractionKeys = ["trace-key", "id-form", "span-key", "service-key", "sampled-key"]
    static let extractionExampleKeys = ["in", "trace", "span", "service", "keep"]

    /// One extraction rule, or nil (with diagnostics) when any part of it is wrong.
    mutating func extractionRule(_ node: Node) -> ExtractionRule? {
        let before = diagnostics.count
        guard let fields = members(node, known: Self.extractionRuleKeys, what: "an extraction rule") else {
            return nil
        }
        guard let idNode = fields["id"]?.value else {
            error(at: node, "a rule needs an `id`", hint: "for instance `id: extract.python-otel`")
            return nil
        }
        let id = string(idNode, key: "id") ?? ""
        if id.isEmpty { error(at: idNode, "`id` must not be empty") }
        let description = fields["description"].flatMap { string($0.value, key: "description") } ?? ""
        guard let extractNode = fields["extract"]?.value,
            let keys = members(extractNode, known: Self.extractionKeys, what: "`extract`")
        else { return nil }
        guard let traceKeyNode = keys["trace-key"]?.value else {
            error(at: extractNode, "`extract` needs a `trace-key`", hint: "the literal text before the ID, e.g. 'trace_id='")
            return nil
        }
        let traceKey = literal(traceKeyNode, key: "trace-key")
        var idForm = ExtractionRule.IDForm.hex
        if let node = keys["id-form"]?.value, let name = string(node, key: "id-form") {
            if let form = ExtractionRule.IDForm(rawValue: name) {
                idForm = form
            } else {
                let names = ExtractionRule.IDForm.allCases.map(\.rawValue)
                let hint = Levenshtein.nearest(to: name, in: names).map { "did you mean `\($0)`?" }
                error(at: node, "unknown id-form `\(name)`", hint: hint ?? "use \(names.joined(separator: ", "))")
            }
        }
        let spanKey = keys["span-key"].flatMap { literal($0.value, key: "span-key") }
        let serviceKey = keys["service-key"].flatMap { literal($0.value, key: "service-key") }
        let sampledKey = keys["sampled-key"].flatMap { literal($0.value, key: "sampled-key") }
        if idForm == .traceparent, let node = keys["span-key"]?.key {
            error(at: node, "a `traceparent` ID carries its span itself", hint: "remove `span-key`")
        }
        let examples = fields["examples"].map { extractionExamples($0.value, form: idForm) } ?? []
        guard diagnostics.count == before, let traceKey else { return nil }
        return ExtractionRule(
            id: id, description: description, traceKey: traceKey, idForm: idForm, spanKey: spanKey,
            serviceKey: serviceKey, sampledKey: sampledKey, examples: examples, location: location(of: node))
    }

    /// A non-empty literal key (an empty one would match everywhere).
    private mutating func literal(_ node: Node, key: String) -> String? {
        guard let text = string(node, key: key) else { return nil }
        if text.isEmpty {
            error(at: node, "`\(key)` must not be empty", hint: "give the literal text written before the value")
            return nil
        }
        return text
    }

    mutating func extractionExamples(_ node: Node, form: ExtractionRule.IDForm) -> [ExtractionExample] {
        guard case .sequence(let sequence) = node else {
            error(at: node, "`examples` must be a list")
            return []
        }
        var result: [ExtractionExample] = []
        for item in sequence {
            guard let fields = members(item, known: Self.extractionExampleKeys, what: "an example") else { continue }
            if let keep = fields["keep"] {
                for other in ["in", "trace", "span", "service"] where fields[other] != nil {
                    error(at: fields[other]!.key, "a `keep` example takes no `\(other)`")
                }
                if let line = string(keep.value, key: "keep") {
                    result.append(ExtractionExample(line: line, trace: nil, location: location(of: item)))
                }
                continue
            }
            guard let inNode = fields["in"]?.value else {
                error(at: item, "an example needs `in` (a log line) or `keep`", hint: "for instance `{in: '…', trace: …}`")
                continue
            }
            guard let traceNode = fields["trace"]?.value else {
                error(at: item, "an `in` example needs the `trace` it must yield", hint: "or use `keep:` for none")
                continue
            }
            guard let line = string(inNode, key: "in"), let text = string(traceNode, key: "trace") else { continue }
            guard let trace = Self.traceReference(text, form: form) else {
                error(
                    at: traceNode, "`trace` is not a valid ID for id-form `\(form.rawValue)`",
                    hint: form == .decimal ? "write the decimal ID as in the line" : "write 16 or 32 hex digits")
                continue
            }
            var spanID: SpanID?
            if let node = fields["span"]?.value, let text = string(node, key: "span") {
                spanID = form == .decimal ? UInt64(text).map(SpanID.init) : SpanID(hex: text)
                if spanID == nil { error(at: node, "`span` is not a valid span ID for id-form `\(form.rawValue)`") }
            }
            let service = fields["service"].flatMap { string($0.value, key: "service") }
            result.append(
                ExtractionExample(line: line, trace: trace, spanID: spanID, service: service, location: location(of: item)))
        }
        return result
    }

    /// The expected trace as written in the line: decimal for `decimal`, hex otherwise.
    static func traceReference(_ text: String, form: ExtractionRule.IDForm) -> TraceReference? {
        if form == .decimal {
            guard let value = UInt64(text), value != 0 else { return nil }
            return .lower64(value)
        }
        guard text.count == 16 || text.count == 32, let id = TraceID(hex: text), !id.isZero else { return nil }
        return .full(id)
    }
}
