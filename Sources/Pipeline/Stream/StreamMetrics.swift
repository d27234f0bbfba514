package import Metrics
import TraceJoinCore

/// What the streaming write path reports through swift-metrics (exported by `serve` at `/metrics`).
///
/// - `tracejoin_stream_queue_records`, `tracejoin_stream_queue_bytes` (gauges): accepted, not yet committed.
/// - `tracejoin_stream_write_batch_seconds` (timer): one group-commit transaction.
/// - `tracejoin_stream_records_total{signal, outcome}` (counter): `outcome` is `written` (spans or logs
///   committed), `rejected` (stored in `rejects`) or `dropped_by_rules` (a `drop-record` rule).
/// - `tracejoin_stream_requests_refused_total{reason}` (counter): `overloaded`, `undecodable`, `unavailable`.
/// - `tracejoin_open_traces` (gauge): dirty traces, whose summary is missing or stale; updated every pass
///   of the finalizer.
package final class StreamMetrics: Sendable {
    private let queueRecords: Gauge
    private let queueBytes: Gauge
    private let batchLatency: Timer
    private let openTraces: Gauge
    private let records: [String: Counter]
    private let refusals: [String: Counter]

    /// Metrics made by `factory` (default: the process-wide one the CLI bootstraps).
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        queueRecords = Gauge(label: "tracejoin_stream_queue_records", factory: factory)
        queueBytes = Gauge(label: "tracejoin_stream_queue_bytes", factory: factory)
        batchLatency = Timer(label: "tracejoin_stream_write_batch_seconds", factory: factory)
        openTraces = Gauge(label: "tracejoin_open_traces", factory: factory)
        var records: [String: Counter] = [:]
        for signal in OTLPSignal.allCases {
            for outcome in RecordOutcome.allCases {
                records[Self.key(signal, outcome)] = Counter(
                    label: "tracejoin_stream_records_total",
                    dimensions: [("signal", signal.rawValue), ("outcome", outcome.rawValue)], factory: factory)
            }
        }
        self.records = records
        var refusals: [String: Counter] = [:]
        for reason in ["overloaded", "undecodable", "unavailable"] {
            refusals[reason] = Counter(
                label: "tracejoin_stream_requests_refused_total", dimensions: [("reason", reason)], factory: factory)
        }
        self.refusals = refusals
    }

    enum RecordOutcome: String, CaseIterable {
        case written, rejected
        case droppedByRules = "dropped_by_rules"
    }

    func recordQueue(records: Int, bytes: Int) {
        queueRecords.record(records)
        queueBytes.record(bytes)
    }

    func recordBatch(_ duration: Duration) {
        batchLatency.recordNanoseconds(duration.inNanoseconds)
    }

    func recordOpenTraces(_ count: Int) {
        openTraces.record(count)
    }

    func count(_ amount: Int, _ signal: OTLPSignal, _ outcome: RecordOutcome) {
        guard amount > 0 else { return }
        records[Self.key(signal, outcome)]?.increment(by: amount)
    }

    /// Counts a request answered without storing anything.
    func refused(_ outcome: OTLPIntakeOutcome) {
        switch outcome {
        case .stored: return
        case .overloaded: refusals["overloaded"]?.increment()
        case .undecodable: refusals["undecodable"]?.increment()
        case .unavailable: refusals["unavailable"]?.increment()
        }
    }

    private static func key(_ signal: OTLPSignal, _ outcome: RecordOutcome) -> String {
        signal.rawValue + "/" + outcome.rawValue
    }
}
