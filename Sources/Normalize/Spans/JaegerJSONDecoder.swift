package import TraceJoinCore

/// Decodes Jaeger's JSON model: the UI and `/api/traces` shape `{"data": [{traceID, spans, processes}]}`,
/// one trace object `{traceID, spans, processes}`, or a bare array of spans with an inline `process`.
///
/// Times are microseconds. The parent is the first CHILD_OF reference into the same trace, else the
/// first FOLLOWS_FROM into it (Jaeger's own `Span.ParentSpanID` rule); every other reference is kept
/// as a `SpanLink`, so a CHILD_OF into another trace is a link, never a parent.
/// — source: https://github.com/jaegertracing/jaeger/blob/main/model/span.go
package enum JaegerJSONDecoder {
    /// A process as spans refer to it by `processID`.
    struct Process {
        var id: String
        var service: String
        var resource: [Attribute]
    }

    /// The records in `document`, each with `origin` and its index in the document as `ordinal`.
    package static func decode(_ document: JSONValue, origin: InputLocation) -> [Record] {
        var records: [Record] = []
        var counter = OrdinalCounter(origin)
        switch document {
        case .object(let object):
            if let data = object["data"] {
                switch data {
                case .array(let traces):
                    for trace in traces { decodeTrace(trace, into: &records, counter: &counter) }
                case .null:
                    break
                default:
                    records.append(
                        SpanRejection.make(
                            "Jaeger export: \"data\" is not an array of traces", json: document,
                            origin: counter.take()))
                }
                if case .array(let errors)? = object["errors"], !errors.isEmpty {
                    let codes = errors.compactMap { $0["code"]?.int64 }.map(String.init).joined(separator: ", ")
                    records.append(
                        SpanRejection.make(
                            "Jaeger response reports \(errors.count) error(s)"
                                + (codes.isEmpty ? "" : " (code \(codes))"),
                            json: .array(errors), origin: counter.take()))
                }
            } else if object["spans"] != nil {
                decodeTrace(document, into: &records, counter: &counter)
            } else {
                records.append(
                    SpanRejection.make(
                        "not a Jaeger export: expected {\"data\": [...]}, a trace with \"spans\", or an array of spans",
                        json: document, origin: counter.take()))
            }
        case .array(let spans):
            records.reserveCapacity(spans.count)
            for span in spans {
                records.append(decodeSpan(span, processes: [], traceID: nil, origin: counter.take()))
            }
        default:
            records.append(
                SpanRejection.make(
                    "not a Jaeger export: expected a JSON object or array", json: document, origin: counter.take()))
        }
        return records
    }

    private static func decodeTrace(_ trace: JSONValue, into records: inout [Record], counter: inout OrdinalCounter) {
        guard case .object(let object) = trace else {
            records.append(SpanRejection.make("Jaeger trace is not a JSON object", json: trace, origin: counter.take()))
            return
        }
        var spans: [JSONValue] = []
        var processes: [Process] = []
        var traceID: TraceID?
        for member in object.members {
            switch member.key {
            case "spans": spans = member.value.array ?? []
            case "processes":
                guard case .object(let map) = member.value else { continue }
                processes = map.members.map { process(id: $0.key, $0.value) }
            case "traceID", "traceId": traceID = member.value.string.flatMap(SpanIdentifiers.traceID(hex:))
            default: continue
            }
        }
        for span in spans {
            records.append(decodeSpan(span, processes: processes, traceID: traceID, origin: counter.take()))
        }
    }

    /// A process object's service and tags; a missing or empty service name is `unknown_service`.
    static func process(id: String, _ json: JSONValue) -> Process {
        var service = json["serviceName"]?.string ?? ""
        if service.isEmpty { service = "unknown_service" }
        return Process(id: id, service: service, resource: JaegerTagReader.attributes(json["tags"]))
    }

    /// Microseconds as nanoseconds; nil when not a number or out of range.
    static func nanos(micros json: JSONValue) -> Int64? {
        guard let micros = json.int64, micros >= 0 else { return nil }
        let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : nanos
    }

    /// One span, or a reject naming the field that could not be read.
    static func decodeSpan(
        _ json: JSONValue, processes: [Process], traceID fallbackTraceID: TraceID?,
        origin: InputLocation
    ) -> Record {
        guard case .object(let object) = json else {
            return SpanRejection.make("Jaeger span is not a JSON object", json: json, origin: origin)
        }
        var traceIDText: String?
        var spanID: SpanID?
        var legacyParent: SpanID?
        var name = ""
        var references: [JSONValue] = []
        var start: Int64?
        var duration: Int64? = 0
        var attributes: [Attribute] = []
        var events: [SpanEvent] = []
        var flags: UInt32 = 0
        var processID: String?
        var inlineProcess: JSONValue?
        for member in object.members {
            switch member.key {
            case "traceID", "traceId": traceIDText = member.value.string
            case "spanID", "spanId": spanID = member.value.string.flatMap(SpanIdentifiers.spanID(hex:))
            case "parentSpanID", "parentSpanId":
                legacyParent = member.value.string.flatMap(SpanIdentifiers.spanID(hex:))
            case "operationName": name = member.value.text ?? ""
            case "references": references = member.value.array ?? []
            case "startTime": start = nanos(micros: member.value)
            case "duration": duration = nanos(micros: member.value)
            case "tags": attributes = JaegerTagReader.attributes(member.value)
            case "logs": events = decodeLogs(member.value)
            case "flags": flags = UInt32(truncatingIfNeeded: member.value.int64 ?? 0)
            case "processID", "processId": processID = member.value.string
            case "process": inlineProcess = member.value
            default: continue
            }
        }
        let traceID = traceIDText.map(SpanIdentifiers.traceID(hex:)) ?? fallbackTraceID
        guard let traceID else {
            return SpanRejection.make("Jaeger span has no valid traceID", json: json, origin: origin)
        }
        guard let spanID else {
            return SpanRejection.make("Jaeger span has no valid spanID", json: json, origin: origin)
        }
        guard let duration else {
            return SpanRejection.make(
                "Jaeger span duration is not a number of microseconds", json: json, origin: origin)
        }
        guard let start else {
            return SpanRejection.make(
                "Jaeger span startTime is missing or not a number of microseconds", json: json, origin: origin)
        }

        let (parent, links) = resolveReferences(references, traceID: traceID)
        let process: Process? =
            if let inlineProcess { self.process(id: "", inlineProcess) } else if let processID {
                processes.first(where: { $0.id == processID })
            } else { nil }
        let (kind, status, statusMessage) = spanFacts(attributes)
        return .span(
            SpanRecord(
                traceID: traceID, spanID: spanID, parentSpanID: parent ?? legacyParent,
                service: process?.service ?? "unknown_service", name: name, kind: kind, startTime: start,
                endTime: start &+ duration, status: status, statusMessage: statusMessage, attributes: attributes,
                resource: process?.resource ?? [], events: events, links: links, flags: flags, origin: origin))
    }

    /// The parent (first same-trace CHILD_OF, else first same-trace FOLLOWS_FROM) and every other reference as a link.
    static func resolveReferences(_ references: [JSONValue], traceID: TraceID) -> (SpanID?, [SpanLink]) {
        guard !references.isEmpty else { return (nil, []) }
        var parsed: [SpanLink] = []
        parsed.reserveCapacity(references.count)
        for reference in references {
            guard
                let refTraceID = (reference["traceID"] ?? reference["traceId"])?.string.flatMap(
                    SpanIdentifiers.traceID(hex:)),
                let refSpanID = (reference["spanID"] ?? reference["spanId"])?.string.flatMap(
                    SpanIdentifiers.spanID(hex:))
            else { continue }
            let type = reference["refType"]?.string?.uppercased() ?? "CHILD_OF"
            let kind = type == "FOLLOWS_FROM" ? "follows_from" : "child_of"
            parsed.append(SpanLink(traceID: refTraceID, spanID: refSpanID, kind: kind))
        }
        let parentIndex =
            parsed.firstIndex(where: { $0.traceID == traceID && $0.kind == "child_of" })
            ?? parsed.firstIndex(where: { $0.traceID == traceID && $0.kind == "follows_from" })
        guard let parentIndex else { return (nil, parsed) }
        let parent = parsed.remove(at: parentIndex).spanID
        return (parent, parsed)
    }

    /// Kind and status from the tags Jaeger clients and the OTel Jaeger exporter write:
    /// `span.kind`, `error` (bool or `"true"`), `otel.status_code`, `otel.status_description`.
    static func spanFacts(_ tags: [Attribute]) -> (SpanKind, SpanStatus, String) {
        var kind = SpanKind.unspecified
        var status = SpanStatus.unset
        var message = ""
        for tag in tags {
            switch tag.key {
            case "span.kind":
                if case .string(let name) = tag.value { kind = OTLPValueReader.spanKind(named: name) }
            case "error":
                if tag.value == .bool(true) || tag.value == .string("true") { status = .error }
            case "otel.status_code":
                if case .string(let code) = tag.value {
                    switch code.uppercased() {
                    case "ERROR": status = .error
                    case "OK" where status != .error: status = .ok
                    default: break
                    }
                }
            case "otel.status_description":
                message = tag.value.text
            default:
                continue
            }
        }
        return (kind, status, message)
    }

    /// Span logs as events: the `event` field names the event (`"error"`), all fields stay attributes.
    private static func decodeLogs(_ json: JSONValue) -> [SpanEvent] {
        guard case .array(let logs) = json else { return [] }
        var events: [SpanEvent] = []
        events.reserveCapacity(logs.count)
        for log in logs {
            let fields = JaegerTagReader.attributes(log["fields"])
            let time = log["timestamp"].flatMap { nanos(micros: $0) } ?? 0
            let name = fields[key: "event"].map(\.text) ?? "log"
            events.append(SpanEvent(time: time, name: name, attributes: fields))
        }
        return events
    }
}
