import Foundation
import HTTPTypes
import HummingbirdTesting
import Serve
import Testing
import TraceJoinTesting

/// The receiver's connection handling over real loopback sockets: the header and idle timeouts, the
/// connection cap, and closing after an HTTP/1.0 answer.
///
/// These run beside the rest of the suite on a loaded machine, where the in-process server may answer
/// seconds late: they wait for an event with generous patience (it ends the wait as soon as it comes) and
/// check timeouts only from below, which load cannot break. ``ConnectionGuardHandlerTests`` checks the
/// timeouts to the millisecond on a manual clock.
@Suite struct ConnectionLimitTests {
    static let halfHead = "POST /v1/logs HTTP/1.1\r\nHost: x\r\n"

    @Test("an HTTP/1.0 request gets its answer and then the end of the connection")
    func http10Closes() async throws {
        try await RunningReceiver.with { receiver in
            let connection = try RawConnection(port: receiver.address.port)
            #expect(await connection.write("GET /healthz HTTP/1.0\r\n\r\n"))
            let (bytes, closed) = await connection.readUntilClosed(within: 60)
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
            #expect(await closing.readUntilClosed(within: 60).closed)

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
            // Before connecting: the server's header deadline starts when it accepts, later than this.
            let start = ContinuousClock.now
            let connection = try RawConnection(port: receiver.address.port)
            #expect(await connection.write(Self.halfHead))
            let (bytes, closed) = await connection.readUntilClosed(within: 60)
            let waited = ContinuousClock.now - start
            #expect(closed, "the half-open connection was not closed")
            #expect(bytes.isEmpty)
            #expect(waited >= .milliseconds(900), "closed after \(waited), before the header timeout")
        }
    }

    /// Timeout 2 s: a close before 1.5 s means the idle timeout did not apply (the header timeout is 60 s),
    /// no close within 60 s that nothing closes idle connections. That requests in time keep a connection
    /// open is `ConnectionGuardHandlerTests.activityKeepsOpen`: over sockets it would need the client to
    /// send again within a window that load can stretch.
    @Test("a kept-alive connection is closed after the idle timeout, not before")
    func idleTimeout() async throws {
        try await RunningReceiver.with(configure: {
            $0.headerTimeout = .seconds(60)
            $0.idleTimeout = .seconds(2)
        }) { receiver in
            let idle = try RawConnection(port: receiver.address.port)
            // Before the request: the server's idle deadline starts after it answered, later than this.
            let start = ContinuousClock.now
            #expect(await idle.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
            let (bytes, closed) = await idle.readUntilClosed(within: 60)
            let waited = ContinuousClock.now - start
            #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("alive\n"))
            #expect(closed, "the idle connection was not closed")
            #expect(waited >= .milliseconds(1500), "closed after \(waited), before the idle timeout")
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
            // 20 taken in for 8 places make 12 closed to make room. Wait for that before /healthz: a half-open
            // connection the server accepted after /healthz's (under load it may accept late) would, at the cap,
            // close /healthz's connection while its head is still on the way, as the longest-waiting one.
            #expect(await Self.closedCount(of: halfOpen, reaching: 12) >= 12)
            let started = Date()
            let answer = try await receiver.send(.get, "/healthz")
            #expect(answer.status == .ok)
            // Well before the header timeout (60 s), which would also have made room.
            #expect(Date().timeIntervalSince(started) < 20)
            // 21 arrived for 8 places: 13 of the half-open ones were closed to make room.
            #expect(await Self.closedCount(of: halfOpen, reaching: 13) >= 13)
        }
    }

    /// How many of `connections` the server has closed, once that reaches `count` or after 60 s.
    static func closedCount(of connections: [RawConnection], reaching count: Int) async -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let closed = connections.filter(\.isClosedByServer).count
            if closed >= count || ContinuousClock.now >= deadline { return closed }
            try? await Task.sleep(for: .milliseconds(20))
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
            #expect(await late.readUntilClosed(within: 60).closed, "the connection over the cap was kept")
            #expect(busy.allSatisfy { !$0.isClosedByServer }, "a busy connection was closed to make room")
        }
    }
}
