package import Logging
package import Metrics

/// Settings of the OTLP/HTTP receiver (`tracejoin serve`).
///
/// - `host` (string, default `0.0.0.0`): address to listen on; `127.0.0.1` keeps it to this machine.
/// - `port` (int, default 4318, the OTLP/HTTP port exporters send to by default): 0 picks any free port
///   (tests); ``OTLPReceiver/onListening`` says which one.
/// - `maxBodyBytes` (int, default 8 MiB): the largest request body, checked on the bytes received
///   (`Content-Length` and the streamed body) and again after gzip is undone, so a small gzip body cannot
///   inflate into gigabytes. Larger requests get 413. An SDK's default batch (512 spans) is well under 1 MiB,
///   so 8 MiB leaves room for big attributes without letting one client fill memory.
/// - `headerTimeout` (duration, default 60 s, nginx's `client_header_timeout`): how long a new connection
///   may take to send a complete request head before it is closed, so a head that never ends (slowloris)
///   cannot hold a connection.
/// - `idleTimeout` (duration, default 75 s, nginx's `keepalive_timeout`): how long the client may send
///   nothing, between requests on a kept-alive connection or between the parts of a body, before the
///   connection is closed. While an answer waits for its commit there is no limit.
/// - `maxConnections` (int, default 1024): connections open at once. At the limit, the connection waiting
///   longest for a request is closed to make room; when all are busy, the new one is. The CLI keeps it below
///   half the process's descriptor limit, so `accept` never runs out of descriptors.
/// - `logger`: startup, refused requests and intake failures are logged here (never request bodies: PII).
/// - `metricsText`: what `GET /metrics` answers, in Prometheus text format; the CLI owns the registry.
///   `nil` leaves `/metrics` unserved (404).
/// - `metricsFactory`: where the receiver's swift-metrics go; `nil` uses the global `MetricsSystem`.
package struct OTLPReceiverConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var maxBodyBytes: Int
    package var headerTimeout: Duration
    package var idleTimeout: Duration
    package var maxConnections: Int
    package var logger: Logger
    package var metricsText: (@Sendable () -> String)?
    package var metricsFactory: (any MetricsFactory)?

    package static let defaultPort = 4318
    package static let defaultMaxBodyBytes = 8 << 20
    package static let defaultHeaderTimeout = Duration.seconds(60)
    package static let defaultIdleTimeout = Duration.seconds(75)
    package static let defaultMaxConnections = 1024

    package init(
        host: String = "0.0.0.0",
        port: Int = OTLPReceiverConfiguration.defaultPort,
        maxBodyBytes: Int = OTLPReceiverConfiguration.defaultMaxBodyBytes,
        headerTimeout: Duration = OTLPReceiverConfiguration.defaultHeaderTimeout,
        idleTimeout: Duration = OTLPReceiverConfiguration.defaultIdleTimeout,
        maxConnections: Int = OTLPReceiverConfiguration.defaultMaxConnections,
        logger: Logger = Logger(label: "tracejoin.serve"),
        metricsText: (@Sendable () -> String)? = nil,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.logger = logger
        self.metricsText = metricsText
        self.metricsFactory = metricsFactory
    }
}
