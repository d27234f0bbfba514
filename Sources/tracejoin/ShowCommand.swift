import ArgumentParser
import Foundation
import Pipeline
import Store
import TraceJoinCore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the timeline of one request: its spans, span events and logs in time order.",
        discussion: """
            The trace ID may be given in any form it shows up in: 32 or 16 hex digits, a W3C traceparent \
            (00-<trace id>-<span id>-01), base64 of the 16 bytes, an AWS X-Ray ID (1-5759e988-bd86…), \
            or a Datadog decimal ID (the lower 64 bits), which finds the full trace.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "text (a waterfall for people) or json (one object, for tools).")
    var format: OutputFormat = .text

    @Argument(help: "The trace ID.")
    var traceID: String

    func validate() throws {
        if TraceIDText.parse(traceID) == nil {
            throw ValidationError(
                "'\(traceID)' is not a trace ID: give 32 or 16 hex digits, a traceparent, base64, an X-Ray ID or a Datadog decimal ID")
        }
    }

    func run() throws {
        let store = try openStore(database.db)
        // 16 decimal digits read as hex first, then as a Datadog decimal ID.
        var timelines: [(timeline: TraceTimeline, classification: TraceClassification?)] = []
        for reference in TraceIDText.readings(traceID) where timelines.isEmpty {
            timelines = try TimelineQuery.classifiedTimelines(for: reference, in: store)
        }
        guard !timelines.isEmpty else {
            Console.note("error: no trace \(traceID) in \(database.db)")
            throw ExitStatus.failure
        }
        let formatter = TimelineTextFormatter(width: terminalWidth(), colour: standardOutputIsTerminal())
        for (timeline, classification) in timelines {
            switch format {
            case .json: print(TimelineJSONFormatter.format(timeline, classification: classification))
            case .text: print(formatter.format(timeline, classification: classification))
            }
        }
    }
}

/// Opens an existing database for a query, turning a failure into a clear message and exit 1.
func openStore(_ path: String) throws -> IncidentStore {
    do {
        return try IncidentStore.openExisting(path: path)
    } catch let error as StoreError {
        Console.note(error.description)  // names the file and says `error:` itself
        throw ExitStatus.failure
    } catch {
        Console.note("error: \(error)")
        throw ExitStatus.failure
    }
}

func standardOutputIsTerminal() -> Bool { isatty(STDOUT_FILENO) == 1 }

/// The terminal's width, or 120 columns when output is not a terminal.
func terminalWidth() -> Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
        return Int(size.ws_col)
    }
    return 120
}
