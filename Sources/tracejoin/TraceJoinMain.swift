import ArgumentParser

/// The process entry: blocks the signals `serve` and `tail` answer before anything else runs (see
/// `ServiceSignals`), then hands over to ArgumentParser.
@main
enum TraceJoinMain {
    static func main() async {
        ServiceSignals.blockIfRunningServices(arguments: CommandLine.arguments)
        await TraceJoinCommand.main()
    }
}
