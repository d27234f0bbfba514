import Correlate
package import Store
package import TraceJoinCore

/// The text forms of `show` and `incidents`: a waterfall for people, readable at 120 columns.
///
/// Spans are indented by depth with a bar showing where they sit in the trace; logs and events are
/// interleaved under their spans. Colour is used only when `colour` is true (a TTY). Every string taken
/// from the data goes through `TerminalText.escaped`, so a log line cannot drive the terminal.
package struct TimelineTextFormatter {
    package var width: Int
    package var colour: Bool

    package init(width: Int = 120, colour: Bool = false) {
        self.width = max(80, width)
        self.colour = colour
    }

    /// - Parameter classification: when given, a `class:` line says which rule decided, on which entry.
    package func format(_ timeline: TraceTimeline, classification: TraceClassification? = nil) -> String {
        let summary = timeline.summary
        var lines: [String] = []
        let status = summary.isError ? paint("ERROR", .red) : paint("ok", .green)
        lines.append(
            "trace \(summary.traceID.hex)  \(status)  \(durationText(summary.durationNanos))  "
                + "\(summary.spanCount) spans, \(summary.logCount) logs" + (summary.sampled ? "" : "  (unsampled: logs only)"))
        if summary.start == 0 && summary.end == 0 {
            lines.append("  time \(RecordTimeText.unknown): no record of this trace carries a time")
        } else {
            lines.append("  \(RecordTimeText.rfc3339(summary.start)) → \(RecordTimeText.rfc3339(summary.end))")
        }
        lines.append("  services: \(safe(summary.services.joined(separator: ", ")))")
        if let classification {
            lines.append("  class: " + paint(clip(safe(classification.explanation), width - 9), .red))
        } else if let errorClass = summary.errorClass {
            lines.append("  class: \(safe(errorClass))")
        }
        if let rootCause = summary.rootCause {
            lines.append(
                "  root cause: \(safe(rootCause.service)) `\(safe(rootCause.name))`"
                    + (rootCause.message.isEmpty ? "" : ": \(oneLine(ReadableMessage.text(rootCause.message), limit: width - 40))"))
        }
        if timeline.entries.contains(where: Self.isPlacedByTime) {
            lines.append("  ~ a log whose span is not in the trace, shown under the innermost span open at its time")
        }
        lines.append("")
        let barWidth = 24
        for entry in timeline.entries {
            lines.append(line(for: entry, summary: summary, barWidth: barWidth))
        }
        return lines.joined(separator: "\n")
    }

    private func line(for entry: TimelineEntry, summary: TraceSummary, barWidth: Int) -> String {
        // A log without a time sits at its span's start (or the trace's), but that is not its time.
        let time = RecordTimeText.timeOfDay(Self.isTimeInferred(entry) ? nil : entry.time)
        let indent = String(repeating: "  ", count: min(entry.depth, 12))
        let marker = entry.isError ? paint("✗", .red) : " "
        switch entry.kind {
        case .span:
            let bar = self.bar(entry, summary: summary, width: barWidth)
            let head = "\(indent)\(safe(entry.service)) \(safe(entry.name))"
            let duration = entry.durationNanos.map(durationText) ?? ""
            let available = width - barWidth - 17
            let statusText = entry.isError && !entry.message.isEmpty ? "  " + safe(entry.message) : ""
            return "\(time) \(marker) \(bar) " + clip(head + "  " + duration + statusText, available)
        case .event:
            return "\(time) \(marker) \(String(repeating: " ", count: barWidth)) "
                + clip("\(indent)• \(safe(entry.name)): \(oneLine(entry.message, limit: width))", width - barWidth - 17)
        case .log:
            let level = (entry.severity?.name ?? "log").uppercased()
            let levelText = entry.isError ? paint(level, .red) : (entry.severity == .warn ? paint(level, .yellow) : level)
            let placed = Self.isPlacedByTime(entry) ? "~" : ""
            return "\(time) \(marker) \(String(repeating: " ", count: barWidth)) "
                + clip(
                    "\(indent)\(placed)\(levelText) [\(safe(entry.service))] \(oneLine(ReadableMessage.text(entry.message), limit: width))",
                    width - barWidth - 17)
        }
    }

    /// A bar that shows where the span sits between the trace's start and end.
    private func bar(_ entry: TimelineEntry, summary: TraceSummary, width: Int) -> String {
        let total = max(summary.durationNanos, 1)
        let offset = Int(Double(entry.time - summary.start) / Double(total) * Double(width))
        let length = max(1, Int(Double(entry.durationNanos ?? 0) / Double(total) * Double(width)))
        let start = min(max(offset, 0), width - 1)
        let end = min(start + length, width)
        var cells = Array(repeating: Character("·"), count: width)
        for index in start..<end { cells[index] = "█" }
        let text = String(cells)
        return entry.isError ? paint(text, .red) : text
    }

    /// A list of incidents, one line each, newest first.
    package func format(incidents: [TraceSummary]) -> String {
        if incidents.isEmpty { return "no incidents match" }
        return incidents.map { summary in
            let rootCause =
                summary.rootCause.map { "\(safe($0.service)) `\(safe($0.name))`: \(oneLine(ReadableMessage.text($0.message), limit: width))" }
                ?? "-"
            let classText = safe(summary.errorClass ?? "-")
            // The root cause before the services: a long service list must not push it off the line.
            return clip(
                "\(RecordTimeText.milliseconds(summary.start))  \(summary.traceID.hex)  \(classText)  \(rootCause)"
                    + "  | \(safe(summary.services.joined(separator: ",")))", width)
        }.joined(separator: "\n")
    }

    // MARK: - Helpers

    /// A log the correlator placed by its time, not by a span ID (`LogPlacer`).
    private static func isPlacedByTime(_ entry: TimelineEntry) -> Bool {
        entry.kind == .log && entry.attributes[key: CorrelateAttributeKey.placedUnder] != nil
    }

    /// A log that carried no time, placed at its span's start or the trace's (`TimelineEntry(log:…)`).
    private static func isTimeInferred(_ entry: TimelineEntry) -> Bool {
        entry.kind == .log && entry.attributes[key: CorrelateAttributeKey.timeInferred] != nil
    }

    private enum Colour: String {
        case red = "31", green = "32", yellow = "33"
    }

    private func paint(_ text: String, _ colour: Colour) -> String {
        self.colour ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The first line of `text`, escaped and cut to `limit`, with ` …` when more lines follow.
    private func oneLine(_ text: String, limit: Int) -> String {
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let more = text.contains("\n") ? " …" : ""
        return clip(safe(first), limit) + more
    }

    private func safe(_ text: String) -> String { TerminalText.escaped(text) }

    /// Cuts text to `limit` characters, ignoring colour codes when counting is not worth it.
    private func clip(_ text: String, _ limit: Int) -> String {
        guard limit > 1, text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    private func durationText(_ nanos: Int64) -> String {
        switch nanos {
        case ..<1_000_000: "\(nanos / 1000)µs"
        case ..<10_000_000_000: "\(TimelineJSONFormatter.milliseconds(nanos / 1000 * 1000))ms"
        default: "\(nanos / 1_000_000_000)s"
        }
    }
}
