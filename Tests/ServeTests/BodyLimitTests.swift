import HTTPTypes
import HummingbirdTesting
import OTLPProto
import Serve
import SwiftProtobuf
import Testing
import TraceJoinCore

@Suite("Request body limit")
struct BodyLimitTests {
    static let limit = 4096

    @Test("a body over the limit gets 413 with RESOURCE_EXHAUSTED and never reaches the intake")
    func rawBodyOverLimit() async throws {
        let intake = RecordingIntake()
        let response = try await RunningReceiver.with(intake: intake, configure: { $0.maxBodyBytes = Self.limit }) {
            try await $0.post(
                "/v1/traces", contentType: "application/x-protobuf", body: Array(repeating: 7, count: Self.limit + 1))
        }
        #expect(response.status == .contentTooLarge)
        #expect(response.headers[.contentType] == "application/x-protobuf")
        #expect(try decodeStatus(response, .protobuf).code == 8)
        #expect(intake.submissionCount == 0)
    }

    @Test("a body of exactly the limit is taken")
    func bodyAtLimit() async throws {
        let intake = RecordingIntake()
        let body = [UInt8](repeating: 7, count: Self.limit)
        let response = try await RunningReceiver.with(intake: intake, configure: { $0.maxBodyBytes = Self.limit }) {
            try await $0.post("/v1/traces", contentType: "application/x-protobuf", body: body)
        }
        #expect(response.status == .ok)
        #expect(intake.submissions.map(\.body) == [body])
    }

    @Test("a chunked body without Content-Length is counted as it streams: 413 over the limit, whole under it")
    func chunkedBodies() async throws {
        let intake = RecordingIntake()
        let small = try ExportBodies.logsJSON()
        let large = [UInt8](repeating: 0x20, count: Self.limit * 3) + small
        let (tooLarge, fits) = try await RunningReceiver.with(
            intake: intake, configure: { $0.maxBodyBytes = Self.limit }
        ) {
            receiver in
            let url = "http://\(receiver.address)/v1/logs"
            return (
                try Tools.postChunked(large, to: url, contentType: "application/json"),
                try Tools.postChunked(small, to: url, contentType: "application/json")
            )
        }
        #expect(tooLarge.status == 413)
        #expect(try Google_Rpc_Status(jsonUTF8Bytes: tooLarge.body).code == 8)
        #expect(fits.status == 200)
        #expect(intake.submissions.map(\.body) == [small])
    }

    @Test("a small gzip body that inflates past the limit gets 413 (no gzip bomb)")
    func gzipBomb() async throws {
        let intake = RecordingIntake()
        let limit = 1 << 20
        let bomb = try Tools.gzip([UInt8](repeating: 0, count: 16 << 20))
        #expect(bomb.count < limit / 16)
        let response = try await RunningReceiver.with(intake: intake, configure: { $0.maxBodyBytes = limit }) {
            try await $0.post("/v1/traces", contentType: "application/x-protobuf", contentEncoding: "gzip", body: bomb)
        }
        #expect(response.status == .contentTooLarge)
        #expect(
            try decodeStatus(response, .protobuf).message.contains("inflates to more than the limit of 1048576 bytes"))
        #expect(intake.submissionCount == 0)
    }

    @Test("a gzip body that inflates to exactly the limit is taken")
    func gzipAtLimit() async throws {
        let intake = RecordingIntake()
        let body = [UInt8](repeating: 9, count: Self.limit)
        let response = try await RunningReceiver.with(intake: intake, configure: { $0.maxBodyBytes = Self.limit }) {
            try await $0.post(
                "/v1/traces", contentType: "application/x-protobuf", contentEncoding: "gzip", body: try Tools.gzip(body)
            )
        }
        #expect(response.status == .ok)
        #expect(intake.submissions.map(\.body) == [body])
    }
}
