import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct OTLPLogDecodingTests {
    @Test("the proto repo's log example joins its span and keeps every attribute kind")
    func protoLogExample() throws {
        let records = try SpanFixtures.records("otlp/logs.json")
        let log = try #require(records.logRecords.first)
        #expect(records.count == 1)
        #expect(log.time == 1_544_712_660_300_000_000)
        #expect(log.severity == .info)
        #expect(log.severityText == "Information")
        #expect(log.message == "Example log record")
        #expect(log.service == "my.service")
        #expect(log.serviceFromFileName == false)
        #expect(log.trace == .full(try #require(TraceID(hex: "5b8efff798038103d269b633813fc60c"))))
        #expect(log.spanID?.hex == "eee19b7ec3c1b174")
        #expect(log.attributes[key: "int.attribute"] == .int(10))
        #expect(log.attributes[key: "double.attribute"] == .double(637.704))
        #expect(log.attributes[key: "array.attribute"] == .array([.string("many"), .string("values")]))
        #expect(
            log.attributes[key: "map.attribute"] == .keyValueList([Attribute("some.map.key", .string("some value"))]))
    }

    @Test("an event record's kvlist body becomes JSON text and its event name an attribute")
    func eventBody() throws {
        let log = try #require(try SpanFixtures.records("otlp/events.json").logRecords.first)
        #expect(log.message.hasPrefix(#"{"type":0,"url":"#))
        #expect(log.attributes[key: "event.name"] == .string("browser.page_view"))
        #expect(log.trace == nil)
    }

    @Test("time 0 falls back to the observed time; severity names, flags and snake_case are read")
    func quirks() throws {
        let logs = try SpanFixtures.records("otlp-quirks/logs-quirks.jsonl").logRecords
        #expect(logs.count == 2)
        let first = try #require(logs.first)
        #expect(first.time == 1_764_064_800_500_000_000)
        #expect(first.severity == .warn)
        #expect(first.severityText == "WARN")
        #expect(first.service == "worker")
        #expect(first.sampled == true)
        #expect(first.spanID?.hex == "00f067aa0ba902b7")
        #expect(first.attributes[key: "otelTraceID"] != nil, "the repeated trace ID attribute stays")

        let second = try #require(logs.last)
        #expect(second.time == 1_764_064_800_600_000_000)
        #expect(second.severity == .error, "severity text is used when there is no number")
        #expect(second.trace == nil, "an empty trace ID means none")
        #expect(second.spanID == nil)
        #expect(second.sampled == nil)
        #expect(second.message == #"{"code":7}"#)
    }

    @Test(
        "severity numbers and names map onto OTLP's bands",
        arguments: [
            ("1", LogSeverity.trace), ("\"SEVERITY_NUMBER_DEBUG3\"", .debug), ("\"SEVERITY_NUMBER_INFO\"", .info),
            ("14", .warn), ("\"SEVERITY_NUMBER_ERROR\"", .error), ("\"SEVERITY_NUMBER_FATAL4\"", .fatal),
            ("\"17\"", .error),
        ])
    func severities(number: String, expected: LogSeverity) throws {
        let document = try SpanFixtures.json(
            #"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"5","severityNumber":\#(number)}]}]}]}"#)
        let log = try #require(OTLPJSONDecoder.decode(document, origin: Samples.origin).logRecords.first)
        #expect(log.severity == expected)
        #expect(log.service == "unknown_service")
    }
}
