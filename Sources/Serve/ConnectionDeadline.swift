package import NIOCore

/// How long one receiver connection may keep us waiting, as a state machine: the handler tells it what was
/// read and answered, and asks it, when its timer fires, whether to close the connection.
///
/// - A new connection has `headerTimeout` to send a complete request head, so a head that never ends
///   (slowloris) cannot hold a connection for longer.
/// - Between requests (keep-alive), and between the parts of a request body, the client has `idleTimeout`.
/// - While a request that was read whole is being answered (the answer waits for the commit) there is no
///   limit: then the client waits for us, and shutdown has its own.
///
/// Time comes in as arguments, so tests drive it with any `NIODeadline`.
package struct ConnectionDeadline: Sendable {
    /// What the handler does when its timer fires.
    package enum Action: Equatable, Sendable {
        case close(ConnectionCloseReason)
        /// The deadline moved (more was read): fire again then.
        case wait(until: NIODeadline)
        /// A request is being answered: no deadline now.
        case keepOpen
    }

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    /// When the connection closes unless something changes, and why; nil while a request is answered.
    package private(set) var deadline: NIODeadline?
    private var reason = ConnectionCloseReason.headerTimeout
    /// Requests whose head was read and whose answer was not written yet.
    private var unanswered = 0
    /// A head was read and its end not yet.
    private var readingRequest = false

    package init(openedAt now: NIODeadline, headerTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.deadline = now + headerTimeout
    }

    /// Whether the connection waits for a request and has none in progress (perhaps half a head): the kind
    /// the connection cap may close to make room.
    package var isAwaitingRequest: Bool { unanswered == 0 }

    package mutating func readHead(at now: NIODeadline) {
        unanswered += 1
        readingRequest = true
        update(now)
    }

    package mutating func readBody(at now: NIODeadline) {
        update(now)
    }

    package mutating func readEnd(at now: NIODeadline) {
        readingRequest = false
        update(now)
    }

    /// The end of an answer was written.
    package mutating func answered(at now: NIODeadline) {
        unanswered = max(0, unanswered - 1)
        update(now)
    }

    package func timerFired(at now: NIODeadline) -> Action {
        guard let deadline else { return .keepOpen }
        return now >= deadline ? .close(reason) : .wait(until: deadline)
    }

    private mutating func update(_ now: NIODeadline) {
        if readingRequest || unanswered == 0 {
            // Waiting for the client: the rest of a body, or the next request on a kept-alive connection.
            deadline = now + idleTimeout
            reason = .idleTimeout
        } else {
            deadline = nil
        }
    }
}

/// Why the receiver closed a connection itself (`tracejoin_receiver_connections_closed_total{reason}`).
package enum ConnectionCloseReason: String, Sendable {
    /// No complete request head within the header timeout.
    case headerTimeout = "header_timeout"
    /// Nothing from the client for the idle timeout, between requests or inside a body.
    case idleTimeout = "idle_timeout"
    /// Closed to make room for a new connection at the cap.
    case evicted
    /// New connection closed at the cap, every open one being busy.
    case refused
}
