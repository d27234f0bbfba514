import Foundation
import Store
import Testing
import TraceJoinCore

/// Log rows as spill bytes (the runs of the external sort by trace, issue #16): read back, a row is the row that
/// was spilled, and the writer stores the same database from it.
@Suite struct RowSpillTests {
    /// Logs that set and leave out each optional value, with text of several lengths and scripts.
    static func records(source: Int64) -> [SourcedRecord] {
        let full = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
        let logs = [
            LogRecord(
                time: 1_795_392_549_383_805_611, severity: .error, severityText: "ERROR",
                message: "payment declined for order 7 — carte refusée ✗", service: "payment-service",
                trace: .full(full), spanID: SpanID(0x00f0_67aa_0ba9_02b7), sampled: true,
                attributes: [Attribute("http.status_code", .int(402)), Attribute("retry", .bool(false))],
                origin: InputLocation(source: "payment.log", line: 12, byteOffset: 4_096, ordinal: 0)),
            LogRecord(
                time: nil, message: "", serviceFromFileName: true, trace: .lower64(0x9d4c_3f25_1c6c_8f61),
                sampled: false, origin: InputLocation(source: "payment.log", line: 13, byteOffset: 4_400, ordinal: 1)),
            LogRecord(
                time: -5, severity: .info, severityText: "info", message: String(repeating: "x", count: 70_000),
                service: "s", origin: InputLocation(source: "payment.log", line: 14, byteOffset: 4_500)),
        ]
        return logs.map { SourcedRecord(sourceID: source, record: .log($0)) }
    }

    /// Every log row of `batch` spilled into one buffer, one after another.
    static func spilled(_ batch: RowBatch) -> [UInt8] {
        var bytes: [UInt8] = []
        for case .log(let row) in batch.entries { batch.spill(row, into: &bytes) }
        return bytes
    }

    /// Reads every row of `bytes` into a new batch.
    static func readBack(_ bytes: [UInt8]) throws -> RowBatch {
        var batch = RowBatch()
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count { try batch.appendSpilledLog(raw, at: &offset) }
        }
        return batch
    }

    /// A row's values and texts, to compare rows of different batches (a long text by its length and an FNV-1a
    /// digest, so a failure prints a line, not 70 KB).
    static func facts(_ batch: RowBatch) -> [String] {
        func text(_ range: TextRange) -> String {
            let string = batch.string(range)
            guard string.utf8.count > 100 else { return string }
            let digest = string.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
            return "<\(string.utf8.count) bytes, fnv \(String(digest, radix: 16))>"
        }
        return batch.entries.compactMap { entry in
            guard case .log(let row) = entry else { return nil }
            let attributes = row.attributes.map(text) ?? "NULL"
            return [
                "\(String(describing: row.trace))", "\(String(describing: row.spanID))", "\(String(describing: row.time))",
                "\(row.severity)", text(row.severityText), text(row.message), text(row.service),
                "\(row.serviceFromFile)", "\(String(describing: row.sampled))", attributes, "\(row.sourceID)",
                "\(row.line)", "\(row.byteOffset)", "\(row.ordinal)",
            ].joined(separator: "|")
        }
    }

    @Test("a spilled row reads back as the row it was: every value, every text, absent ones absent")
    func roundTrip() throws {
        let original = RowBatch(Self.records(source: 3))
        let back = try Self.readBack(Self.spilled(original))
        #expect(back.count == 3)
        #expect(Self.facts(back) == Self.facts(original))
        #expect(Self.facts(original)[1].contains("|NULL|"))  // no attributes stays NULL, not "[]"
    }

    @Test("the writer stores the same rows from a batch read back from spill bytes")
    func sameDatabase() throws {
        let direct = try TemporaryStore()
        let spilled = try TemporaryStore()
        let source = try direct.source("payment.log")
        #expect(try spilled.source("payment.log") == source)
        let original = RowBatch(Self.records(source: source))
        _ = try direct.store.makeWriter().write(rows: [original], progress: [])
        _ = try spilled.store.makeWriter().write(rows: [try Self.readBack(Self.spilled(original))], progress: [])
        let logs = try direct.dump("logs")
        #expect(logs.count == 3)
        #expect(try spilled.dump("logs") == logs)
        // The traces the rows named, but for the wall-clock times each write stamped on them.
        let traces = try direct.dump("traces").map(Self.withoutClock)
        #expect(traces.count == 2)
        let spilledTraces = try spilled.dump("traces").map(Self.withoutClock)
        #expect(spilledTraces == traces, "\(traces) \(spilledTraces)")
    }

    static func withoutClock(_ row: String) -> String {
        row.replacingOccurrences(of: #"(updated|first_seen)_ns:[0-9]+"#, with: "$1_ns:…", options: .regularExpression)
    }

    @Test("a run cut short anywhere is refused at the row that does not fit, and nothing of that row is kept")
    func cutShort() throws {
        let original = RowBatch(Array(Self.records(source: 1).prefix(1)))
        let bytes = Self.spilled(original)
        for length in [0, 1, 40, bytes.count - 1] {
            var batch = RowBatch()
            var offset = 0
            #expect(throws: RowBatch.SpillDamage(offset: 0)) {
                try Array(bytes.prefix(length)).withUnsafeBytes { try batch.appendSpilledLog($0, at: &offset) }
            }
            #expect(batch.count == 0 && offset == 0)
        }
    }
}
