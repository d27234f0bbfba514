import Foundation
import Store
import Testing
import TraceJoinCore

@testable import Pipeline

/// What spilling a log costs the external sort by trace (issue #16), two ways, on 300,000 logs like the 1 GB
/// night's (a 120-byte message, five attributes, a trace and a span): records through ``RecordSpillCodec`` (the
/// form `TraceGroupSorter` first spilled, which makes every `String` and array again when read back), and rows
/// through ``RowBatch/spill(_:into:)`` (the form it spills logs in now, read back as one copy of each row's text).
/// Prints µs per log for writing and for reading back, and bytes per log. Run in a release build:
/// `TRACEJOIN_SPILL_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter SpillBenchmark` (the Pipeline
/// tests import it `@testable`, which a release build allows only with `-enable-testing`).
@Suite struct SpillBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["TRACEJOIN_SPILL_BENCH"] != nil

    static func records(_ count: Int) -> [SourcedRecord] {
        (0..<count).map { index in
            let log = LogRecord(
                time: 1_795_392_549_383_805_611 + Int64(index) * 1_000, severity: .info, severityText: "INFO",
                message: "order \(index) reserved 3 items for customer c-\(index % 9_973) in warehouse eu-west-1b "
                    + "after 2 retries; next step payment",
                service: "inventory-worker", trace: .full(TraceID(high: UInt64(index % 50_000), low: UInt64(index))),
                spanID: SpanID(UInt64(index) | 1),
                attributes: [
                    Attribute("http.method", .string("POST")), Attribute("http.status_code", .int(200)),
                    Attribute("thread", .string("worker-\(index % 16)")), Attribute("retry", .bool(false)),
                    Attribute("duration_ms", .double(12.5)),
                ],
                origin: InputLocation(source: "inventory.log", line: index + 1, byteOffset: Int64(index) * 300))
            return SourcedRecord(sourceID: 1, record: .log(log))
        }
    }

    @Test("prints the cost of spilling logs as records and as rows", .enabled(if: enabled))
    func spillCosts() throws {
        let count = 300_000
        let records = Self.records(count)
        let clock = ContinuousClock()

        var recordBytes: [UInt8] = []
        let recordWrite = clock.measure { for record in records { RecordSpillCodec.encode(record, into: &recordBytes) } }
        var decoded = 0
        let recordRead = try clock.measure {
            try recordBytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    _ = try RecordSpillCodec.decode(raw, at: &offset)
                    decoded += 1
                }
            }
        }

        let batch = RowBatch(records)
        var rowBytes: [UInt8] = []
        let rowWrite = clock.measure { for case .log(let row) in batch.entries { batch.spill(row, into: &rowBytes) } }
        var rows = 0
        let rowRead = try clock.measure {
            try rowBytes.withUnsafeBytes { raw in
                var offset = 0
                var readBack = RowBatch(capacity: 8_192, logs: 8_192)
                while offset < raw.count {
                    try readBack.appendSpilledLog(raw, at: &offset)
                    rows += 1
                    if readBack.count == 8_192 { readBack = RowBatch(capacity: 8_192, logs: 8_192) }
                }
            }
        }
        #expect(decoded == count && rows == count)

        func perLog(_ duration: Duration) -> String {
            String(format: "%.2f µs", Double(duration.components.attoseconds) / 1e12 / Double(count)
                + Double(duration.components.seconds) * 1e6 / Double(count))
        }
        print("spill of \(count) logs:")
        print("  as records: write \(perLog(recordWrite)), read back \(perLog(recordRead)), \(recordBytes.count / count) bytes a log")
        print("  as rows:    write \(perLog(rowWrite)), read back \(perLog(rowRead)), \(rowBytes.count / count) bytes a log")
    }
}
