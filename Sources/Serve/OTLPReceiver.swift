package import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import ServiceLifecycle
package import TraceJoinCore

/// The OTLP/HTTP receiver: `POST /v1/traces` and `POST /v1/logs` into an ``OTLPIntake``, plus `GET /healthz`,
/// `/readyz` and `/metrics`. A `Service`, so `tracejoin serve` runs it in one `ServiceGroup` with the writer;
/// on graceful shutdown it stops accepting connections and finishes the requests in flight.
///
/// An export is answered 200 only after the intake says its records are committed, so an acknowledged export
/// is durable and an exporter that gets anything else can retry. See docs/receiver.md for each status code.
package struct OTLPReceiver: Service {
    package let configuration: OTLPReceiverConfiguration
    private let intake: any OTLPIntake
    private let onListening: @Sendable (OTLPReceiverAddress) async -> Void

    /// - Parameter onListening: called once the socket is bound, with the address it got (the port, when
    ///   `configuration.port` is 0). The receiver logs it too.
    package init(
        configuration: OTLPReceiverConfiguration = OTLPReceiverConfiguration(), intake: any OTLPIntake,
        onListening: @escaping @Sendable (OTLPReceiverAddress) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.intake = intake
        self.onListening = onListening
    }

    package func run() async throws {
        try await makeApplication().run()
    }

    /// The Hummingbird application behind the receiver, to run directly or add to a `ServiceGroup`.
    package func makeApplication() -> some ApplicationProtocol {
        let metrics = OTLPReceiverMetrics(factory: configuration.metricsFactory ?? MetricsSystem.factory)
        let responder = OTLPReceiverResponder(
            intake: intake, maxBodyBytes: configuration.maxBodyBytes, metricsText: configuration.metricsText,
            metrics: metrics)
        let registry = ConnectionRegistry(limit: configuration.maxConnections)
        let (headerTimeout, idleTimeout) = (
            TimeAmount(configuration.headerTimeout), TimeAmount(configuration.idleTimeout)
        )
        let server = HTTPServerBuilder { responder in
            ReceiverHTTP1Channel(
                responder: responder, headerTimeout: headerTimeout, idleTimeout: idleTimeout, registry: registry,
                onClose: metrics.recordConnectionClosed)
        }
        let logger = configuration.logger
        let requestedHost = configuration.host
        let onListening = self.onListening
        return Application(
            responder: responder, server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "tracejoin"),
            onServerRunning: { channel in
                let address = OTLPReceiverAddress(
                    host: channel.localAddress?.ipAddress ?? requestedHost, port: channel.localAddress?.port ?? 0)
                logger.info(
                    "OTLP/HTTP receiver listening on \(address): POST /v1/traces, /v1/logs",
                    metadata: ["host": "\(address.host)", "port": "\(address.port)"])
                await onListening(address)
            },
            logger: logger)
    }
}

/// Where the receiver listens, as the socket reports it.
package struct OTLPReceiverAddress: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
