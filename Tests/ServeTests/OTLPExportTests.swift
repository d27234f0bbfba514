import HTTPTypes
import HummingbirdTesting
import OTLPProto
import Serve
import SwiftProtobuf
import Testing
import TraceJoinCore

@Suite("OTLP exports that are stored")
struct OTLPExportTests {
    @Test("a protobuf trace export reaches the intake byte for byte and gets an empty protobuf response")
    func protobufTraces() async throws {
        let intake = RecordingIntake()
        let body = try ExportBodies.traceProtobuf()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/traces", contentType: "application/x-protobuf", body: body)
        }
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/x-protobuf")
        #expect(intake.submissions == [.init(body: body, signal: .traces, encoding: .protobuf)])
        let answer = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse(
            serializedBytes: response.bodyBytes)
        #expect(!answer.hasPartialSuccess)
    }

    @Test("a JSON log export with a charset parameter reaches the intake byte for byte and gets JSON back")
    func jsonLogs() async throws {
        let intake = RecordingIntake()
        let body = try ExportBodies.logsJSON()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/logs", contentType: "Application/JSON; charset=utf-8", body: body)
        }
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        #expect(intake.submissions == [.init(body: body, signal: .logs, encoding: .json)])
        let answer = try Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceResponse(
            jsonUTF8Bytes: response.bodyBytes)
        #expect(!answer.hasPartialSuccess)
    }

    @Test("a gzip body reaches the intake inflated, byte for byte", arguments: ["gzip", "GZIP", " gzip "])
    func gzipBody(contentEncoding: String) async throws {
        let intake = RecordingIntake()
        let body = try ExportBodies.traceProtobuf()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post(
                "/v1/traces", contentType: "application/x-protobuf", contentEncoding: contentEncoding,
                body: try Tools.gzip(body))
        }
        #expect(response.status == .ok)
        #expect(intake.submissions.map(\.body) == [body])
    }

    @Test("a multi-member gzip body inflates to the members one after the other, as gunzip does")
    func multiMemberGzip() async throws {
        let intake = RecordingIntake()
        let body = try ExportBodies.traceJSON()
        let half = body.count / 2
        let twoMembers = try Tools.gzip(Array(body[..<half])) + Tools.gzip(Array(body[half...]))
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/traces", contentType: "application/json", contentEncoding: "gzip", body: twoMembers)
        }
        #expect(response.status == .ok)
        #expect(intake.submissions.map(\.body) == [body])
    }

    @Test("Content-Encoding identity is the body as sent")
    func identityEncoding() async throws {
        let intake = RecordingIntake()
        let body = try ExportBodies.traceJSON()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/traces", contentType: "application/json", contentEncoding: "identity", body: body)
        }
        #expect(response.status == .ok)
        #expect(intake.submissions.map(\.body) == [body])
    }

    @Test("rejected spans come back as partial_success in a protobuf response")
    func partialSuccessProtobuf() async throws {
        let intake = RecordingIntake { _ in
            .stored(accepted: 3, rejected: 2, rejectionMessage: "2 spans rejected: start time missing")
        }
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post(
                "/v1/traces", contentType: "application/x-protobuf", body: try ExportBodies.traceProtobuf())
        }
        #expect(response.status == .ok)
        let answer = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse(
            serializedBytes: response.bodyBytes)
        #expect(answer.hasPartialSuccess)
        #expect(answer.partialSuccess.rejectedSpans == 2)
        #expect(answer.partialSuccess.errorMessage == "2 spans rejected: start time missing")
    }

    @Test("rejected log records come back as partial_success in a JSON response, with a message even if none given")
    func partialSuccessJSON() async throws {
        let intake = RecordingIntake { _ in .stored(accepted: 0, rejected: 1, rejectionMessage: nil) }
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/logs", contentType: "application/json", body: try ExportBodies.logsJSON())
        }
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        let answer = try Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceResponse(
            jsonUTF8Bytes: response.bodyBytes)
        #expect(answer.partialSuccess.rejectedLogRecords == 1)
        #expect(answer.partialSuccess.errorMessage == "1 log records rejected")
    }

    @Test("32 clients exporting at once are all answered, and every body reaches the intake")
    func concurrentClients() async throws {
        let intake = RecordingIntake()
        let bodies = try (0..<32).map { try ExportBodies.traceProtobuf(spanName: "span \($0)") }
        let statuses = try await RunningReceiver.with(intake: intake) { receiver in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for body in bodies {
                    group.addTask {
                        try await receiver.post("/v1/traces", contentType: "application/x-protobuf", body: body).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses == Array(repeating: .ok, count: 32))
        #expect(Set(intake.submissions.map(\.body)) == Set(bodies))
    }
}
