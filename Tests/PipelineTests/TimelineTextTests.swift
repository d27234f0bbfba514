import Pipeline
import Testing
import TraceJoinCore

/// The text views at 120 columns: the message a person needs is on screen, the trace context the line
/// carried for machines is not.
@Suite struct TimelineTextTests {
    static let trace = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!
    static let pythonMessage =
        "[inventory.sync] [sync.py:70] [trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 "
        + "resource.service.name=inventory-worker trace_sampled=True] - inventory sync failed: KeyError 'sku'"
    static let javaMessage =
        "c.s.n.NotificationController#57 TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: 00f067aa0ba902b7 mail queued"

    static func log(_ message: String, severity: LogSeverity, at time: Int64) -> TimelineEntry {
        TimelineEntry(
            kind: .log, time: time, service: "inventory-worker", spanID: nil, parentSpanID: nil, depth: 0, name: "",
            durationNanos: nil, severity: severity, message: message, status: "", isError: severity == .error,
            attributes: [])
    }

    static let timeline = TraceTimeline(
        summary: TraceSummary(
            traceID: trace, services: ["checkout-api", "cart-service", "payment-service", "inventory-worker"],
            start: 1_795_428_000_000_000_000, end: 1_795_428_001_000_000_000, isError: true, sampled: false,
            spanCount: 0, logCount: 2, eventCount: 0,
            rootCause: RootCause(service: "inventory-worker", spanID: nil, name: "ERROR", message: pythonMessage)),
        entries: [
            log(pythonMessage, severity: .error, at: 1_795_428_000_000_000_000),
            log(javaMessage, severity: .info, at: 1_795_428_001_000_000_000),
        ])

    @Test("show: log lines and the root cause read without the trace context the line carried")
    func showDropsTraceContext() {
        let text = TimelineTextFormatter(width: 120).format(Self.timeline)
        #expect(text.contains("root cause: inventory-worker `ERROR`: inventory sync failed: KeyError 'sku'"))
        #expect(text.contains("ERROR [inventory-worker] inventory sync failed: KeyError 'sku'"))
        #expect(text.contains("c.s.n.NotificationController#57 mail queued"))
        #expect(!text.split(separator: "\n").dropFirst().contains { $0.contains("span_id") || $0.contains("SpanID") })
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 120 })
    }

    @Test("incidents: the root cause comes before a long service list, so it is on the line")
    func incidentsShowRootCause() {
        let text = TimelineTextFormatter(width: 120).format(incidents: [Self.timeline.summary])
        #expect(text.contains("inventory-worker `ERROR`: inventory sync failed"))
        #expect(text.count <= 120)
    }
}
