import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// What the long-running commands (`serve`, `tail`) set up around their services: swift-log to standard
/// error, swift-metrics into a Prometheus registry, and the service group that SIGTERM and SIGINT stop.
enum ServiceRuntime {
    /// Routes swift-log to standard error at `level` and returns the command's logger.
    static func bootstrap(level: LogLevel, label: String) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level.level
            return handler
        }
        var logger = Logger(label: label)
        logger.logLevel = level.level
        return logger
    }

    /// Sends every swift-metrics metric to one Prometheus registry; `text` renders it for `GET /metrics`.
    static func bootstrapMetrics() -> PrometheusMetrics {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return PrometheusMetrics(registry: registry)
    }

    /// Runs `services` in one group until they end or SIGTERM/SIGINT (at any time since exec, see
    /// `ServiceSignals`) shuts it down gracefully, in reverse order of `services`; whatever is still running
    /// after `shutdownLimit` is cancelled, so the process exits within the documented 10 s.
    static func run(_ services: [any Service], logger: Logger, shutdownLimit: Duration = .seconds(9)) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownLimit
        let group = ServiceGroup(configuration: configuration)
        ServiceSignals.shared.onShutdown { signal in
            logger.notice("\(signal): shutting down")
            Task { await group.triggerGracefulShutdown() }
        }
        try await group.run()
    }
}

/// The registry behind `GET /metrics`.
struct PrometheusMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    /// The Prometheus text exposition of every metric.
    var text: @Sendable () -> String {
        { [registry] in registry.emitToString() }
    }
}

/// `--log-level`: swift-log's levels by name.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}

/// `HOST:PORT` as given to `--otlp-http` (`[::1]:4318` for IPv6).
struct ListenAddress: Equatable {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
