import Foundation
import Normalize
import OTLPProto
import SwiftProtobuf
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The same OTLP data sent as JSON or as protobuf must become the same records.
///
/// Each JSON sample is read with SwiftProtobuf's own protobuf-JSON parser into the generated
/// message (an independent reading of the JSON), serialized to binary and decoded with
/// `OTLPProtobufDecoder`; the result is compared with `OTLPJSONDecoder` on the same JSON.
/// OTLP/JSON writes IDs as hex where protobuf-JSON expects base64, so IDs are converted first.
@Suite struct OTLPProtobufEquivalenceTests {
    typealias B = OTLPProtoBuilders

    /// OTLP samples whose every field survives protobuf; `collector-lines.jsonl` is left out because
    /// it uses the pre-1.0 `instrumentationLibrarySpans`, which the protobuf subset does not declare.
    static let samples = [
        "otlp/trace.json", "otlp/events.json", "otlp/logs.json", "otlp-quirks/base64-ids-enum-names.json",
        "otlp-quirks/every-anyvalue.json", "otlp-quirks/snake-case.jsonl", "otlp-quirks/logs-quirks.jsonl",
    ]

    @Test("JSON and protobuf of the same OTLP sample give the same records", arguments: samples)
    func sameRecords(sample: String) throws {
        let path = FixturePaths.fixture("formats/spans/" + sample)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let documents = sample.hasSuffix(".jsonl") ? text.split(separator: "\n").map(String.init) : [text]
        var checked = 0
        for document in documents {
            let origin = InputLocation(source: sample)
            let json = try JSONParser.parse(document)
            let expected = OTLPJSONDecoder.decode(json, origin: origin)
            let protobufJSON = Self.withBase64IDs(json)
            let isLogs = json["resourceLogs"] != nil || json["resource_logs"] != nil
            let actual: [Record]
            var options = JSONDecodingOptions()
            options.ignoreUnknownFields = true
            if isLogs {
                let request = try B.LogsRequest(jsonString: protobufJSON, options: options)
                actual = try OTLPProtobufDecoder.decodeLogs(B.body(request), origin: origin)
            } else {
                let request = try B.TraceRequest(jsonString: protobufJSON, options: options)
                actual = try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin)
            }
            try Self.expectSame(actual, expected, sample: sample)
            checked += actual.count
        }
        #expect(checked > 0, "\(sample) gave no records")
    }

    // MARK: - Comparison

    static func expectSame(_ actual: [Record], _ expected: [Record], sample: String) throws {
        try #require(actual.count == expected.count, "\(sample): record count")
        #expect(actual.recordOrigins == expected.recordOrigins, "\(sample): ordinals")
        for (protobuf, json) in zip(actual, expected) {
            switch (protobuf, json) {
            case (.span(let p), .span(let j)):
                #expect(p.traceID == j.traceID && p.spanID == j.spanID && p.parentSpanID == j.parentSpanID)
                #expect(p.name == j.name && p.service == j.service && p.kind == j.kind && p.scope == j.scope)
                #expect(p.startTime == j.startTime && p.endTime == j.endTime)
                #expect(p.status == j.status && p.statusMessage == j.statusMessage && p.flags == j.flags)
                #expect(p.attributes == j.attributes, "\(sample): span attributes")
                #expect(p.resource == j.resource, "\(sample): resource")
                #expect(p.events == j.events, "\(sample): events")
                #expect(p.links == j.links, "\(sample): links")
            case (.log(let p), .log(let j)):
                #expect(p.time == j.time && p.severity == j.severity && p.severityText == j.severityText)
                #expect(p.message == j.message && p.service == j.service)
                #expect(p.trace == j.trace && p.spanID == j.spanID)
                // Protobuf cannot say "flags: 0" apart from no flags; OTLP/JSON can.
                if j.sampled != false { #expect(p.sampled == j.sampled, "\(sample): sampled") }
                #expect(p.attributes == j.attributes, "\(sample): log attributes")
            case (.reject, .reject):
                continue
            default:
                Issue.record("\(sample): protobuf gave \(protobuf), JSON gave \(json)")
            }
        }
    }

    // MARK: - OTLP/JSON → protobuf-JSON

    static let idKeys: Set<String> = ["traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id"]

    /// The document as text with every hex ID rewritten as base64 of its bytes (base64 IDs stay).
    static func withBase64IDs(_ json: JSONValue) -> String {
        var writer = JSONWriter()
        writer.write(convertIDs(json))
        return writer.text
    }

    private static func convertIDs(_ json: JSONValue) -> JSONValue {
        switch json {
        case .array(let elements): return .array(elements.map(convertIDs))
        case .object(let object):
            var converted = JSONObject()
            for member in object.members {
                if idKeys.contains(member.key), let text = member.value.string,
                    text.utf8.count == 32 || text.utf8.count == 16, text.allSatisfy(\.isHexDigit)
                {
                    converted.members.append((member.key, .string(Base64.encode([UInt8](Data(hex: text))))))
                } else {
                    converted.members.append((member.key, convertIDs(member.value)))
                }
            }
            return .object(converted)
        default: return json
        }
    }
}
