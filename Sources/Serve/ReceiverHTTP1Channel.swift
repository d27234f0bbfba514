import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 channel with the receiver's connection handling: the connection cap, the header
/// and idle timeouts (``ConnectionGuardHandler``) and closing after an HTTP/1.0 answer
/// (``HTTP1ConnectionCloseHandler``).
///
/// The pipeline is `HTTP1Channel.setup`'s, with two handlers added; it is built here rather than through
/// `HTTP1Channel.Configuration.additionalChannelHandlers` because the HTTP/1.0 handler must see the request
/// before its version is dropped.
struct ReceiverHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let headerTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let registry: ConnectionRegistry
    let onClose: @Sendable (ConnectionCloseReason) -> Void

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let decoder = HTTP1Channel.Configuration.DecoderConfiguration()  // Hummingbird's header limits
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = decoder.maxHeaderFieldSize
            decoderLimits.maxHeaderListSize = decoder.maxHeaderListSize
            decoderLimits.maxHeaderFieldCount = decoder.maxHeaderFieldCount
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // NIOAsyncChannel answers requests in order
                withErrorHandling: false,  // Hummingbird answers parse errors itself
                withOutboundHeaderValidation: false,  // HTTPTypes validated them
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: decoderLimits)
            try pipeline.addHandler(HTTP1ConnectionCloseHandler())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(
                ConnectionGuardHandler(
                    headerTimeout: headerTimeout, idleTimeout: idleTimeout, registry: registry, logger: logger,
                    onClose: onClose))
            // Without an idle timeout of its own: it still lets requests in flight finish on graceful shutdown.
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
