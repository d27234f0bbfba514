import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// End to end on files: a service with logs but no spans in the export is named as the root cause, and
/// `show` draws its log under the span that was open (issue #14).
@Suite struct PlacedLogCommandTests {
    static let traceID = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"
    /// checkout's `POST /checkout` (12 ms) calls `reserve-stock` (error, 6 ms), which calls warehouse-adapter.
    static let spans = """
        [
          {"traceId": "\(traceID)", "id": "00000000000000a1", "name": "POST /checkout",
           "timestamp": 1795428000000000, "duration": 12000, "localEndpoint": {"serviceName": "checkout"},
           "tags": {"error": "500"}},
          {"traceId": "\(traceID)", "id": "00000000000000a2", "parentId": "00000000000000a1", "name": "reserve-stock",
           "timestamp": 1795428000002000, "duration": 6000, "localEndpoint": {"serviceName": "checkout"},
           "tags": {"error": "reservation failed"}}
        ]
        """
    /// warehouse-adapter has no spans; its log, 2 ms before reserve-stock ends, carries the trace ID only.
    static let logs = """
        {"time":"2026-11-23T10:00:00.006Z","level":"error","msg":"upstream quota exhausted (429)","service":"warehouse-adapter","trace_id":"\(traceID)"}
        {"time":"2026-11-23T10:00:00.008Z","level":"error","msg":"stock reservation failed","service":"checkout","trace_id":"\(traceID)","span_id":"00000000000000a2"}

        """

    @Test("batch, then show and incidents name warehouse-adapter; show says how its log was placed")
    func rootCauseOnFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try Self.spans.write(toFile: folder.file("spans.json"), atomically: true, encoding: .utf8)
        try Self.logs.write(toFile: folder.file("warehouse.log"), atomically: true, encoding: .utf8)
        let db = folder.file("t.db")
        let batch = try CommandRunner.run(["batch", "--quiet", "--db", db, folder.file("spans.json"), folder.file("warehouse.log")])
        #expect(batch.status == 0, "\(batch.standardError)")

        let text = try CommandRunner.run(["show", "--db", db, Self.traceID]).standardOutput
        #expect(text.contains("root cause: warehouse-adapter `error`: upstream quota exhausted (429)"), "\(text)")
        #expect(text.contains("~ a log whose span is not in the trace"), "\(text)")
        let logLine = try #require(text.split(separator: "\n").first { $0.contains("[warehouse-adapter]") })
        #expect(logLine.contains("      ~ERROR [warehouse-adapter]"), "three levels in: \(logLine)")

        let json = try JSONParser.parse(
            try CommandRunner.run(["show", "--db", db, "--format", "json", Self.traceID]).standardOutput)
        #expect(json["rootCause"]?["service"]?.string == "warehouse-adapter")
        let entry = try #require(json["entries"]?.array?.first { $0["service"]?.string == "warehouse-adapter" })
        #expect(entry["depth"]?.int64 == 3)
        #expect(entry["spanId"] == .null)
        #expect(entry["attributes"]?["tracejoin.placed_under"]?.string == "00000000000000a2")

        // The summary pass stored the same root cause: `incidents` reads it from the traces table.
        let incidents = try JSONParser.parse(
            try CommandRunner.run(["incidents", "--db", db, "--format", "json"]).standardOutput)
        #expect(incidents.array?.first?["rootCause"]?["service"]?.string == "warehouse-adapter")
    }
}
