import ArgumentParser
import Foundation
import Store

/// The process entry: takes the signals `serve`, `tail` and `ui` answer before anything else runs (see
/// `ServiceSignals`), then hands over to ArgumentParser.
@main
enum TraceJoinMain {
    /// On the main actor, so the signals are blocked on the main thread while it is the only one.
    @MainActor
    static func main() async {
        ServiceSignals.takeIfRunningServices(arguments: CommandLine.arguments)
        do {
            var command = try TraceJoinCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as StoreError {
            // Already `path: error: what to do`; ArgumentParser would add its own `Error: ` in front.
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            TraceJoinCommand.exit(withError: ExitStatus.failure)
        } catch {
            TraceJoinCommand.exit(withError: error)
        }
    }
}
