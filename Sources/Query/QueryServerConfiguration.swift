import Foundation
package import Logging

/// Settings of the query server (`tracejoin ui`).
///
/// - `host` (string, default `127.0.0.1`): address to listen on. Anything but loopback needs a `token`: the CLI
///   refuses to start without one (see ``isLoopback(_:)``).
/// - `port` (int, default 16686, jaeger-query's port, where Grafana and Jaeger UI look by default): 0 picks any
///   free port (tests); ``QueryServer`` reports the one it got.
/// - `token`: when set, every request must carry `Authorization: Bearer <token>`, else 401.
/// - `idleTimeout` (duration, default 75 s): a kept-alive connection idle this long is closed.
/// - `logger`: where it says where it listens, and why a read failed (never request values).
/// - `wallClockNanos`: the time now (ns since the epoch), for requests that default to "until now"
///   (`/api/dependencies` without `endTs`); tests pass a fixed one.
package struct QueryServerConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var token: BearerToken?
    package var idleTimeout: Duration
    package var logger: Logger
    package var wallClockNanos: @Sendable () -> Int64

    package static let defaultHost = "127.0.0.1"
    package static let defaultPort = 16686

    package init(
        host: String = QueryServerConfiguration.defaultHost, port: Int = QueryServerConfiguration.defaultPort,
        token: BearerToken? = nil, idleTimeout: Duration = .seconds(75),
        logger: Logger = Logger(label: "tracejoin.ui"),
        wallClockNanos: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1e9) }
    ) {
        self.wallClockNanos = wallClockNanos
        self.host = host
        self.port = port
        self.token = token
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// Whether `host` keeps the server to this machine: `localhost`, `::1` or an address in 127.0.0.0/8.
    package static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
