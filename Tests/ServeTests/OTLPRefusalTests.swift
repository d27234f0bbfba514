import HTTPTypes
import HummingbirdTesting
import OTLPProto
import Serve
import SwiftProtobuf
import Testing
import TraceJoinCore

@Suite("OTLP exports that are refused")
struct OTLPRefusalTests {
    static let encodings: [(OTLPBodyEncoding, String)] = [
        (.protobuf, "application/x-protobuf"), (.json, "application/json"),
    ]

    @Test(
        "an undecodable body gets 400 with an INVALID_ARGUMENT Status in the request's encoding", arguments: encodings)
    func undecodable(encoding: OTLPBodyEncoding, contentType: String) async throws {
        let intake = RecordingIntake { _ in .undecodable(message: "body is not a valid ExportTraceServiceRequest") }
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/traces", contentType: contentType, body: Array("garbage".utf8))
        }
        #expect(response.status == .badRequest)
        #expect(response.headers[.contentType] == contentType)
        let status = try decodeStatus(response, encoding)
        #expect(status.code == 3)
        #expect(status.message == "body is not a valid ExportTraceServiceRequest")
        #expect(intake.submissions.map(\.encoding) == [encoding])
    }

    @Test("a full write queue gets 503 with Retry-After, so the exporter comes back later")
    func overloaded() async throws {
        let intake = RecordingIntake { _ in .overloaded(retryAfterSeconds: 7) }
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/logs", contentType: "application/x-protobuf", body: [])
        }
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == "7")
        #expect(try decodeStatus(response, .protobuf).code == 14)
    }

    @Test("an unavailable database gets 503 with its reason and no Retry-After")
    func unavailable() async throws {
        let intake = RecordingIntake { _ in .unavailable(message: "database is read-only") }
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/traces", contentType: "application/json", body: try ExportBodies.traceJSON())
        }
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == nil)
        let status = try decodeStatus(response, .json)
        #expect(status.code == 14)
        #expect(status.message == "database is read-only")
    }

    @Test(
        "a body in another media type gets 415 and never reaches the intake",
        arguments: ["text/plain", "application/grpc", "application/jsonl", "application/x-protobuffer", nil])
    func unsupportedContentType(contentType: String?) async throws {
        let intake = RecordingIntake()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/traces", contentType: contentType, body: try ExportBodies.traceJSON())
        }
        #expect(response.status == .unsupportedMediaType)
        #expect(intake.submissionCount == 0)
    }

    @Test("a Content-Encoding other than gzip or identity gets 415", arguments: ["br", "deflate", "zstd"])
    func unsupportedContentEncoding(contentEncoding: String) async throws {
        let intake = RecordingIntake()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post(
                "/v1/traces", contentType: "application/json", contentEncoding: contentEncoding,
                body: try ExportBodies.traceJSON())
        }
        #expect(response.status == .unsupportedMediaType)
        #expect(response.headers[.contentType] == "application/json")
        #expect(try decodeStatus(response, .json).message.contains("Content-Encoding"))
        #expect(intake.submissionCount == 0)
    }

    @Test(
        "another method on an export path gets 405 with Allow: POST",
        arguments: [HTTPRequest.Method.get, .put, .delete])
    func wrongMethod(method: HTTPRequest.Method) async throws {
        let intake = RecordingIntake()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.send(method, "/v1/traces", body: method == .get ? nil : [1, 2, 3])
        }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "POST")
        #expect(intake.submissionCount == 0)
    }

    @Test("other paths get 404", arguments: ["/", "/v1/metrics", "/v1/traces/", "/v2/traces"])
    func unknownPath(path: String) async throws {
        let intake = RecordingIntake()
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post(path, contentType: "application/json", body: try ExportBodies.traceJSON())
        }
        #expect(response.status == .notFound)
        #expect(intake.submissionCount == 0)
    }

    // MARK: - Broken gzip

    static let gzipDamages = [
        GzipDamage("bytes flipped inside the deflate data", expecting: "gzip body is corrupt") { gzip in
            var bytes = gzip
            for index in 12..<min(40, bytes.count - 8) { bytes[index] ^= 0x5a }
            return bytes
        },
        GzipDamage("the last 12 bytes cut off", expecting: "gzip body is truncated") { Array($0.dropLast(12)) },
        GzipDamage("plain JSON declared as gzip", expecting: "gzip body is corrupt") { _ in
            Array("{\"resourceLogs\": []}".utf8)
        },
        GzipDamage("junk after the member", expecting: "gzip body has 4 bytes after the last gzip member") {
            $0 + Array("junk".utf8)
        },
    ]

    @Test("a broken gzip body gets 400 with INVALID_ARGUMENT and never reaches the intake", arguments: gzipDamages)
    func brokenGzipBody(damage: GzipDamage) async throws {
        let intake = RecordingIntake()
        let body = damage.apply(try Tools.gzip(try ExportBodies.logsJSON()))
        let response = try await RunningReceiver.with(intake: intake) {
            try await $0.post("/v1/logs", contentType: "application/json", contentEncoding: "gzip", body: body)
        }
        #expect(response.status == .badRequest)
        let status = try decodeStatus(response, .json)
        #expect(status.code == 3)
        #expect(status.message.hasPrefix(damage.expectedMessage))
        #expect(intake.submissionCount == 0)
    }
}

/// The `google.rpc.Status` of an error answer, decoded the way its Content-Type says.
func decodeStatus(_ response: TestClient.Response, _ encoding: OTLPBodyEncoding) throws -> Google_Rpc_Status {
    switch encoding {
    case .protobuf: try Google_Rpc_Status(serializedBytes: response.bodyBytes)
    case .json: try Google_Rpc_Status(jsonUTF8Bytes: response.bodyBytes)
    }
}

/// One way a gzip body can be damaged, and the start of the message that should name it.
struct GzipDamage: Sendable, CustomTestStringConvertible {
    let name: String
    let expectedMessage: String
    let apply: @Sendable ([UInt8]) -> [UInt8]

    init(_ name: String, expecting expectedMessage: String, apply: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        self.name = name
        self.expectedMessage = expectedMessage
        self.apply = apply
    }

    var testDescription: String { name }
}
