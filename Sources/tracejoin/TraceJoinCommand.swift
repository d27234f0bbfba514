import ArgumentParser
import TraceJoinCore

struct TraceJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracejoin",
        abstract: "Join service logs and span exports by trace ID into incident timelines in SQLite.",
        discussion: """
            Typical use: `tracejoin batch logs/ spans/` ingests a night of files, then \
            `tracejoin incidents` lists failed requests and `tracejoin show <trace id>` tells the story of one; \
            `tracejoin ui` serves the timelines to a browser, Grafana and Jaeger UI.

            Exit statuses: 0 success; 1 fatal error or unknown trace ID; 64 bad usage; \
            65 rejected records with --strict; 78 bad configuration.
            """,
        version: TraceJoinVersion.current,
        subcommands: [
            BatchCommand.self, ShowCommand.self, IncidentsCommand.self, LogsCommand.self, RejectsCommand.self,
            RulesCommand.self, ReportCommand.self, TailCommand.self, ServeCommand.self, UICommand.self,
        ])
}

/// The `--db` option every command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file.")
    var db: String = "tracejoin.db"
}

/// Output format of query commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Exit statuses documented in the README.
enum ExitStatus {
    static let failure = ExitCode(1)
    static let dataError = ExitCode(65)
    static let configurationError = ExitCode(78)
}
