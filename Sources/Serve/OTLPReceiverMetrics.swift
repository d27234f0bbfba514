import Metrics
import TraceJoinCore

/// The receiver's swift-metrics. Names follow Prometheus conventions, since the CLI exports them that way.
///
/// - `tracejoin_receiver_requests_total{signal, code}`: export requests by answer status.
/// - `tracejoin_receiver_request_duration_seconds{signal}`: from the request head to the answer, including
///   the wait for the database commit, which is most of it.
/// - `tracejoin_receiver_received_bytes_total{signal}`: body bytes as received (compressed).
/// - `tracejoin_receiver_records_total{signal, result}`: records accepted or rejected by the intake.
/// - `tracejoin_receiver_connections_closed_total{reason}`: connections the receiver closed itself
///   (``ConnectionCloseReason``: timeouts, and the connection cap).
struct OTLPReceiverMetrics: Sendable {
    let factory: any MetricsFactory

    func recordRequest(signal: OTLPSignal, statusCode: Int, duration: Duration, receivedBytes: Int) {
        Counter(
            label: "tracejoin_receiver_requests_total",
            dimensions: [("signal", signal.rawValue), ("code", String(statusCode))], factory: factory
        ).increment()
        Metrics.Timer(
            label: "tracejoin_receiver_request_duration_seconds", dimensions: [("signal", signal.rawValue)],
            factory: factory
        ).recordNanoseconds(duration.inNanoseconds)
        if receivedBytes > 0 {
            Counter(
                label: "tracejoin_receiver_received_bytes_total", dimensions: [("signal", signal.rawValue)],
                factory: factory
            ).increment(by: receivedBytes)
        }
    }

    func recordRecords(signal: OTLPSignal, accepted: Int, rejected: Int) {
        for (result, count) in [("accepted", accepted), ("rejected", rejected)] where count > 0 {
            Counter(
                label: "tracejoin_receiver_records_total",
                dimensions: [("signal", signal.rawValue), ("result", result)],
                factory: factory
            ).increment(by: count)
        }
    }

    func recordConnectionClosed(_ reason: ConnectionCloseReason) {
        Counter(
            label: "tracejoin_receiver_connections_closed_total", dimensions: [("reason", reason.rawValue)],
            factory: factory
        ).increment()
    }
}
