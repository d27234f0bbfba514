import HTTPTypes
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Serve
import Testing

/// The receiver's connection handler with its timer, on an `EmbeddedChannel`: the loop's clock only moves
/// when the test advances it, so the header and idle timeouts are checked to the millisecond and a loaded
/// machine cannot make them pass or fail (issue #15, item 1).
@Suite struct ConnectionGuardHandlerTests {
    /// One connection through a ``ConnectionGuardHandler``, and the reasons it was closed for.
    struct Connection {
        let channel: EmbeddedChannel
        let reasons: NIOLockedValueBox<[ConnectionCloseReason]>

        init(headerTimeout: TimeAmount = .seconds(60), idleTimeout: TimeAmount = .seconds(75)) throws {
            let reasons = NIOLockedValueBox<[ConnectionCloseReason]>([])
            channel = EmbeddedChannel(
                handler: ConnectionGuardHandler(
                    headerTimeout: headerTimeout, idleTimeout: idleTimeout, registry: ConnectionRegistry(limit: 8),
                    logger: Logger(label: "tracejoin.serve.tests"),
                    onClose: { reason in reasons.withLockedValue { $0.append(reason) } }))
            self.reasons = reasons
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4318)).wait()
        }

        var isOpen: Bool { channel.isActive }
        var closedFor: [ConnectionCloseReason] { reasons.withLockedValue { $0 } }

        func advance(_ amount: TimeAmount) { channel.embeddedEventLoop.advanceTime(by: amount) }

        func head() throws {
            try channel.writeInbound(
                HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/v1/logs")))
        }

        func body() throws { try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "{}"))) }
        func end() throws { try channel.writeInbound(HTTPRequestPart.end(nil)) }

        func answer() throws {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }

        func finish() { _ = try? channel.finish(acceptAlreadyClosed: true) }
    }

    @Test("a connection that sends no whole head is closed at the header timeout, not a millisecond before")
    func headerTimeout() throws {
        let connection = try Connection(headerTimeout: .seconds(10))
        defer { connection.finish() }
        connection.advance(.milliseconds(9_999))
        #expect(connection.isOpen)
        connection.advance(.milliseconds(1))
        #expect(!connection.isOpen)
        #expect(connection.closedFor == [.headerTimeout])
    }

    @Test("after its answer a kept-alive connection has the idle timeout; while it is answered, no limit")
    func idleAfterAnswer() throws {
        let connection = try Connection(headerTimeout: .seconds(10), idleTimeout: .seconds(2))
        defer { connection.finish() }
        try connection.head()
        try connection.end()
        // Answering takes longer than both timeouts: the client waits for us, and is not cut off.
        connection.advance(.seconds(30))
        #expect(connection.isOpen)
        try connection.answer()
        connection.advance(.milliseconds(1_999))
        #expect(connection.isOpen)
        connection.advance(.milliseconds(1))
        #expect(!connection.isOpen)
        #expect(connection.closedFor == [.idleTimeout])
    }

    @Test("requests and body parts that come within the idle timeout keep a connection open far past it")
    func activityKeepsOpen() throws {
        let connection = try Connection(headerTimeout: .seconds(10), idleTimeout: .seconds(2))
        defer { connection.finish() }
        for _ in 0..<10 {
            try connection.head()
            connection.advance(.milliseconds(1_900))
            try connection.body()
            connection.advance(.milliseconds(1_900))
            try connection.end()
            try connection.answer()
            connection.advance(.milliseconds(1_900))
            #expect(connection.isOpen)
        }
        // 57 s after it opened, with the header timeout at 10 s and the idle timeout at 2 s.
        #expect(connection.closedFor.isEmpty)
        connection.advance(.milliseconds(100))
        #expect(!connection.isOpen)
        #expect(connection.closedFor == [.idleTimeout])
    }

    @Test("a body that stops arriving is closed at the idle timeout from its last part")
    func stalledBody() throws {
        let connection = try Connection(headerTimeout: .seconds(10), idleTimeout: .seconds(2))
        defer { connection.finish() }
        try connection.head()
        connection.advance(.milliseconds(1_500))
        try connection.body()
        connection.advance(.milliseconds(1_999))
        #expect(connection.isOpen)
        connection.advance(.milliseconds(1))
        #expect(!connection.isOpen)
        #expect(connection.closedFor == [.idleTimeout])
    }
}
