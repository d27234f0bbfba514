package import Logging
package import NIOCore
package import NIOHTTPTypes

/// Holds one receiver connection to its ``ConnectionDeadline`` and counts it in the ``ConnectionRegistry``:
/// admitted when it becomes active (closing it, or the connection waiting longest, at the cap), marked
/// waiting or busy as requests come and are answered, closed when its deadline passes.
///
/// Sits after the HTTP/1 decoder, so it sees whole request heads: a head that never ends reads as nothing.
/// Time comes from the channel's event loop (`EventLoop.now`, the monotonic clock of a real loop), so tests
/// drive the timeouts on an `EmbeddedChannel` by advancing its loop's clock.
package final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let registry: ConnectionRegistry
    private let onClose: @Sendable (ConnectionCloseReason) -> Void
    private let logger: Logger
    private var deadline: ConnectionDeadline?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    package init(
        headerTimeout: TimeAmount, idleTimeout: TimeAmount, registry: ConnectionRegistry, logger: Logger,
        onClose: @escaping @Sendable (ConnectionCloseReason) -> Void
    ) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.registry = registry
        self.logger = logger
        self.onClose = onClose
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    package func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        registry.remove(context.channel)
        context.fireChannelInactive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = context.eventLoop.now
        let wasWaiting = deadline?.isAwaitingRequest ?? false
        switch unwrapInboundIn(data) {
        case .head: deadline?.readHead(at: now)
        case .body: deadline?.readBody(at: now)
        case .end: deadline?.readEnd(at: now)
        }
        if wasWaiting, deadline?.isAwaitingRequest == false { registry.setWaiting(context.channel, false) }
        rescheduleIfSooner(context)
        context.fireChannelRead(data)
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            deadline?.answered(at: context.eventLoop.now)
            if deadline?.isAwaitingRequest == true { registry.setWaiting(context.channel, true) }
            rescheduleIfSooner(context)
        }
        context.write(data, promise: promise)
    }

    // MARK: - Admission and the timer

    private func start(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        deadline = ConnectionDeadline(
            openedAt: context.eventLoop.now, headerTimeout: headerTimeout, idleTimeout: idleTimeout)
        switch registry.admit(context.channel) {
        case .admitted:
            break
        case .admittedEvicting(let other):
            logger.debug("connection limit reached: closing the connection waiting longest for a request")
            onClose(.evicted)
            other.close(promise: nil)
        case .refused:
            logger.debug("connection limit reached and every connection busy: closing the new connection")
            onClose(.refused)
            context.close(promise: nil)
            return
        }
        rescheduleIfSooner(context)
    }

    /// Keeps one timer, at or before the deadline; a later deadline is found when the timer fires.
    private func rescheduleIfSooner(_ context: ChannelHandlerContext) {
        guard let due = deadline?.deadline else { return }
        if let timerDeadline, timerDeadline <= due { return }
        cancelTimer()
        timerDeadline = due
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: due) { [self] in
            timer = nil
            timerDeadline = nil
            timerFired(context)
        }
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        switch deadline?.timerFired(at: context.eventLoop.now) ?? .keepOpen {
        case .close(let reason):
            logger.debug("closing connection: \(reason.rawValue)")
            onClose(reason)
            context.close(promise: nil)
        case .wait:
            rescheduleIfSooner(context)
        case .keepOpen:
            break
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}
