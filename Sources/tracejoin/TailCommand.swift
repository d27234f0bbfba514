import ArgumentParser
import Dispatch
import Foundation
import Logging
import Pipeline
import ServiceLifecycle
import Store
import TraceJoinCore

struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow log files and store their lines as they are written, until SIGINT or SIGTERM.",
        discussion: """
            Follows every file the globs match, and files that start matching later, through rotation \
            (rename + create, rename then gzip, copytruncate), deletion and restarts; inotify wakes it at once, \
            polling is the fallback. Where it stands in each file is stored in the database in the same \
            transaction as the rows, so after any stop (even kill -9) a restart reads exactly the lines not yet \
            stored. Files of OTLP JSON exports (one request per line, as SDK and Collector file exporters \
            write) are decoded as spans and log records. `tracejoin show` sees new entries as soon as they are \
            stored; a trace's status, root cause and class are computed once it has had no new line for \
            --trace-idle seconds, and again if late lines arrive.

            SIGINT or SIGTERM, even while starting: stop polling, write what is held, checkpoint, summarise, \
            exit 0. \
            SIGHUP: reload the rule files; a bad set is refused with its diagnostics and the old one stays.
            """)

    @OptionGroup var database: DatabaseOptions

    @OptionGroup(title: "Following files") var follow: TailOptions

    @Option(help: "Seconds without new lines after which a trace's status, root cause and class are computed.")
    var traceIdle: Int = 30

    @Option(help: "Log level of tracejoin's own messages on standard error.")
    var logLevel: LogLevel = .notice

    @OptionGroup var rules: RuleOptions

    @Argument(help: "Files, folders or globs to follow (quote globs so the shell leaves them alone).")
    var patterns: [String]

    func validate() throws {
        guard traceIdle >= 0 && traceIdle <= 86_400 else {
            throw ValidationError("--trace-idle must be between 0 and 86400 seconds")
        }
    }

    func run() async throws {
        let logger = ServiceRuntime.bootstrap(level: logLevel, label: "tracejoin.tail")
        var configuration = TailRunConfiguration(patterns: patterns)
        configuration.databasePath = database.db
        follow.apply(to: &configuration)
        configuration.traceIdle = .seconds(traceIdle)
        let rulesInForce = RulesInForce(try rules.loadSnapshot())
        configuration.rules = rulesInForce
        configuration.timeZones.rules = try rules.loadTimeZoneRules()
        configuration.onNotice = { logger.notice("\($0)") }

        do {
            let store = try IncidentStore(path: configuration.databasePath, backgroundCheckpoints: true)
            let runID = try store.beginRun(command: "tail", inputs: patterns, rulesDigest: rulesInForce.current.digest)
            let runner = try TailRunner(configuration: configuration, store: store)
            let databasePath = configuration.databasePath
            let report = FollowReport { paths in
                print("tail: following \(paths.count) file(s) into \(databasePath)")
                for path in paths { print("  \(path)") }
                fflush(nil)
            }
            let tail = TailService(runner: runner, onPoll: report.callback)
            let reload = RuleReload(rules: rules, logger: logger, into: rulesInForce)
            defer { reload.cancel() }
            try await ServiceRuntime.run([tail], logger: logger)

            let counts = runner.counts
            try store.finishRun(
                runID,
                statsJSON:
                    "{\"lines\":\(counts.lines),\"records\":\(counts.recordsWritten),\"dropped\":\(counts.droppedByRules)}")
            print("tail: stopped; \(counts.lines) lines read, \(counts.recordsWritten) records stored")
        } catch let diagnostic as Diagnostic {
            Console.error(diagnostic)
            throw ExitStatus.failure
        }
    }
}
