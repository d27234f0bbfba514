package import TraceJoinCore

/// Settings of one `tracejoin tail` process.
package struct TailRunConfiguration: Sendable {
    /// Files, folders and globs to follow, re-expanded on every poll.
    package var patterns: [String]
    /// - `databasePath` (default `tracejoin.db`): the SQLite file, created if missing.
    package var databasePath: String = "tracejoin.db"
    /// - `startAtEnd` (default false): files present at the first start (no stored checkpoints) are read
    ///   from their end rather than their beginning. Files found later always start at the beginning.
    package var startAtEnd = false
    /// - `pollInterval` (default 250 ms): time between polls of the followed files.
    package var pollInterval: Duration = .milliseconds(250)
    /// - `pollOnly` (default false): never wait on inotify events, only poll every `pollInterval` — for network
    ///   filesystems, where a change made on another host raises no event. Where inotify is missing the
    ///   runner polls anyway.
    package var pollOnly = false
    /// - `holdBack` (default 1 s): a file's last log record is held until the next one starts (continuation
    ///   lines: a stack trace); after this long without a new line it is written as it is.
    package var holdBack: Duration = .seconds(1)
    /// - `finalizeInterval` (default 1 s): how often traces idle for `traceIdle` are summarised, so `incidents`
    ///   lists a trace within about `traceIdle` plus this after its last line.
    package var finalizeInterval: Duration = .seconds(1)
    /// - `traceIdle` (default 30 s): a trace is summarised (status, root cause, class) once no row has reached
    ///   it for this long, and again after late data; `show` sees its entries before that (docs/streaming.md).
    package var traceIdle: Duration = .seconds(30)
    /// - `finalizesTraces` (default true): false when `serve` runs in the same process and its finalizer
    ///   summarises the traces of both.
    package var finalizesTraces = true
    /// - `linesPerTransaction` (default 8192): lines read per SQLite transaction at most.
    package var linesPerTransaction = 8192
    /// - `queuedBatches` (default 3): batches decoded ahead of the writer thread; bounds memory (a full queue
    ///   makes the poller wait, the lines wait in their files).
    package var queuedBatches = 3
    /// - `partialLineTimeout` (default 5 s): a last line without its newline is delivered after this long.
    package var partialLineTimeout: Duration = .seconds(5)
    /// - `rotatedGrace` (default 5 s): a rotated-away file is read until it has not grown for this long.
    package var rotatedGrace: Duration = .seconds(5)
    /// - `retiredLimit` (default 4096): finished files (rotated away, deleted) remembered, so one that comes back
    ///   resumes instead of being read again; `tail_checkpoints` keeps a row for these and the open files only.
    package var retiredLimit = 4096
    /// - `onNotice` (default: ignore): what the tailer has to say, once per occurrence (a matched file it cannot
    ///   open); called on the tail thread; `tracejoin tail` logs it at notice level.
    package var onNotice: @Sendable (Diagnostic) -> Void = { _ in }
    /// - `rules` (default: no scrubbing, the shipped classification and extraction packs): the holder of the rules
    ///   in force, the one `serve` uses; a set put in force with ``RulesInForce/replace(_:)`` (SIGHUP) applies from
    ///   the runner's next poll on.
    package var rules = RulesInForce(.init())
    /// - `timeZones` (default: UTC for every file): the zone of zone-less log times, per file.
    package var timeZones = SourceTimeZones()

    package init(patterns: [String]) {
        self.patterns = patterns
    }
}
