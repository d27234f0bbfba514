import Foundation
import Store
import TraceJoinCore

/// A store in a fresh temporary directory, removed when the test ends.
final class TemporaryStore {
    let directory: String
    let path: String
    let store: IncidentStore

    /// `checkpointEvery`: run background checkpoints at that interval of `clock` (as `batch`, `tail` and
    /// `serve` do).
    init(checkpointEvery: Duration? = nil, clock: any ThreadClock = SystemThreadClock()) throws {
        directory = NSTemporaryDirectory() + "tracejoin-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/incidents.db"
        store = try IncidentStore(
            path: path, backgroundCheckpoints: checkpointEvery != nil, checkpointInterval: checkpointEvery ?? .zero,
            checkpointClock: clock)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Registers a source and returns its ID.
    func source(_ name: String = "app.log", fingerprint: String? = nil, size: Int64 = 1_000) throws -> Int64 {
        try store.registerSource(path: directory + "/" + name, fingerprint: fingerprint ?? "fp-" + name, size: size)
    }

    /// Writes records from one source in one batch.
    @discardableResult
    func write(_ records: [Record], source: Int64, progress: [SourceProgress] = []) throws -> WriteStats {
        try store.makeWriter().write(records.map { SourcedRecord(sourceID: source, record: $0) }, progress: progress)
    }

    /// Every row of a table as text, in a stable order, to compare whole tables.
    func dump(_ table: String) throws -> [String] {
        try store.debugRows(table)
    }
}

/// Record builders for store tests.
enum StoreSamples {
    static let traceB = TraceID(high: 0x1111_2222_3333_4444, low: 0x5555_6666_7777_8888)

    static func log(
        _ message: String, trace: TraceReference? = nil, offset: Int64, ordinal: Int = 0, service: String = "api",
        time: Int64? = 2_000_000_000, severity: LogSeverity = .info, source: String = "app.log"
    ) -> LogRecord {
        LogRecord(
            time: time, severity: severity, severityText: severity.name.uppercased(), message: message,
            service: service, trace: trace, spanID: trace == nil ? nil : SpanID(0xAB),
            origin: InputLocation(source: source, line: Int(offset / 100) + 1, byteOffset: offset, ordinal: ordinal))
    }

    static func span(
        trace: TraceID = traceB, id: UInt64, parent: UInt64? = nil, service: String = "api", start: Int64 = 1_000,
        status: SpanStatus = .unset, shared: Bool = false, events: [SpanEvent] = [], offset: Int64 = 0
    ) -> SpanRecord {
        SpanRecord(
            traceID: trace, spanID: SpanID(id), parentSpanID: parent.map(SpanID.init), service: service,
            name: "op-\(id)", kind: shared ? .server : .client, startTime: start, endTime: start + 500,
            status: status, events: events, isSharedServerHalf: shared,
            origin: InputLocation(source: "spans.json", line: 1, byteOffset: offset))
    }
}
