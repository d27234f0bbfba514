import ArgumentParser

@main
struct TraceJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracejoin",
        abstract: "Join service logs and span exports by trace ID into incident timelines in SQLite.")
}
