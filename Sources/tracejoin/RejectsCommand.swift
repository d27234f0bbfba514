import ArgumentParser
import Pipeline
import Store
import TraceJoinCore

struct RejectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "List input records that could not be read, with file, line and reason.",
        discussion: "The raw text is kept scrubbed like everything else; use it to fix the producer.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "At most this many rejects.")
    var limit: Int = 100

    @Flag(help: "Also print the (scrubbed) raw text of each reject.")
    var raw = false

    func run() throws {
        let store = try openStore(database.db)
        let rejects = try store.rejects(limit: limit)
        if rejects.isEmpty { print("no rejected records") }
        for reject in rejects {
            print(TerminalText.escaped("\(reject.location): \(reject.reason)"))
            if raw { print("  " + TerminalText.escaped(String(reject.raw.prefix(400)))) }
        }
    }
}
