package import TraceJoinCore

/// Decodes Zipkin v2 JSON: an array of spans, as `/api/v2/spans` receives and `/api/v2/trace` returns them.
///
/// IDs are 64- or 128-bit hex and may be shorter than 16 digits (`"2"`): they are left-padded.
/// Times are microseconds. The server half of an RPC reported with the client's span ID carries
/// `"shared": true` and is kept as its own record (`isSharedServerHalf`). Zipkin's error signal is
/// an `error` tag with any value, which becomes the status message.
/// — source: https://zipkin.io/zipkin-api/#/default/post_spans
package enum ZipkinJSONDecoder {
    /// The records in `document`, each with `origin` and its index in the document as `ordinal`.
    package static func decode(_ document: JSONValue, origin: InputLocation) -> [Record] {
        var counter = OrdinalCounter(origin)
        switch document {
        case .array(let spans):
            var records: [Record] = []
            records.reserveCapacity(spans.count)
            for span in spans { records.append(decodeSpan(span, origin: counter.take())) }
            return records
        case .object(let object) where object["traceId"] != nil && object["id"] != nil:
            // One span on its own, as some reporters log them.
            return [decodeSpan(document, origin: counter.take())]
        default:
            return [
                SpanRejection.make(
                    "not a Zipkin v2 export: expected a JSON array of spans", json: document, origin: counter.take())
            ]
        }
    }

    /// Microseconds as nanoseconds; nil when not a number or out of range.
    static func nanos(micros json: JSONValue) -> Int64? {
        JaegerJSONDecoder.nanos(micros: json)
    }

    /// One span, or a reject naming the field that could not be read.
    static func decodeSpan(_ json: JSONValue, origin: InputLocation) -> Record {
        guard case .object(let object) = json else {
            return SpanRejection.make("Zipkin span is not a JSON object", json: json, origin: origin)
        }
        var traceID: TraceID?
        var spanID: SpanID?
        var parentID: SpanID?
        var name = ""
        var kind = SpanKind.unspecified
        var start: Int64?
        var sawTimestamp = false
        var duration: Int64? = 0
        var service = ""
        var attributes: [Attribute] = []
        var events: [SpanEvent] = []
        var shared = false
        var debug = false
        var remote: JSONValue?
        for member in object.members {
            switch member.key {
            case "traceId": traceID = member.value.string.flatMap(SpanIdentifiers.traceID(hex:))
            case "id": spanID = member.value.string.flatMap(SpanIdentifiers.spanID(hex:))
            case "parentId": parentID = member.value.string.flatMap(SpanIdentifiers.spanID(hex:))
            case "name": name = member.value.text ?? ""
            case "kind": kind = member.value.string.map(OTLPValueReader.spanKind(named:)) ?? .unspecified
            case "timestamp":
                sawTimestamp = true
                start = nanos(micros: member.value)
            case "duration": duration = nanos(micros: member.value)
            case "localEndpoint": service = member.value["serviceName"]?.string ?? ""
            case "remoteEndpoint": remote = member.value
            case "tags":
                guard case .object(let tags) = member.value else { continue }
                attributes.reserveCapacity(tags.members.count)
                for tag in tags.members { attributes.append(Attribute(tag.key, .string(tag.value.text ?? ""))) }
            case "annotations": events = decodeAnnotations(member.value)
            case "shared": shared = member.value.bool ?? false
            case "debug": debug = member.value.bool ?? false
            default: continue
            }
        }
        guard let traceID else {
            return SpanRejection.make("Zipkin span has no valid traceId", json: json, origin: origin)
        }
        guard let spanID else {
            return SpanRejection.make("Zipkin span has no valid id", json: json, origin: origin)
        }
        if sawTimestamp && start == nil {
            return SpanRejection.make(
                "Zipkin span timestamp is not a number of microseconds", json: json, origin: origin)
        }
        // A span reported without a timestamp (a late half) is placed at its first annotation.
        guard let start = start ?? events.map(\.time).min() else {
            return SpanRejection.make("Zipkin span has no timestamp or annotations", json: json, origin: origin)
        }
        guard let duration else {
            return SpanRejection.make(
                "Zipkin span duration is not a number of microseconds", json: json, origin: origin)
        }
        if service.isEmpty || service == "unknown" { service = "unknown_service" }
        if let remote { appendRemoteEndpoint(remote, to: &attributes) }
        let (status, message) = statusFacts(attributes)
        return .span(
            SpanRecord(
                traceID: traceID, spanID: spanID, parentSpanID: parentID, service: service, name: name, kind: kind,
                startTime: start, endTime: start &+ duration, status: status, statusMessage: message,
                attributes: attributes, resource: [Attribute("service.name", .string(service))], events: events,
                flags: debug ? 2 : 0, isSharedServerHalf: shared, origin: origin))
    }

    /// Status from the tags: `error` (any value, which is the message), or `otel.status_code`.
    static func statusFacts(_ tags: [Attribute]) -> (SpanStatus, String) {
        var status = SpanStatus.unset
        var message = ""
        var description = ""
        for tag in tags {
            switch tag.key {
            case "error":
                status = .error
                message = tag.value.text
            case "otel.status_code":
                switch tag.value.text.uppercased() {
                case "ERROR": status = .error
                case "OK" where status != .error: status = .ok
                default: break
                }
            case "otel.status_description":
                description = tag.value.text
            default:
                continue
            }
        }
        if message.isEmpty { message = description }
        return (status, message)
    }

    /// Annotations as events named by their value.
    private static func decodeAnnotations(_ json: JSONValue) -> [SpanEvent] {
        guard case .array(let annotations) = json else { return [] }
        return annotations.compactMap { annotation in
            guard let time = annotation["timestamp"].flatMap({ nanos(micros: $0) }) else { return nil }
            return SpanEvent(time: time, name: annotation["value"]?.text ?? "")
        }
    }

    /// The remote endpoint as the OTel attributes its Zipkin exporter reads them from, when not already tagged.
    private static func appendRemoteEndpoint(_ remote: JSONValue, to attributes: inout [Attribute]) {
        if let service = remote["serviceName"]?.string, !service.isEmpty, attributes[key: "peer.service"] == nil {
            attributes.append(Attribute("peer.service", .string(service)))
        }
        if let address = (remote["ipv4"] ?? remote["ipv6"])?.string, attributes[key: "net.peer.ip"] == nil {
            attributes.append(Attribute("net.peer.ip", .string(address)))
        }
        if let port = remote["port"]?.int64, attributes[key: "net.peer.port"] == nil {
            attributes.append(Attribute("net.peer.port", .int(port)))
        }
    }
}
