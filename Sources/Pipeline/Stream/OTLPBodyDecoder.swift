import Normalize
import TraceJoinCore

/// Turns an OTLP/HTTP request body into records, or a diagnostic naming what is wrong (never the bytes).
///
/// Protobuf bodies go to `OTLPProtobufDecoder`; JSON bodies are parsed with the project's JSON parser and
/// read by `OTLPJSONDecoder`, as the same documents are read from files. A body that is not the signal's
/// export request at all is undecodable (HTTP 400); spans that cannot be read inside a valid request are
/// rejects, stored, and the rest of the request is kept.
/// — source: https://opentelemetry.io/docs/specs/otlp/#otlphttp-request
enum OTLPBodyDecoder {
    static func decode(_ body: [UInt8], signal: OTLPSignal, encoding: OTLPBodyEncoding, origin: InputLocation)
        throws(Diagnostic) -> [Record]
    {
        switch (encoding, signal) {
        case (.protobuf, .traces): try OTLPProtobufDecoder.decodeTraces(body, origin: origin)
        case (.protobuf, .logs): try OTLPProtobufDecoder.decodeLogs(body, origin: origin)
        case (.json, _): try decodeJSON(body, signal: signal, origin: origin)
        }
    }

    private static func decodeJSON(_ body: [UInt8], signal: OTLPSignal, origin: InputLocation) throws(Diagnostic)
        -> [Record]
    {
        let request = signal == .traces ? "ExportTraceServiceRequest" : "ExportLogsServiceRequest"
        let member = signal == .traces ? "resourceSpans" : "resourceLogs"
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw Diagnostic(
                location: origin, message: "body is not valid JSON: \(error.reason) at byte \(error.offset)",
                hint: "send Content-Type: application/x-protobuf for OTLP protobuf")
        }
        guard case .object(let object) = document else {
            throw Diagnostic(location: origin, message: "body is not an OTLP/JSON \(request): expected a JSON object")
        }
        // `{}` is a valid, empty request; anything else must carry the signal's member.
        let names = [member, signal == .traces ? "resource_spans" : "resource_logs"]
        guard object.members.isEmpty || object.members.contains(where: { names.contains($0.key) }) else {
            throw Diagnostic(
                location: origin, message: "body is not an OTLP/JSON \(request): it has no \(member)",
                hint: "spans go to /v1/traces, log records to /v1/logs")
        }
        // A repeated field is a JSON array (or null for none); `"resourceSpans": "nope"` is not a request that
        // happens to be empty, and answering it 200 would tell the exporter its data was stored.
        // — source: https://protobuf.dev/programming-guides/json/ (repeated fields: JSON array)
        for field in object.members where names.contains(field.key) {
            switch field.value {
            case .array, .null: continue
            default:
                throw Diagnostic(
                    location: origin,
                    message: "body is not an OTLP/JSON \(request): \(field.key) must be an array")
            }
        }
        // The other signal's member is an unknown field of this request, ignored as protobuf would.
        return OTLPJSONDecoder.decode(document, origin: origin).filter { record in
            switch record {
            case .span: signal == .traces
            case .log: signal == .logs
            case .reject: true
            }
        }
    }
}
