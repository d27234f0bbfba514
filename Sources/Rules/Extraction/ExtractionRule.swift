package import TraceJoinCore

/// A rule that says how to find trace context written inside plain log text (`Rules/extract/`).
///
/// Plain data, the YAML form of the decoder's `TraceContextPattern` (Pipeline converts one to the
/// other: Rules does not see the decoder). Keys are literals, never regular expressions, so matching
/// stays a memmem and a byte scan per line.
package struct ExtractionRule: IdentifiedRule {
    /// What follows the trace key: `hex` (16 or 32 hex digits), `decimal` (Datadog's lower 64 bits)
    /// or `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`, carrying the span ID and sampled flag).
    package enum IDForm: String, Sendable, CaseIterable {
        case hex, decimal, traceparent
    }

    package var id: String
    package var description: String
    package var traceKey: String
    package var idForm: IDForm
    package var spanKey: String?
    package var serviceKey: String?
    package var sampledKey: String?
    package var examples: [ExtractionExample]
    package var location: RuleLocation

    package init(
        id: String, description: String = "", traceKey: String, idForm: IDForm = .hex, spanKey: String? = nil,
        serviceKey: String? = nil, sampledKey: String? = nil, examples: [ExtractionExample] = [],
        location: RuleLocation = RuleLocation(file: "", line: 1, column: 1)
    ) {
        self.id = id
        self.description = description
        self.traceKey = traceKey
        self.idForm = idForm
        self.spanKey = spanKey
        self.serviceKey = serviceKey
        self.sampledKey = sampledKey
        self.examples = examples
        self.location = location
    }
}

/// One example of an extraction rule: a log line and the IDs it must yield, or a line that must yield none.
package struct ExtractionExample: Sendable {
    /// The log line (message text) the rule is tried on.
    package var line: String
    /// The trace the line must yield; nil for a `keep:` example, which must yield no trace.
    package var trace: TraceReference?
    /// The span the line must yield, when the example names one.
    package var spanID: SpanID?
    /// The service the line must yield, when the example names one.
    package var service: String?
    package var location: RuleLocation

    package init(
        line: String, trace: TraceReference?, spanID: SpanID? = nil, service: String? = nil, location: RuleLocation
    ) {
        self.line = line
        self.trace = trace
        self.spanID = spanID
        self.service = service
        self.location = location
    }
}

/// What a `TraceContextFinder` found in one line.
package struct FoundTraceContext: Sendable, Equatable {
    package var trace: TraceReference?
    package var spanID: SpanID?
    package var service: String?

    package init(trace: TraceReference?, spanID: SpanID? = nil, service: String? = nil) {
        self.trace = trace
        self.spanID = spanID
        self.service = service
    }
}

/// Runs extraction rules over one line the way the log decoder does. Supplied by Pipeline (which sees
/// the decoder), so the examples test the very scanner `batch` uses.
package typealias TraceContextFinder = @Sendable (_ line: String, _ rules: [ExtractionRule]) -> FoundTraceContext?
