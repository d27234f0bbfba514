package import Store
package import TraceJoinCore

/// The machine-readable forms of `show --format json` and `incidents --format json`.
///
/// Field names are a contract: tests outside the project rely on them (issue #3, "Output contract").
package enum TimelineJSONFormatter {
    /// One object for one trace; with its classification, `classRule`, `classEntry` and `fingerprint` too.
    package static func format(_ timeline: TraceTimeline, classification: TraceClassification? = nil) -> String {
        var writer = JSONWriter()
        writeSummaryFields(timeline.summary, to: &writer, full: true)
        if let classification { ProblemFormatter.writeClassification(classification, to: &writer) }
        writer.raw(",\"entries\":[")
        for (index, entry) in timeline.entries.enumerated() {
            if index > 0 { writer.raw(",") }
            write(entry, to: &writer)
        }
        writer.raw("]}")
        return writer.text
    }

    /// An array of incident summaries.
    package static func format(incidents: [TraceSummary]) -> String {
        var writer = JSONWriter()
        writer.raw("[")
        for (index, summary) in incidents.enumerated() {
            if index > 0 { writer.raw(",") }
            writeSummaryFields(summary, to: &writer, full: false)
            writer.raw("}")
        }
        writer.raw("]")
        return writer.text
    }

    /// Opens an object and writes the summary's fields, leaving the object open.
    private static func writeSummaryFields(_ summary: TraceSummary, to writer: inout JSONWriter, full: Bool) {
        writer.raw("{\"traceId\":")
        writer.string(summary.traceID.hex)
        writer.raw(",\"services\":")
        writer.write(strings: summary.services)
        // A trace none of whose records has a time has no start or end: null, never 1970-01-01.
        let timeless = summary.start == 0 && summary.end == 0
        writer.raw(",\"start\":")
        RecordTimeText.writeJSON(timeless ? nil : summary.start, to: &writer)
        writer.raw(",\"end\":")
        RecordTimeText.writeJSON(timeless ? nil : summary.end, to: &writer)
        if full {
            writer.raw(",\"durationMs\":")
            writer.raw(milliseconds(summary.durationNanos))
        }
        writer.raw(",\"status\":")
        writer.string(summary.isError ? "error" : "ok")
        if full {
            writer.raw(",\"sampled\":")
            writer.raw(summary.sampled ? "true" : "false")
        }
        writer.raw(",\"spanCount\":\(summary.spanCount),\"logCount\":\(summary.logCount),\"errorClass\":")
        writer.string(orNull: summary.errorClass)
        writer.raw(",\"rootCause\":")
        if let rootCause = summary.rootCause {
            writer.raw("{\"service\":")
            writer.string(rootCause.service)
            writer.raw(",\"spanId\":")
            writer.string(orNull: rootCause.spanID?.hex)
            writer.raw(",\"name\":")
            writer.string(rootCause.name)
            writer.raw(",\"message\":")
            writer.string(rootCause.message)
            writer.raw("}")
        } else {
            writer.raw("null")
        }
    }

    private static func write(_ entry: TimelineEntry, to writer: inout JSONWriter) {
        writer.raw("{\"time\":")
        writer.string(UnixTime.rfc3339(entry.time))
        writer.raw(",\"kind\":")
        writer.string(entry.kind.rawValue)
        writer.raw(",\"service\":")
        writer.string(entry.service)
        writer.raw(",\"spanId\":")
        writer.string(orNull: entry.spanID?.hex)
        writer.raw(",\"parentSpanId\":")
        writer.string(orNull: entry.parentSpanID?.hex)
        writer.raw(",\"depth\":\(entry.depth),\"name\":")
        writer.string(entry.name)
        writer.raw(",\"durationMs\":")
        writer.raw(entry.durationNanos.map(milliseconds) ?? "null")
        writer.raw(",\"severity\":")
        writer.string(orNull: entry.severity?.name)
        writer.raw(",\"message\":")
        writer.string(entry.message)
        writer.raw(",\"status\":")
        writer.string(entry.status)
        writer.raw(",\"attributes\":")
        writer.write(entry.attributes)
        writer.raw("}")
    }

    /// Milliseconds with up to 6 decimals, as a JSON number.
    package static func milliseconds(_ nanos: Int64) -> String {
        let whole = nanos / 1_000_000
        let fraction = abs(nanos % 1_000_000)
        if fraction == 0 { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return (nanos < 0 && whole == 0 ? "-" : "") + "\(whole).\(digits)"
    }
}
