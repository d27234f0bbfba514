import Foundation
import Normalize
import OTLPProto
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct OTLPProtobufLogTests {
    typealias B = OTLPProtoBuilders
    let origin = InputLocation(source: "otlp-http")

    static func record(_ configure: (inout B.ProtoLogRecord) -> Void) -> B.ProtoLogRecord {
        var record = B.ProtoLogRecord()
        record.timeUnixNano = 1_764_064_800_500_000_000
        record.severityNumber = .warn
        record.severityText = "WARN"
        record.body.value = .stringValue("retrying payment")
        configure(&record)
        return record
    }

    func decode(_ records: [B.ProtoLogRecord], service: String? = "worker") throws -> [LogRecord] {
        let request = B.logsRequest(service: service, records: records)
        return try OTLPProtobufDecoder.decodeLogs(B.body(request), origin: origin).logRecords
    }

    @Test("a log record keeps time, severity, body, service, trace context and sampled flag")
    func logFields() throws {
        let logs = try decode([
            Self.record {
                $0.traceID = Data(hex: B.traceHex)
                $0.spanID = Data(hex: B.spanHex)
                $0.flags = 1
                $0.attributes = [B.keyValue("attempt", .intValue(2))]
                $0.eventName = "payment.retry"
            }
        ])
        let log = try #require(logs.first)
        #expect(log.time == 1_764_064_800_500_000_000)
        #expect(log.severity == .warn)
        #expect(log.severityText == "WARN")
        #expect(log.message == "retrying payment")
        #expect(log.service == "worker")
        #expect(log.trace == .full(try #require(TraceID(hex: B.traceHex))))
        #expect(log.spanID?.hex == B.spanHex)
        #expect(log.sampled == true)
        #expect(log.attributes == [Attribute("attempt", .int(2)), Attribute("event.name", .string("payment.retry"))])
        #expect(log.origin.ordinal == 0)
    }

    @Test("time 0 falls back to the observed time; severity text is used when there is no number")
    func fallbacks() throws {
        let log = try #require(
            try decode(
                [
                    Self.record {
                        $0.timeUnixNano = 0
                        $0.observedTimeUnixNano = 1_764_064_800_600_000_000
                        $0.severityNumber = .unspecified
                        $0.severityText = "ERROR"
                    }
                ], service: nil
            ).first)
        #expect(log.time == 1_764_064_800_600_000_000)
        #expect(log.severity == .error)
        #expect(log.service == "unknown_service")
    }

    @Test("an invalid trace ID leaves the record uncorrelated instead of rejecting it")
    func invalidTraceContext() throws {
        let log = try #require(
            try decode([
                Self.record {
                    $0.traceID = Data(count: 16)
                    $0.spanID = Data(hex: B.spanHex)
                    $0.flags = 1
                }
            ]).first)
        #expect(log.trace == nil)
        #expect(log.spanID == nil)
        #expect(log.sampled == nil)
        #expect(log.message == "retrying payment")
    }

    @Test("a structured body becomes JSON text and an empty body an empty message")
    func bodies() throws {
        var list = Opentelemetry_Proto_Common_V1_KeyValueList()
        list.values = [B.keyValue("order", .intValue(42))]
        let logs = try decode([
            Self.record { $0.body.value = .kvlistValue(list) },
            Self.record { $0.clearBody() },
        ])
        #expect(logs.map(\.message) == [AttributeValue.keyValueList([Attribute("order", .int(42))]).text, ""])
    }
}
