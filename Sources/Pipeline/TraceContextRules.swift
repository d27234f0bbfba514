package import Normalize
package import Rules
import TraceJoinCore

/// Joins the extraction rules (`Rules/extract/`, loaded by Rules) to the log decoder's patterns
/// (`TraceContextPattern`, in Normalize): Normalize does not import Rules, so the patterns reach the
/// decoder through `BatchConfiguration.traceContextPatterns` and `LogDecoderConfiguration`.
package enum TraceContextRules {
    /// The shipped pack's patterns (the embedded `Rules/extract/`), in file order. The decoder's own
    /// `TraceContextPattern.defaults` equal these (a test proves it).
    package static let builtIn: [TraceContextPattern] =
        ((try? ExtractionRuleLoader.load(layers: [RuleSource.builtIn])) ?? []).map(pattern(of:))

    /// The patterns in force: the shipped pack (unless `includeBuiltIn` is false), then each folder's
    /// rules, a later rule replacing an earlier one with the same id. Throws every diagnostic (exit 78).
    package static func load(ruleFolders: [String] = [], includeBuiltIn: Bool = true) throws(RuleSetError)
        -> [TraceContextPattern]
    {
        try ExtractionRuleLoader.load(ruleFolders: ruleFolders, includeBuiltIn: includeBuiltIn).map(pattern(of:))
    }

    /// The decoder's pattern for a rule; its name is the rule id.
    package static func pattern(of rule: ExtractionRule) -> TraceContextPattern {
        let form: TraceContextPattern.IDForm =
            switch rule.idForm {
            case .hex: .hex
            case .decimal: .decimal
            case .traceparent: .traceparent
            }
        return TraceContextPattern(
            name: rule.id, traceKey: rule.traceKey, idForm: form, spanKey: rule.spanKey, serviceKey: rule.serviceKey,
            sampledKey: rule.sampledKey)
    }

    /// Runs rules over a line with the decoder's scanner: what `rules test` and `rules check` use.
    package static let finder: TraceContextFinder = { line, rules in
        guard let found = TraceContextPattern.find(in: line, patterns: rules.map(pattern(of:))) else { return nil }
        return FoundTraceContext(trace: found.trace, spanID: found.spanID, service: found.service)
    }

    /// SHA-256 hex of the patterns' behaviour, in order (order decides which pattern wins on a line).
    package static func digest(_ patterns: [TraceContextPattern]) -> String {
        var hasher = SHA256()
        for pattern in patterns {
            let fields = [
                pattern.name, pattern.traceKey, pattern.idForm.rawValue, pattern.spanKey ?? "",
                pattern.serviceKey ?? "", pattern.sampledKey ?? "",
            ]
            hasher.update((fields.joined(separator: "\u{1}") + "\u{0}").utf8)
        }
        return SHA256.hex(hasher.finalize())
    }

    /// One digest for the run: scrubbing, classification and extraction rules together.
    package static func combinedDigest(scrubbing: String, classification: String, extraction: String) -> String {
        var hasher = SHA256()
        hasher.update("scrub:\(scrubbing)\nclassify:\(classification)\nextract:\(extraction)\n".utf8)
        return SHA256.hex(hasher.finalize())
    }
}
