import ArgumentParser
import Pipeline
import Store
import TraceJoinCore

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "List log records that carry no trace context (uncorrelated), by service and time.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only this service's logs.")
    var service: String?

    @Option(help: "Only logs at or after this time (RFC 3339).")
    var since: UserTime?

    @Option(help: "Only logs before this time.")
    var until: UserTime?

    @Option(help: "At most this many records.")
    var limit: Int = 200

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        let store = try openStore(database.db)
        // One more than asked, to know whether the list stops short of all there is.
        var logs = try store.uncorrelatedLogs(
            service: service, since: since?.nanos, until: until?.nanos, limit: min(limit, Int.max - 1) + 1)
        // Cut at --limit: say so on standard error, so the output is not taken for all there is.
        if logs.count > limit {
            logs.removeLast(logs.count - limit)
            Console.note(
                "note: only the first \(limit == 1 ? "log is" : "\(limit) logs are") shown (--limit \(limit)); pass a "
                    + "larger --limit, or --since and --until, for the rest")
        }
        switch format {
        case .json:
            print(LogJSONFormatter.format(logs))
        case .text:
            if logs.isEmpty { print("no uncorrelated logs match") }
            for log in logs {
                let time = RecordTimeText.rfc3339(log.time)
                // A stack trace keeps its lines, indented, so no line of a message can pass for a record.
                let message = TerminalText.escaped(log.message, keepingNewlines: true)
                    .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    ")
                print("\(time) \(log.severity.name.uppercased()) [\(TerminalText.escaped(log.service))] \(message)")
            }
        }
    }
}
