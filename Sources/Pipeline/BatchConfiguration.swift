import Foundation
import Ingest
package import Normalize

/// Settings of one `tracejoin batch` run.
package struct BatchConfiguration: Sendable {
    /// Files, folders (walked recursively) and globs; `.gz` files are decompressed as they are read.
    package var inputs: [String]
    /// - `databasePath` (default `tracejoin.db`): the SQLite file, created if missing.
    package var databasePath: String = "tracejoin.db"
    /// - `format` (default: found from content): forces one input format for every file.
    package var format: InputFormat?
    /// - `rules` (default: no scrubbing, the shipped `Rules/classify` and `Rules/extract` packs): the rule set,
    ///   of the type `tail` and `serve` hold theirs in: `scrubber` removes personal data from every record before
    ///   it is stored, `classifier` names the kind of failure of each incident, `traceContextPatterns` are the
    ///   keyed trace-context forms the log decoder looks for in plain-text lines and messages, tried in order.
    ///   Its `digest` is recorded with the run.
    package var rules = RulesInForce.Snapshot()
    /// - `timeZones` (default: UTC for every file): the zone of zone-less log times, per file.
    package var timeZones = SourceTimeZones()
    /// - `recordsPerTransaction` (default 8192): rows written per SQLite transaction.
    package var recordsPerTransaction = 8192
    /// - `queuedBatches` (default 2): batches waiting between two stages (decoding and scrubbing, scrubbing and
    ///   writing); bounds memory.
    package var queuedBatches = 2
    /// - `scrubThreads` (default 2 where the machine has two cores or more): threads that scrub each batch;
    ///   2 adds a ``ScrubHelper`` beside the scrubbing thread. The result is the same with 1.
    package var scrubThreads = min(2, ProcessInfo.processInfo.activeProcessorCount)
    /// - `rejectsPrintedPerFile` (default 5): reject messages printed per file before only counting; 0 prints none.
    package var rejectsPrintedPerFile = 5
    /// - `maxDocumentBytes` (default 256 MiB): the largest span document read, whole (Jaeger, Zipkin,
    ///   pretty-printed OTLP) or on one line (OTLP JSON lines); larger ones are refused with a message.
    ///   A document is parsed whole in memory, so this bounds the memory one takes (see docs/ingest.md).
    package var maxDocumentBytes = DocumentReader.defaultLimit
    /// - `showProgress`: draw the live progress line.
    package var showProgress = false

    package init(inputs: [String]) {
        self.inputs = inputs
    }
}
