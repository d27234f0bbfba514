import ArgumentParser
import Dispatch
import Foundation
import Pipeline
import Store
import TraceJoinCore

struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow log files and store their lines as they are written, until SIGINT or SIGTERM.",
        discussion: """
            Follows every file the globs match, and files that start matching later, through rotation \
            (rename + create, rename then gzip, copytruncate), deletion and restarts. Where it stands in each \
            file is stored in the database in the same transaction as the rows, so after any stop (even \
            kill -9) a restart reads exactly the lines not yet stored. Trace summaries are brought up to \
            date every second, so `tracejoin show` sees new entries while it runs.

            SIGINT or SIGTERM: stop polling, write what is held, checkpoint, exit 0.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Where files found at the first start (no stored checkpoints) begin: beginning or end.")
    var from: TailStart = .beginning

    @Option(help: "Milliseconds between polls of the followed files.")
    var pollInterval: Int = 250

    @Flag(
        help: """
            Only poll every --poll-interval; never wait on inotify events (network filesystems, where changes \
            made on another host raise none). Without it a change is read at once, the interval being the fallback.
            """)
    var pollOnly = false

    @OptionGroup var rules: RuleOptions

    @Argument(help: "Files, folders or globs to follow (quote globs so the shell leaves them alone).")
    var patterns: [String]

    func validate() throws {
        guard pollInterval >= 1 && pollInterval <= 60_000 else {
            throw ValidationError("--poll-interval must be between 1 and 60000 milliseconds")
        }
    }

    func run() throws {
        var configuration = TailRunConfiguration(patterns: patterns)
        configuration.databasePath = database.db
        configuration.startAtEnd = from == .end
        configuration.pollInterval = .milliseconds(pollInterval)
        configuration.pollOnly = pollOnly
        configuration.scrubber = try rules.loadScrubber()
        configuration.classifier = try rules.loadClassifier()
        configuration.traceContextPatterns = try rules.loadTraceContextPatterns()

        let stop = TailStopSignal()
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)  // the dispatch source receives it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        do {
            let store = try IncidentStore(path: configuration.databasePath)
            let runID = try store.beginRun(command: "tail", inputs: patterns, rulesDigest: configuration.rulesDigest)
            let runner = try TailRunner(configuration: configuration, store: store)
            var reported = false
            try runner.run(until: stop) { runner in
                guard !reported else { return }
                reported = true
                let paths = runner.followedPaths
                print("tail: following \(paths.count) file(s) into \(configuration.databasePath)")
                for path in paths { print("  \(path)") }
                fflush(nil)
            }
            let counts = runner.counts
            try store.finishRun(
                runID, statsJSON: "{\"lines\":\(counts.lines),\"records\":\(counts.recordsWritten),\"dropped\":\(counts.droppedByRules)}")
            print("tail: stopped; \(counts.lines) lines read, \(counts.recordsWritten) records stored")
        } catch let diagnostic as Diagnostic {
            Console.error(diagnostic)
            throw ExitStatus.failure
        }
    }
}

/// `--from`: where files seen the first time start.
enum TailStart: String, ExpressibleByArgument, CaseIterable {
    case beginning, end
}
