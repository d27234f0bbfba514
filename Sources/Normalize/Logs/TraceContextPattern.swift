/// How to find trace context written inside log text: a literal key, then the ID after it.
///
/// A plain data value: the extraction rules (`Rules/extract/`, loaded by Rules) become these in Pipeline. Matching
/// is done by `TraceContextScanner`: a memmem prefilter for the key, then a byte scanner; never
/// a regular expression per line. Only keyed IDs are taken: a bare 32-hex token in text is a
/// tenant ID or a hash as often as a trace ID.
///
/// - `name` (string): shown in diagnostics and rule listings.
/// - `traceKey` (string): the literal text before the trace ID, e.g. `TraceID:` or `trace_id=`.
///   It must start the text or follow a byte that is not a letter, digit, `_` or `.`.
/// - `idForm` (`hex`, `decimal`, `traceparent`; default `hex`): what follows the key, after optional
///   spaces and one optional quote. `hex` takes 16 or 32 hex digits (16 = upper half zero);
///   `decimal` takes Datadog's lower 64 bits; `traceparent` takes `00-<32 hex>-<16 hex>-<2 hex>`
///   and carries the span ID and sampled flag itself.
/// - `spanKey` (string, optional): the literal before the span ID (16 hex, or decimal for `decimal`),
///   anywhere in the same text.
/// - `serviceKey` (string, optional): the literal before a service name (up to a space, `]` or `,`).
/// - `sampledKey` (string, optional): the literal before `true`/`false`/`1`/`0`.
package struct TraceContextPattern: Hashable, Sendable {
    package enum IDForm: String, Hashable, Sendable {
        case hex, decimal, traceparent
    }

    package var name: String
    package var traceKey: String
    package var idForm: IDForm
    package var spanKey: String?
    package var serviceKey: String?
    package var sampledKey: String?

    package init(
        name: String, traceKey: String, idForm: IDForm = .hex, spanKey: String? = nil, serviceKey: String? = nil,
        sampledKey: String? = nil
    ) {
        self.name = name
        self.traceKey = traceKey
        self.idForm = idForm
        self.spanKey = spanKey
        self.serviceKey = serviceKey
        self.sampledKey = sampledKey
    }

    /// The patterns tracejoin ships, tried in this order; the first whose key has a valid ID wins.
    /// The same as the shipped `Rules/extract/` pack (names are its rule ids; a Pipeline test proves they
    /// agree): `batch` takes its patterns from the pack, this is the decoder's own default.
    package static let defaults: [TraceContextPattern] = [
        // Python OTel logging: `[trace_id=… span_id=… resource.service.name=… trace_sampled=…]`;
        // also any `trace_id=` in text. Outside a span Python prints `trace_id=0`: no trace.
        TraceContextPattern(
            name: "extract.python-otel", traceKey: "trace_id=", spanKey: "span_id=", serviceKey: "resource.service.name=",
            sampledKey: "trace_sampled="),
        // Java log4j/logback patterns such as TrainTicket's `TraceID: <32 hex> SpanID: <16 hex>`.
        TraceContextPattern(name: "extract.java-traceid", traceKey: "TraceID:", spanKey: "SpanID:"),
        TraceContextPattern(name: "extract.camel-case", traceKey: "traceId=", spanKey: "spanId="),
        TraceContextPattern(name: "extract.ecs", traceKey: "trace.id=", spanKey: "span.id="),
        TraceContextPattern(name: "extract.traceparent", traceKey: "traceparent=", idForm: .traceparent),
        TraceContextPattern(name: "extract.traceparent-header", traceKey: "traceparent:", idForm: .traceparent),
        // Datadog log injection in text: `dd.trace_id=<decimal> dd.span_id=<decimal>`.
        TraceContextPattern(
            name: "extract.datadog", traceKey: "dd.trace_id=", idForm: .decimal, spanKey: "dd.span_id=",
            serviceKey: "dd.service="),
    ]
}
