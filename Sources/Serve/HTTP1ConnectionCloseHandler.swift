import NIOCore
import NIOHTTP1

/// Ends the connection after the answer when the request did not ask to keep it: HTTP/1.0 without
/// `Connection: keep-alive`, or `Connection: close` in any spelling.
///
/// Hummingbird 2 ends its request loop only on the exact header value `close`, and the HTTP version is
/// gone once requests become version-independent HTTP types, so an HTTP/1.0 request got its answer and the
/// connection stayed open: a client that reads to EOF hung. Before that conversion, this handler sets such a
/// request's `Connection` to `close`, which ends Hummingbird's loop after the answer and finishes the output
/// (the client reads EOF), and marks the answer `Connection: close`.
/// — source: RFC 9112 §9.3 (persistence), §9.6 (tear-down)
final class HTTP1ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// For each request read and not answered yet, in order: whether the connection ends after its answer.
    private var closesAfter = CircularBuffer<Bool>()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let closes = !head.isKeepAlive
        closesAfter.append(closes)
        if closes { head.headers.replaceOrAdd(name: "connection", value: "close") }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200 && closesAfter.first == true:
            head.headers.replaceOrAdd(name: "connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            if !closesAfter.isEmpty { closesAfter.removeFirst() }
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
