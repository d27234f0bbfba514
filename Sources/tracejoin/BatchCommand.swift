import ArgumentParser
import Foundation
import Normalize
import Pipeline
import TraceJoinCore

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Ingest log files and span exports into the database (a nightly job).",
        discussion: """
            Inputs are files, folders (read recursively) and globs; `.gz` files (multi-member too) are \
            decompressed as they are read. Each file's format is found from its content: OTLP JSON, \
            Jaeger JSON or Zipkin v2 JSON span exports; JSON, logfmt or plain-text log lines, also inside \
            Docker or CRI container wrappers. Files already ingested whole (same content, any name) are skipped.

            Malformed records are skipped, counted and kept in the database (`tracejoin rejects`); \
            a damaged file (a corrupt or truncated gzip member) keeps what was readable and is reported. \
            The exit status stays 0 in both cases unless --strict is given.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Force one input format for every file: \(InputFormat.overrideNames.joined(separator: ", ")).")
    var format: String?

    @OptionGroup var rules: RuleOptions

    @OptionGroup var zone: TimeZoneOptions

    @Flag(help: "Exit with status 65 when any record was rejected or a file could not be read to its end.")
    var strict = false

    @Flag(help: "Print nothing but errors (for cron): no progress, no skipped-record warnings, no summary.")
    var quiet = false

    @Argument(help: "Files, folders or globs to read.")
    var inputs: [String]

    func validate() throws {
        if let format, InputFormat(overrideName: format) == nil {
            throw ValidationError(
                "unknown --format '\(format)'; use one of: \(InputFormat.overrideNames.joined(separator: ", "))")
        }
    }

    func run() throws {
        var configuration = BatchConfiguration(inputs: inputs)
        configuration.databasePath = database.db
        configuration.format = format.flatMap(InputFormat.init(overrideName:))
        configuration.showProgress = !quiet && ProgressReporter.standardErrorIsTerminal
        if quiet { configuration.rejectsPrintedPerFile = 0 }
        configuration.rules = try rules.loadSnapshot()
        configuration.timeZones = zone.timeZones(rules: try rules.loadTimeZoneRules())
        let summary: BatchSummary
        do {
            summary = try BatchRunner(configuration: configuration).run()
        } catch let diagnostic as Diagnostic {
            Console.error(diagnostic)
            throw ExitStatus.failure
        }
        if !quiet { print(summary.text) }
        if strict && (summary.rejects > 0 || !summary.fileErrors.isEmpty) { throw ExitStatus.dataError }
    }
}
