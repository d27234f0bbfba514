package import TraceJoinCore

/// Decodes one OTLP/JSON document (`TracesData`, `LogsData` or their `Export…ServiceRequest`s) into records.
///
/// Follows the protobuf-JSON mapping as real producers use it rather than as written: IDs in hex
/// of any case or base64, 64-bit integers as strings or numbers, enums as numbers or names,
/// camelCase or snake_case field names, the pre-1.0 `instrumentationLibrarySpans`, and Jaeger v2's
/// api/v3 `{"result": {…}}` wrapper. Unknown fields are ignored. A span that cannot be read
/// (no valid trace ID, span ID or start time) becomes a reject; the others are kept.
/// — source: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
///
/// Runs once per line on Collector file exports of many gigabytes, so each object is walked once
/// with a `switch` on its keys instead of repeated lookups.
package enum OTLPJSONDecoder {
    /// Resource facts every span or log record of one `ResourceSpans`/`ResourceLogs` shares.
    struct ResourceContext {
        var attributes: [Attribute] = []
        var service = "unknown_service"
    }

    /// The records in `document`, each with `origin` and its index in the document as `ordinal`.
    package static func decode(_ document: JSONValue, origin: InputLocation) -> [Record] {
        var records: [Record] = []
        var counter = OrdinalCounter(origin)
        decodeDocument(document, into: &records, counter: &counter, depth: 0)
        return records
    }

    private static func decodeDocument(
        _ document: JSONValue, into records: inout [Record], counter: inout OrdinalCounter, depth: Int
    ) {
        switch document {
        case .array(let documents) where depth == 0:
            // Some tools dump several requests as one JSON array.
            for element in documents { decodeDocument(element, into: &records, counter: &counter, depth: 1) }
        // One bare ResourceSpans or ResourceLogs per line (the Java SDK's `logging-otlp` exporters).
        case .object(let object) where object.hasMember(in: SpanDocumentKind.bareResourceSpansKeys):
            decodeResourceSpans(document, into: &records, counter: &counter)
        case .object(let object) where object.hasMember(in: SpanDocumentKind.bareResourceLogsKeys):
            decodeResourceLogs(document, into: &records, counter: &counter)
        case .object(let object):
            var recognized = object.members.isEmpty
            for member in object.members {
                switch member.key {
                case "resourceSpans", "resource_spans":
                    recognized = true
                    for resourceSpans in member.value.array ?? [] {
                        decodeResourceSpans(resourceSpans, into: &records, counter: &counter)
                    }
                case "resourceLogs", "resource_logs":
                    recognized = true
                    for resourceLogs in member.value.array ?? [] {
                        decodeResourceLogs(resourceLogs, into: &records, counter: &counter)
                    }
                case "result" where depth < 2:
                    recognized = true
                    decodeDocument(member.value, into: &records, counter: &counter, depth: depth + 1)
                default:
                    continue
                }
            }
            if !recognized {
                records.append(
                    SpanRejection.make(
                        "not an OTLP document: no resourceSpans or resourceLogs", json: document,
                        origin: counter.take()))
            }
        default:
            records.append(
                SpanRejection.make(
                    "not an OTLP document: expected a JSON object", json: document, origin: counter.take()))
        }
    }

    // MARK: - Resource and scope

    /// Reads `resource` (which may come after the spans in member order) into a context.
    static func resourceContext(_ resource: JSONValue?) -> ResourceContext {
        var context = ResourceContext()
        guard let resource, let attributes = resource["attributes"] else { return context }
        context.attributes = OTLPValueReader.attributes(attributes)
        if case .string(let service)? = context.attributes[key: "service.name"], !service.isEmpty {
            context.service = service
        }
        return context
    }

    /// The scope as one text: `name@version`, or the name alone.
    static func scopeText(_ scope: JSONValue?) -> String {
        guard let scope else { return "" }
        let name = scope["name"]?.string ?? ""
        guard let version = scope["version"]?.string, !version.isEmpty else { return name }
        return name + "@" + version
    }

    private static func decodeResourceSpans(
        _ json: JSONValue, into records: inout [Record], counter: inout OrdinalCounter
    ) {
        guard case .object(let object) = json else { return }
        var resource: JSONValue?
        var scopeLists: [JSONValue] = []
        for member in object.members {
            switch member.key {
            case "resource": resource = member.value
            case "scopeSpans", "scope_spans", "instrumentationLibrarySpans", "instrumentation_library_spans":
                scopeLists.append(member.value)
            default: continue
            }
        }
        let context = resourceContext(resource)
        for list in scopeLists {
            for scopeSpans in list.array ?? [] {
                guard case .object(let scopeObject) = scopeSpans else { continue }
                var scope: JSONValue?
                var spans: [JSONValue] = []
                for member in scopeObject.members {
                    switch member.key {
                    case "scope", "instrumentationLibrary", "instrumentation_library": scope = member.value
                    case "spans": spans = member.value.array ?? []
                    default: continue
                    }
                }
                let scopeName = scopeText(scope)
                for span in spans {
                    records.append(decodeSpan(span, context: context, scope: scopeName, origin: counter.take()))
                }
            }
        }
    }

    // MARK: - Spans

    /// One span, or a reject naming the field that could not be read.
    static func decodeSpan(_ json: JSONValue, context: ResourceContext, scope: String, origin: InputLocation)
        -> Record
    {
        guard case .object(let object) = json else {
            return SpanRejection.make("span is not a JSON object", json: json, origin: origin)
        }
        var traceID: TraceID?
        var spanID: SpanID?
        var parentSpanID: SpanID?
        var name = ""
        var kind = SpanKind.unspecified
        var start: Int64?
        var end: Int64?
        var sawEnd = false
        var status = SpanStatus.unset
        var statusMessage = ""
        var attributes: [Attribute] = []
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var flags: UInt32 = 0
        for member in object.members {
            switch member.key {
            case "traceId", "trace_id": traceID = member.value.string.flatMap(SpanIdentifiers.traceID(_:))
            case "spanId", "span_id": spanID = member.value.string.flatMap(SpanIdentifiers.spanID(_:))
            case "parentSpanId", "parent_span_id":
                parentSpanID = member.value.string.flatMap(SpanIdentifiers.spanID(_:))
            case "name": name = member.value.text ?? ""
            case "kind": kind = OTLPValueReader.spanKind(member.value)
            case "startTimeUnixNano", "start_time_unix_nano": start = OTLPValueReader.nanos(member.value)
            case "endTimeUnixNano", "end_time_unix_nano":
                sawEnd = true
                end = OTLPValueReader.nanos(member.value)
            case "attributes": attributes = OTLPValueReader.attributes(member.value)
            case "events": events = decodeEvents(member.value)
            case "links": links = decodeLinks(member.value)
            case "status":
                guard case .object(let statusObject) = member.value else { continue }
                for field in statusObject.members {
                    switch field.key {
                    case "code": status = OTLPValueReader.statusCode(field.value)
                    case "message": statusMessage = field.value.text ?? ""
                    default: continue
                    }
                }
            case "flags": flags = UInt32(truncatingIfNeeded: member.value.int64 ?? 0)
            default: continue
            }
        }
        guard let traceID else {
            return SpanRejection.make("span has no valid trace ID", json: json, origin: origin)
        }
        guard let spanID else {
            return SpanRejection.make("span has no valid span ID", json: json, origin: origin)
        }
        guard let start else {
            return SpanRejection.make("span start time is missing or out of range", json: json, origin: origin)
        }
        if sawEnd && end == nil {
            return SpanRejection.make("span end time is out of range", json: json, origin: origin)
        }
        return .span(
            SpanRecord(
                traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, service: context.service, name: name,
                kind: kind, startTime: start, endTime: end ?? start, status: status, statusMessage: statusMessage,
                attributes: attributes, resource: context.attributes, scope: scope, events: events, links: links,
                flags: flags, origin: origin))
    }

    private static func decodeEvents(_ json: JSONValue) -> [SpanEvent] {
        guard case .array(let elements) = json else { return [] }
        var events: [SpanEvent] = []
        events.reserveCapacity(elements.count)
        for element in elements {
            guard case .object(let object) = element else { continue }
            var event = SpanEvent(time: 0, name: "")
            for member in object.members {
                switch member.key {
                case "timeUnixNano", "time_unix_nano": event.time = OTLPValueReader.nanos(member.value) ?? 0
                case "name": event.name = member.value.text ?? ""
                case "attributes": event.attributes = OTLPValueReader.attributes(member.value)
                default: continue
                }
            }
            events.append(event)
        }
        return events
    }

    /// Links with a readable trace and span ID; others are dropped (they point nowhere).
    private static func decodeLinks(_ json: JSONValue) -> [SpanLink] {
        guard case .array(let elements) = json else { return [] }
        var links: [SpanLink] = []
        for element in elements {
            guard case .object(let object) = element else { continue }
            var traceID: TraceID?
            var spanID: SpanID?
            var attributes: [Attribute] = []
            for member in object.members {
                switch member.key {
                case "traceId", "trace_id": traceID = member.value.string.flatMap(SpanIdentifiers.traceID(_:))
                case "spanId", "span_id": spanID = member.value.string.flatMap(SpanIdentifiers.spanID(_:))
                case "attributes": attributes = OTLPValueReader.attributes(member.value)
                default: continue
                }
            }
            if let traceID, let spanID {
                links.append(SpanLink(traceID: traceID, spanID: spanID, kind: "link", attributes: attributes))
            }
        }
        return links
    }
}

extension JSONObject {
    /// Whether one of the object's member names is in `keys`.
    fileprivate func hasMember(in keys: Set<String>) -> Bool {
        members.contains { keys.contains($0.key) }
    }
}
