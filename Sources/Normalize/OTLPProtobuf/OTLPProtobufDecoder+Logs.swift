import Foundation
import OTLPProto
package import TraceJoinCore

/// OTLP log records from `POST /v1/logs` bodies.
extension OTLPProtobufDecoder {
    typealias ProtoLogRecord = Opentelemetry_Proto_Logs_V1_LogRecord

    /// The records in a protobuf `ExportLogsServiceRequest`.
    ///
    /// - Throws: a `Diagnostic` at `origin` when `body` is not a valid protobuf message.
    package static func decodeLogs(_ body: [UInt8], origin: InputLocation) throws(Diagnostic) -> [Record] {
        let request: LogsRequest = try parse(body, origin: origin, messageName: "ExportLogsServiceRequest")
        var records: [Record] = []
        var counter = OrdinalCounter(origin)
        for resourceLogs in request.resourceLogs {
            let context = resourceContext(resourceLogs.resource)
            for scopeLogs in resourceLogs.scopeLogs {
                records.reserveCapacity(records.count + scopeLogs.logRecords.count)
                for logRecord in scopeLogs.logRecords {
                    records.append(.log(decodeLogRecord(logRecord, context: context, origin: counter.take())))
                }
            }
        }
        return records
    }

    /// One log record. Its trace context is optional, so an invalid trace ID leaves the record
    /// uncorrelated rather than rejected (as in OTLP/JSON).
    ///
    /// `flags` 0 is what a sender that never sets flags writes, so it leaves `sampled` unknown.
    static func decodeLogRecord(
        _ record: ProtoLogRecord, context: OTLPJSONDecoder.ResourceContext, origin: InputLocation
    ) -> LogRecord {
        var attributes = OTLPProtobufValues.attributes(record.attributes)
        if !record.eventName.isEmpty { attributes.append(Attribute("event.name", .string(record.eventName))) }
        let severityNumber = record.severityNumber.rawValue
        let severity =
            severityNumber > 0
            ? LogSeverity(otlpNumber: severityNumber) : OTLPValueReader.severity(text: record.severityText)
        // OTLP: time_unix_nano 0 means unknown; observed_time_unix_nano is when the collector saw it.
        let time = Int64(exactly: record.timeUnixNano).flatMap { $0 > 0 ? $0 : nil }
        let observed = Int64(exactly: record.observedTimeUnixNano).flatMap { $0 > 0 ? $0 : nil }
        let traceID = traceID(record.traceID)
        return LogRecord(
            time: time ?? observed, severity: severity, severityText: record.severityText,
            message: OTLPProtobufValues.text(record.hasBody ? record.body : nil), service: context.service,
            trace: traceID.map(TraceReference.full), spanID: traceID == nil ? nil : spanID(record.spanID),
            sampled: traceID == nil || record.flags == 0 ? nil : record.flags & 1 != 0, attributes: attributes,
            origin: origin)
    }
}
