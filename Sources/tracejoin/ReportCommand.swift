import ArgumentParser
import Pipeline
import Store
import TraceJoinCore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports about what was ingested.",
        subcommands: [PIIReportCommand.self])
}

struct PIIReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii",
        abstract: "What the scrubbing rules removed: counts per rule and service over all runs, never values.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "text or json (an array of {rule, service, count}).")
    var format: OutputFormat = .text

    func run() throws {
        let store = try openStore(database.db)
        var totals: [String: [String: Int]] = [:]
        let runs = try store.finishedRuns()
        for run in runs {
            for hit in run.stats["scrubHits"]?.array ?? [] {
                guard let rule = hit["rule"]?.string, let service = hit["service"]?.string,
                    let count = hit["count"]?.int64
                else { continue }
                totals[rule, default: [:]][service, default: 0] += Int(count)
            }
        }
        let rows = totals.flatMap { rule, services in services.map { (rule: rule, service: $0.key, count: $0.value) } }
            .sorted { ($0.rule, $0.service) < ($1.rule, $1.service) }
        // Rule IDs and service names come from files and stored data: the text table escapes them.
        let textRows = rows.map { (rule: TerminalText.escaped($0.rule), service: TerminalText.escaped($0.service), count: $0.count) }
        switch format {
        case .json:
            var writer = JSONWriter()
            writer.raw("[")
            for (index, row) in rows.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.raw("{\"rule\":")
                writer.string(row.rule)
                writer.raw(",\"service\":")
                writer.string(row.service.isEmpty ? "-" : row.service)
                writer.raw(",\"count\":\(row.count)}")
            }
            writer.raw("]")
            print(writer.text)
        case .text:
            let digests = Set(runs.map(\.rulesDigest))
            print("\(runs.count) run(s); rule sets in force: \(digests.sorted().map { String($0.prefix(12)) }.joined(separator: ", "))")
            if rows.isEmpty {
                print("no personal data was found by the rules")
                return
            }
            let ruleWidth = max(4, textRows.map(\.rule.count).max() ?? 4)
            let serviceWidth = max(7, textRows.map(\.service.count).max() ?? 7)
            print(pad("rule", ruleWidth) + "  " + pad("service", serviceWidth) + "  count")
            for row in textRows {
                print(pad(row.rule, ruleWidth) + "  " + pad(row.service.isEmpty ? "-" : row.service, serviceWidth) + "  \(row.count)")
            }
            print("total: \(rows.reduce(0) { $0 + $1.count }) values removed or masked")
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
