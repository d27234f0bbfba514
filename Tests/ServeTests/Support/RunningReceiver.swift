import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Serve
import ServiceLifecycle
import TraceJoinCore

/// A receiver listening on a free loopback port, and a real HTTP client for it.
struct RunningReceiver: Sendable {
    let address: OTLPReceiverAddress
    /// Begins a graceful shutdown (as SIGTERM would) while the test still runs.
    let beginShutdown: @Sendable () async -> Void

    /// Starts a receiver on 127.0.0.1, port 0, runs `body` against it and shuts it down gracefully.
    static func with<Value: Sendable>(
        intake: any OTLPIntake = RecordingIntake(),
        configure: (inout OTLPReceiverConfiguration) -> Void = { _ in },
        _ body: (RunningReceiver) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "tracejoin.serve.tests")
        logger.logLevel = .warning
        var configuration = OTLPReceiverConfiguration(host: "127.0.0.1", port: 0, logger: logger)
        configure(&configuration)
        let (addresses, continuation) = AsyncStream.makeStream(of: OTLPReceiverAddress.self)
        let receiver = OTLPReceiver(configuration: configuration, intake: intake) { address in
            continuation.yield(address)
            continuation.finish()
        }
        let group = ServiceGroup(services: [receiver], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = addresses.makeAsyncIterator()
            guard let address = await iterator.next() else { throw ReceiverDidNotStart() }
            do {
                let value = try await body(
                    RunningReceiver(address: address, beginShutdown: { await group.triggerGracefulShutdown() }))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// One request on a fresh connection.
    func send(
        _ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8]? = nil
    ) async throws -> TestClient.Response {
        try await TestClient.withClient(host: address.host, port: address.port) { client in
            try await client.execute(
                TestClient.Request(
                    path, method: method, authority: "localhost", headers: headers,
                    body: body.map { ByteBuffer(bytes: $0) }))
        }
    }

    func post(
        _ path: String, contentType: String?, contentEncoding: String? = nil, body: [UInt8]
    ) async throws -> TestClient.Response {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        if let contentEncoding { headers[.contentEncoding] = contentEncoding }
        return try await send(.post, path, headers: headers, body: body)
    }
}

struct ReceiverDidNotStart: Error {}

extension TestClient.Response {
    var bodyBytes: [UInt8] { body.map { Array($0.readableBytesView) } ?? [] }
    var bodyText: String { String(decoding: bodyBytes, as: UTF8.self) }
}
