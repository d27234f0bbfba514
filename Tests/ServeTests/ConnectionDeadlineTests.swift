import NIOCore
import Serve
import Testing

/// The deadline state machine as a table: what the client did, and what the timer then does.
@Suite struct ConnectionDeadlineTests {
    static let opened = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func at(_ seconds: Int64) -> NIODeadline { opened + .seconds(seconds) }

    static func machine() -> ConnectionDeadline {
        ConnectionDeadline(openedAt: opened, headerTimeout: .seconds(10), idleTimeout: .seconds(30))
    }

    @Test("a new connection without a head is closed at the header timeout, and may be closed to make room")
    func firstHead() {
        let deadline = Self.machine()
        #expect(deadline.isAwaitingRequest)
        #expect(deadline.timerFired(at: Self.at(9)) == .wait(until: Self.at(10)))
        #expect(deadline.timerFired(at: Self.at(10)) == .close(.headerTimeout))
    }

    @Test("inside a body the client gets the idle timeout from its last part; the request is busy")
    func body() {
        var deadline = Self.machine()
        deadline.readHead(at: Self.at(1))
        deadline.readBody(at: Self.at(20))
        #expect(!deadline.isAwaitingRequest)
        #expect(deadline.timerFired(at: Self.at(40)) == .wait(until: Self.at(50)))
        #expect(deadline.timerFired(at: Self.at(50)) == .close(.idleTimeout))
    }

    @Test("while a request read whole is answered there is no deadline; after the answer, the idle timeout")
    func answering() {
        var deadline = Self.machine()
        deadline.readHead(at: Self.at(1))
        deadline.readEnd(at: Self.at(2))
        #expect(deadline.timerFired(at: Self.at(500)) == .keepOpen)
        deadline.answered(at: Self.at(600))
        #expect(deadline.isAwaitingRequest)
        #expect(deadline.timerFired(at: Self.at(629)) == .wait(until: Self.at(630)))
        #expect(deadline.timerFired(at: Self.at(630)) == .close(.idleTimeout))
    }

    @Test("a pipelined request read before the first answer keeps the connection busy until both are answered")
    func pipelined() {
        var deadline = Self.machine()
        for second: Int64 in [1, 2] {
            deadline.readHead(at: Self.at(second))
            deadline.readEnd(at: Self.at(second))
        }
        deadline.answered(at: Self.at(3))
        #expect(!deadline.isAwaitingRequest)
        #expect(deadline.timerFired(at: Self.at(100)) == .keepOpen)
        deadline.answered(at: Self.at(4))
        #expect(deadline.isAwaitingRequest)
    }
}
