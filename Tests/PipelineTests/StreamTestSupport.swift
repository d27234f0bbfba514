import Foundation
import GRDB
import OTLPProto
import Pipeline
import Store
import SwiftProtobuf
import TraceJoinCore
import TraceJoinTesting

/// A database in a temporary folder with a `StreamService` on it, and builders for OTLP request bodies.
struct StreamSetup {
    let folder: TemporaryFolder
    let store: IncidentStore
    let service: StreamService
    var intake: StreamIntake { service.intake }
    var database: String { folder.file("stream.db") }

    /// Not started: call `service.start()` (or run it in a `ServiceGroup`) when the test wants it writing.
    /// `clock` drives the finalizer's passes: pass a `ManualThreadClock` to move it from the test.
    init(
        configuration: StreamConfiguration = StreamConfiguration(), rules: RulesInForce = RulesInForce(.init()),
        clock: any ThreadClock = SystemThreadClock()
    ) throws {
        folder = try TemporaryFolder()
        store = try IncidentStore(path: folder.file("stream.db"))
        service = try StreamService(store: store, rules: rules, configuration: configuration, clock: clock)
    }

    /// Every byte of the database and its side files.
    func databaseBytes() -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let data = FileManager.default.contents(atPath: database + suffix) { bytes.append(data) }
        }
        return bytes
    }

    /// Messages of the stored logs that belong to no trace.
    func uncorrelatedMessages() throws -> Set<String> {
        Set(try store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 1_000_000).map(\.message))
    }
}

/// OTLP export requests as exporters send them.
enum StreamBodies {
    typealias TraceRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    typealias ProtoSpan = Opentelemetry_Proto_Trace_V1_Span
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue

    static let start: UInt64 = 1_764_064_800_000_000_000

    static func attribute(_ key: String, _ value: String) -> KeyValue {
        var keyValue = KeyValue()
        keyValue.key = key
        keyValue.value.stringValue = value
        return keyValue
    }

    /// A span of `trace`; `configure` changes what a test is about.
    static func span(
        trace: String, id: String, parent: String? = nil, name: String, offsetMillis: UInt64 = 0,
        _ configure: (inout ProtoSpan) -> Void = { _ in }
    ) -> ProtoSpan {
        var span = ProtoSpan()
        span.traceID = Data(hex: trace)
        span.spanID = Data(hex: id)
        if let parent { span.parentSpanID = Data(hex: parent) }
        span.name = name
        span.kind = .server
        span.startTimeUnixNano = start + offsetMillis * 1_000_000
        span.endTimeUnixNano = start + (offsetMillis + 10) * 1_000_000
        configure(&span)
        return span
    }

    /// A protobuf `ExportTraceServiceRequest` body: one resource of `service` holding `spans`.
    static func traces(service: String, _ spans: [ProtoSpan]) throws -> [UInt8] {
        var scopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scopeSpans.spans = spans
        var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        resourceSpans.resource.attributes = [attribute("service.name", service)]
        resourceSpans.scopeSpans = [scopeSpans]
        var request = TraceRequest()
        request.resourceSpans = [resourceSpans]
        return try request.serializedBytes()
    }

    /// An OTLP/JSON `ExportLogsServiceRequest` body: one resource of `service` holding one record per message.
    static func logs(service: String, trace: String? = nil, severity: String = "INFO", _ messages: [String]) -> [UInt8]
    {
        let records = messages.enumerated().map { index, message in
            var fields = [
                "\"timeUnixNano\":\"\(start + UInt64(index + 1) * 1_000_000)\"", "\"severityText\":\"\(severity)\"",
                "\"body\":{\"stringValue\":\(json(message))}",
            ]
            if let trace { fields.append("\"traceId\":\"\(trace)\"") }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return Array(
            """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"\(service)"}}]},\
            "scopeLogs":[{"logRecords":[\(records.joined(separator: ","))]}]}]}
            """.utf8)
    }

    static func json(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return writer.text
    }
}

/// What a request of `accepted` readable records (none rejected) is answered.
func stored(_ accepted: Int) -> OTLPIntakeOutcome {
    .stored(accepted: accepted, rejected: 0, rejectionMessage: nil)
}

/// Waits until `condition` holds, checking every 10 ms; false after `patience`, which is generous: it bounds
/// a hang, not how fast things happen (a loaded 2-core machine can keep a task from running for seconds).
/// For what a test sets in motion itself (tasks queuing, a thread taking a request); time-driven passes are
/// driven with a `ManualThreadClock` instead.
func eventually(patience: Duration = .seconds(60), _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + patience
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}

/// Nanoseconds since the Unix epoch, the clock of `traces.updated_ns`.
func wallClockNow() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000_000) }

extension Configuration {
    /// For a second connection a test opens beside a running writer: it waits for the writer's transaction (or
    /// the background checkpoint) to end instead of failing at once with "database is locked", GRDB's default.
    static var waitingForLocks: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        return configuration
    }
}
