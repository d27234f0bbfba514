package import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
package import TraceJoinCore

/// The read side of tracejoin over HTTP (issue #17): the Jaeger query API that Grafana's Jaeger data source and
/// Jaeger UI call, answered from a ``TraceQueryBackend``. A `Service`: `tracejoin ui` runs it in a `ServiceGroup`,
/// and on graceful shutdown it stops accepting connections and finishes the requests in flight.
package struct QueryServer: Service {
    package let configuration: QueryServerConfiguration
    private let backend: any TraceQueryBackend
    private let onListening: @Sendable (_ host: String, _ port: Int) async -> Void

    /// - Parameter onListening: called once the socket is bound, with the address it got.
    package init(
        configuration: QueryServerConfiguration = QueryServerConfiguration(), backend: any TraceQueryBackend,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        self.backend = backend
        self.onListening = onListening
    }

    package func run() async throws {
        try await makeApplication().run()
    }

    /// The Hummingbird application behind the server.
    package func makeApplication() -> some ApplicationProtocol {
        let logger = configuration.logger
        let responder = QueryResponder(
            backend: backend, token: configuration.token, logger: logger, wallClockNanos: configuration.wallClockNanos)
        let requestedHost = configuration.host
        let onListening = self.onListening
        return Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "tracejoin"),
            onServerRunning: { channel in
                let host = channel.localAddress?.ipAddress ?? requestedHost
                let port = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
                logger.info(
                    "query server listening on http://\(shown): Jaeger API under /api",
                    metadata: ["host": "\(host)", "port": "\(port)"])
                await onListening(host, port)
            },
            logger: logger)
    }
}
