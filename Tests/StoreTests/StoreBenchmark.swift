import Foundation
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Write throughput of `IngestWriter` on 500,000 synthetic records: about 4 logs per span, 10% of logs
/// uncorrelated, traces of about 25 records interleaved 40 at a time (as in a busy service's log),
/// 10,000 records per batch. Run in a release build:
/// `TRACEJOIN_STORE_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter StoreBenchmark` (other test
/// targets import modules `@testable`, which a release build allows only with `-enable-testing`).
@Suite struct StoreBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["TRACEJOIN_STORE_BENCH"] != nil

    @Test("writes 500k records and prints records per second", .enabled(if: enabled))
    func throughput() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source("bench.log")
        let total = 500_000
        let batchSize = 10_000
        var generator = SplitMix64(seed: 42)
        let resource = [
            Attribute("service.name", .string("checkout")), Attribute("host.name", .string("node-7")),
            Attribute("k8s.pod.name", .string("checkout-7d9f8-abcde")),
        ]
        var records: [SourcedRecord] = []
        records.reserveCapacity(total)
        var window: [TraceID] = []
        var traces = Set<TraceID>()
        for index in 0..<total {
            if index % 1_000 == 0 {
                window = (0..<40).map { _ in TraceID(high: generator.next(), low: generator.next()) }
            }
            let trace = window[Int(generator.next() % 40)]
            let time = 1_700_000_000_000_000_000 + Int64(index) * 1_000_000
            let origin = InputLocation(source: "bench.log", line: index + 1, byteOffset: Int64(index) * 200)
            let isSpan = generator.next() % 5 == 0
            let correlated = isSpan || generator.next() % 10 != 0
            if correlated { traces.insert(trace) }
            if isSpan {
                records.append(
                    SourcedRecord(
                        sourceID: source,
                        record: .span(
                            SpanRecord(
                                traceID: trace, spanID: SpanID(generator.next()),
                                parentSpanID: SpanID(generator.next()),
                                service: "checkout", name: "GET /api/cart", kind: .server, startTime: time,
                                endTime: time + 5_000_000, status: .unset,
                                attributes: [
                                    Attribute("http.request.method", .string("GET")),
                                    Attribute("url.path", .string("/api/cart")),
                                    Attribute("http.response.status_code", .int(200)),
                                ],
                                resource: resource, scope: "io.opentelemetry.http", origin: origin))))
            } else {
                records.append(
                    SourcedRecord(
                        sourceID: source,
                        record: .log(
                            LogRecord(
                                time: time, severity: .info, severityText: "info",
                                message: "cart loaded for customer in 12 ms with 3 items", service: "checkout",
                                trace: correlated ? .full(trace) : nil,
                                spanID: correlated ? SpanID(generator.next()) : nil,
                                attributes: [Attribute("logger", .string("cart")), Attribute("pid", .int(4242))],
                                origin: origin))))
            }
        }
        let writer = temporary.store.makeWriter()
        let clock = ContinuousClock()
        var stats = WriteStats()
        let elapsed = try clock.measure {
            var start = 0
            while start < total {
                let end = min(total, start + batchSize)
                stats += try writer.write(
                    Array(records[start..<end]),
                    progress: [SourceProgress(sourceID: source, checkpointOffset: Int64(end) * 200, complete: false)])
                start = end
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(total) / seconds
        print("StoreBenchmark: \(total) records in \(String(format: "%.2f", seconds)) s = \(Int(rate)) records/s")
        #expect(stats.spansInserted + stats.logsInserted == total)
        #expect(stats.tracesCreated == traces.count)
    }
}
