import ArgumentParser

/// The process entry: takes the signals `serve` and `tail` answer before anything else runs (see
/// `ServiceSignals`), then hands over to ArgumentParser.
@main
enum TraceJoinMain {
    /// On the main actor, so the signals are blocked on the main thread while it is the only one.
    @MainActor
    static func main() async {
        ServiceSignals.takeIfRunningServices(arguments: CommandLine.arguments)
        await TraceJoinCommand.main()
    }
}
