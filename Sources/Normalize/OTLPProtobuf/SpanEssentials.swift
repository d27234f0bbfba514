import TraceJoinCore

/// What a protobuf span needs to become a record: its IDs and times, checked, or the reason it is a reject.
///
/// One place for the checks and their wording, shared by the swift-protobuf path and
/// ``OTLPTraceWireDecoder``, so both reject the same spans with the same reasons.
enum SpanEssentials {
    case valid(traceID: TraceID, spanID: SpanID, start: Int64, end: Int64)
    case invalid(fault: String)

    /// Checks in this order: trace ID, span ID, start time present and in range, end time in range.
    /// An end time of 0 means "same as start" (protobuf cannot tell 0 from missing).
    init(traceID: TraceID?, spanID: SpanID?, start: UInt64, end: UInt64) {
        guard let traceID else {
            self = .invalid(fault: "span has no valid trace ID (16 non-zero bytes)")
            return
        }
        guard let spanID else {
            self = .invalid(fault: "span has no valid span ID (8 non-zero bytes)")
            return
        }
        guard start != 0 else {
            self = .invalid(fault: "span start time is missing")
            return
        }
        guard let startTime = Int64(exactly: start) else {
            self = .invalid(fault: "span start time is out of range")
            return
        }
        guard let endTime = end == 0 ? startTime : Int64(exactly: end) else {
            self = .invalid(fault: "span end time is out of range")
            return
        }
        self = .valid(traceID: traceID, spanID: spanID, start: startTime, end: endTime)
    }

    /// The reason for the reject; nil for a valid span.
    var fault: String? {
        if case .invalid(let fault) = self { fault } else { nil }
    }
}
