package import TraceJoinCore

/// Builders for records in tests, so each test states only what it is about.
package enum Samples {
    package static let traceA = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
    package static let origin = InputLocation(source: "test.log", line: 1)

    package static func span(
        trace: TraceID = traceA, id: UInt64, parent: UInt64? = nil, service: String = "svc", name: String = "op",
        start: Int64 = 1_000_000_000, durationNanos: Int64 = 1_000_000, status: SpanStatus = .unset
    ) -> SpanRecord {
        SpanRecord(
            traceID: trace, spanID: SpanID(id), parentSpanID: parent.map(SpanID.init), service: service, name: name,
            startTime: start, endTime: start + durationNanos, status: status, origin: origin)
    }
}
