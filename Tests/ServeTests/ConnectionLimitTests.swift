import Foundation
import HTTPTypes
import HummingbirdTesting
import Serve
import Testing
import TraceJoinTesting

/// The receiver's connection handling over real loopback sockets: the header and idle timeouts, the
/// connection cap, and closing after an HTTP/1.0 answer.
@Suite struct ConnectionLimitTests {
    static let halfHead = "POST /v1/logs HTTP/1.1\r\nHost: x\r\n"

    @Test("an HTTP/1.0 request gets its answer and then the end of the connection")
    func http10Closes() async throws {
        try await RunningReceiver.with { receiver in
            let connection = try RawConnection(port: receiver.address.port)
            #expect(await connection.write("GET /healthz HTTP/1.0\r\n\r\n"))
            let (bytes, closed) = await connection.readUntilClosed(within: 10)
            let answer = String(decoding: bytes, as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "answer: \(answer.prefix(80))")
            #expect(answer.hasSuffix("alive\n"))
            #expect(closed, "the connection stayed open after an HTTP/1.0 answer")
        }
    }

    @Test("Connection: Close in any case ends the connection; HTTP/1.0 keep-alive and HTTP/1.1 keep it open")
    func keepAliveFollowsTheRequest() async throws {
        try await RunningReceiver.with { receiver in
            let closing = try RawConnection(port: receiver.address.port)
            #expect(await closing.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n"))
            #expect(await closing.readUntilClosed(within: 10).closed)

            for request in [
                "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
            ] {
                let kept = try RawConnection(port: receiver.address.port)
                #expect(await kept.write(request))
                let (bytes, closed) = await kept.readUntilClosed(within: 5)
                #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("alive\n"))
                #expect(!closed, "closed after \(request.prefix(24))")
            }
        }
    }

    @Test("a connection whose request head never ends is closed after the header timeout, not before")
    func headerTimeout() async throws {
        try await RunningReceiver.with(configure: { $0.headerTimeout = .seconds(1) }) { receiver in
            let connection = try RawConnection(port: receiver.address.port)
            let start = Date()
            #expect(await connection.write(Self.halfHead))
            let (bytes, closed) = await connection.readUntilClosed(within: 10)
            let waited = Date().timeIntervalSince(start)
            #expect(closed, "the half-open connection was not closed")
            #expect(bytes.isEmpty)
            #expect(waited >= 0.9, "closed after \(waited) s, before the header timeout")
        }
    }

    @Test(
        "a kept-alive connection is closed after the idle timeout; one that sends requests in time stays",
        .disabled("wall-clock idle timeout with 0.5 s windows failed in a clean-clone CI run; needs the injected clock"))
    func idleTimeout() async throws {
        try await RunningReceiver.with(configure: {
            $0.headerTimeout = .seconds(30)
            $0.idleTimeout = .seconds(1)
        }) { receiver in
            let idle = try RawConnection(port: receiver.address.port)
            #expect(await idle.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
            let start = Date()
            let (bytes, closed) = await idle.readUntilClosed(within: 10)
            #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("alive\n"))
            #expect(closed, "the idle connection was not closed")
            #expect(Date().timeIntervalSince(start) >= 0.9)

            let busy = try RawConnection(port: receiver.address.port)
            for _ in 0..<4 {
                #expect(await busy.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
                #expect(await busy.readUntilClosed(within: 0.5).closed == false)
            }
        }
    }

    @Test("at the connection cap, connections without a request make room: /healthz answers at once")
    func capEvictsWaitingConnections() async throws {
        try await RunningReceiver.with(configure: { $0.maxConnections = 8 }) { receiver in
            var halfOpen: [RawConnection] = []
            for _ in 0..<20 {
                let connection = try RawConnection(port: receiver.address.port)
                #expect(await connection.write(Self.halfHead))
                halfOpen.append(connection)
            }
            let started = Date()
            let answer = try await receiver.send(.get, "/healthz")
            #expect(answer.status == .ok)
            #expect(Date().timeIntervalSince(started) < 5)
            // 21 arrived for 8 places: at least 13 of the half-open ones were closed to make room.
            let closed = halfOpen.map { $0.isClosedByServer }
            #expect(closed.filter { $0 }.count >= 13, "closed: \(closed)")
        }
    }

    @Test("at the cap with every connection busy inside a request, a new connection is closed at once")
    func capRefusesWhenAllBusy() async throws {
        try await RunningReceiver.with(configure: { $0.maxConnections = 2 }) { receiver in
            var busy: [RawConnection] = []
            for _ in 0..<2 {
                let connection = try RawConnection(port: receiver.address.port)
                // A whole head and half the body: a request in progress, not to be closed for room.
                #expect(
                    await connection.write(
                        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"resourceLogs\":"))
                busy.append(connection)
            }
            try await Task.sleep(for: .milliseconds(300))
            let late = try RawConnection(port: receiver.address.port)
            #expect(await late.write(Self.halfHead))
            #expect(await late.readUntilClosed(within: 5).closed, "the connection over the cap was kept")
            #expect(busy.allSatisfy { !$0.isClosedByServer }, "a busy connection was closed to make room")
        }
    }
}
