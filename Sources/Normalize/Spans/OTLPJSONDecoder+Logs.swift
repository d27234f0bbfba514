import TraceJoinCore

/// OTLP log records (`LogsData`, as the Collector file exporter and SDK JSON exporters write them).
extension OTLPJSONDecoder {
    static func decodeResourceLogs(_ json: JSONValue, into records: inout [Record], counter: inout OrdinalCounter) {
        guard case .object(let object) = json else { return }
        var resource: JSONValue?
        var scopeLists: [JSONValue] = []
        for member in object.members {
            switch member.key {
            case "resource": resource = member.value
            case "scopeLogs", "scope_logs", "instrumentationLibraryLogs", "instrumentation_library_logs":
                scopeLists.append(member.value)
            default: continue
            }
        }
        let context = resourceContext(resource)
        for list in scopeLists {
            for scopeLogs in list.array ?? [] {
                guard let logRecords = scopeLogs["logRecords"] ?? scopeLogs["log_records"],
                    case .array(let elements) = logRecords
                else { continue }
                for element in elements {
                    records.append(decodeLogRecord(element, context: context, origin: counter.take()))
                }
            }
        }
    }

    /// One log record. Its trace context is optional, so an unreadable trace ID leaves the record
    /// uncorrelated instead of rejecting it; only a record that is not an object is rejected.
    static func decodeLogRecord(_ json: JSONValue, context: ResourceContext, origin: InputLocation) -> Record {
        guard case .object(let object) = json else {
            return SpanRejection.make("log record is not a JSON object", json: json, origin: origin)
        }
        var time: Int64?
        var observedTime: Int64?
        var severityNumber: Int?
        var severityText = ""
        var message = ""
        var attributes: [Attribute] = []
        var traceID: TraceID?
        var spanID: SpanID?
        var flags: Int64?
        var eventName: String?
        for member in object.members {
            switch member.key {
            case "timeUnixNano", "time_unix_nano": time = OTLPValueReader.nanos(member.value)
            case "observedTimeUnixNano", "observed_time_unix_nano": observedTime = OTLPValueReader.nanos(member.value)
            case "severityNumber", "severity_number": severityNumber = OTLPValueReader.severityNumber(member.value)
            case "severityText", "severity_text": severityText = member.value.text ?? ""
            case "body": message = OTLPValueReader.text(member.value)
            case "attributes": attributes = OTLPValueReader.attributes(member.value)
            case "traceId", "trace_id": traceID = member.value.string.flatMap(SpanIdentifiers.traceID(_:))
            case "spanId", "span_id": spanID = member.value.string.flatMap(SpanIdentifiers.spanID(_:))
            case "flags": flags = member.value.int64
            case "eventName", "event_name": eventName = member.value.string
            default: continue
            }
        }
        if let eventName, !eventName.isEmpty { attributes.append(Attribute("event.name", .string(eventName))) }
        let severity: LogSeverity =
            if let severityNumber, severityNumber > 0 {
                LogSeverity(otlpNumber: severityNumber)
            } else {
                OTLPValueReader.severity(text: severityText)
            }
        // OTLP: time_unix_nano 0 means unknown; observed_time_unix_nano is when the collector saw it.
        let when = time.flatMap { $0 > 0 ? $0 : nil } ?? observedTime.flatMap { $0 > 0 ? $0 : nil }
        return .log(
            LogRecord(
                time: when, severity: severity, severityText: severityText, message: message,
                service: context.service, trace: traceID.map(TraceReference.full),
                spanID: traceID == nil ? nil : spanID,
                sampled: traceID == nil ? nil : flags.map { $0 & 1 != 0 }, attributes: attributes, origin: origin))
    }
}
