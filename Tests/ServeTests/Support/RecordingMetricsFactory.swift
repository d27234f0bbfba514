import Metrics
import Synchronization

/// A swift-metrics factory that keeps what was recorded, keyed `label{name=value,...}` (dimensions sorted).
final class RecordingMetricsFactory: MetricsFactory {
    private let values = Mutex<[String: [Int64]]>([:])

    /// The sum of everything recorded under `label` with exactly these dimensions.
    func total(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        values.withLock { $0[Self.key(label, dimensions)]?.reduce(0, +) ?? 0 }
    }

    /// How many values were recorded (timer samples, counter increments).
    func count(_ label: String, _ dimensions: [(String, String)]) -> Int {
        values.withLock { $0[Self.key(label, dimensions)]?.count ?? 0 }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        let sorted = dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        return "\(label){\(sorted)}"
    }

    private func handler(_ label: String, _ dimensions: [(String, String)]) -> Handler {
        Handler(key: Self.key(label, dimensions), factory: self)
    }

    fileprivate func record(_ value: Int64, under key: String) {
        values.withLock { $0[key, default: []].append(value) }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(label, dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        handler(label, dimensions)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    private final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let key: String
        let factory: RecordingMetricsFactory

        init(key: String, factory: RecordingMetricsFactory) {
            self.key = key
            self.factory = factory
        }

        func increment(by amount: Int64) { factory.record(amount, under: key) }
        func reset() {}
        func record(_ value: Int64) { factory.record(value, under: key) }
        func record(_ value: Double) { factory.record(Int64(value), under: key) }
        func recordNanoseconds(_ duration: Int64) { factory.record(duration, under: key) }
    }
}
