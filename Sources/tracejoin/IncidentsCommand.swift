import ArgumentParser
import Pipeline
import Rules
import Store
import TraceJoinCore

struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List failed requests (traces with an error span, error event or error log), newest first.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only incidents that started at or after this time (RFC 3339, e.g. 2026-11-23T00:00Z).")
    var since: UserTime?

    @Option(help: "Only incidents that started before this time.")
    var until: UserTime?

    @Option(help: "Only incidents that involve this service.")
    var service: String?

    @Option(name: .customLong("class"), help: "Only incidents of this error class.")
    var errorClass: String?

    @Flag(help: "Fold incidents into problems by fingerprint: count, first/last seen, services, an example trace.")
    var group = false

    @Option(help: "At most this many incidents (with --group: problems).")
    var limit: Int = 100

    @Option(help: "text or json (an array of incident summaries).")
    var format: OutputFormat = .text

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let errorClass, ErrorClass(rawValue: errorClass) == nil {
            throw ValidationError("unknown --class '\(errorClass)'; use one of: \(ErrorClass.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let store = try openStore(database.db)
        let filter = IncidentFilter(
            since: since?.nanos, until: until?.nanos, service: service, errorClass: errorClass, limit: limit)
        if group {
            let problems = try store.problems(filter)
            switch format {
            case .json: print(ProblemFormatter.json(problems))
            case .text: print(ProblemFormatter.text(problems, width: terminalWidth()))
            }
            return
        }
        let incidents = try store.incidents(filter)
        switch format {
        case .json: print(TimelineJSONFormatter.format(incidents: incidents))
        case .text:
            print(TimelineTextFormatter(width: terminalWidth(), colour: standardOutputIsTerminal()).format(incidents: incidents))
        }
    }
}
