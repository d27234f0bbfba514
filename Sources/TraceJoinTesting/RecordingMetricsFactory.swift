import Foundation
package import Metrics

/// A swift-metrics backend for tests that keeps every value recorded, by label and dimensions.
package final class RecordingMetricsFactory: MetricsFactory, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: [Int64]] = [:]

    package init() {}

    /// The sum of everything recorded under `label` with exactly these dimensions.
    package func sum(_ label: String, _ dimensions: [String: String] = [:]) -> Int64 {
        values(label, dimensions).reduce(0, +)
    }

    /// How many values were recorded (counter increments, timer samples, gauge settings).
    package func count(_ label: String, _ dimensions: [String: String] = [:]) -> Int {
        values(label, dimensions).count
    }

    /// The last value recorded: a gauge's current reading.
    package func last(_ label: String, _ dimensions: [String: String] = [:]) -> Int64? {
        values(label, dimensions).last
    }

    private static func key(_ label: String, _ dimensions: [String: String]) -> String {
        label + dimensions.sorted { $0.key < $1.key }.map { "|\($0.key)=\($0.value)" }.joined()
    }

    private func values(_ label: String, _ dimensions: [String: String]) -> [Int64] {
        lock.withLock { values[Self.key(label, dimensions)] ?? [] }
    }

    fileprivate func append(_ value: Int64, to key: String) { lock.withLock { values[key, default: []].append(value) } }

    private func handler(_ label: String, _ dimensions: [(String, String)]) -> Handler {
        Handler(factory: self, key: Self.key(label, Dictionary(dimensions, uniquingKeysWith: { $1 })))
    }

    package func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(label, dimensions)
    }

    package func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions)
    }

    package func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        handler(label, dimensions)
    }

    package func destroyCounter(_ handler: any CounterHandler) {}
    package func destroyRecorder(_ handler: any RecorderHandler) {}
    package func destroyTimer(_ handler: any TimerHandler) {}

    private final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let factory: RecordingMetricsFactory
        let key: String

        init(factory: RecordingMetricsFactory, key: String) {
            self.factory = factory
            self.key = key
        }

        func increment(by amount: Int64) { factory.append(amount, to: key) }
        func reset() {}
        func record(_ value: Int64) { factory.append(value, to: key) }
        func record(_ value: Double) { factory.append(Int64(value), to: key) }
        func recordNanoseconds(_ duration: Int64) { factory.append(duration, to: key) }
    }
}
