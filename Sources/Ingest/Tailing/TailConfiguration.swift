#if canImport(Glibc)
    import Glibc
    private let openFilesResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#elseif canImport(Darwin)
    import Darwin
    private let openFilesResource = RLIMIT_NOFILE
#endif

/// Settings of a ``FileTailer``.
///
/// - `patterns` ([String]): files, folders (walked, hidden entries skipped) or globs (`*`, `?`, `[…]`, `**`),
///   re-expanded on every poll, so files that start matching later (a new pod's log) are followed too.
/// - `pollInterval` (duration, default 250 ms): time between polls in ``FileTailer/run(_:)``.
/// - `startAt` (`beginning` | `end`, default `beginning`): where files found by the first poll of a tailer with
///   no restored checkpoints start. Files found later, or after a restore, always start at the beginning:
///   they were created while the tailer was not looking.
/// - `maxLineBytes` (int, default 1 MiB): longer lines are cut to this and counted.
/// - `partialLineTimeout` (duration, default 5 s): how long a last line without its newline waits before it
///   is delivered as it is (a writer that crashed mid-line). A rotated-away file delivers it at once.
/// - `rotatedGrace` (duration, default 5 s): a file rotated away (renamed out of the patterns, replaced, deleted)
///   stays open and read until it has not grown for this long, for a writer that has not reopened its log yet.
/// - `readChunkBytes` (int, default 256 KiB): size of each read.
/// - `retiredLimit` (int, default 4096): finished files remembered, so a file that comes back is not read again.
/// - `maxOpenFiles` (int, default: the soft `RLIMIT_NOFILE` less ``descriptorReserve``): descriptors the tailer
///   holds at most; files past it wait, with a notice, so the database always has the descriptors it needs.
package struct TailConfiguration: Sendable {
    package enum StartPosition: String, Sendable {
        case beginning, end
    }

    package var patterns: [String]
    package var pollInterval: Duration
    package var startAt: StartPosition
    package var maxLineBytes: Int
    package var partialLineTimeout: Duration
    package var rotatedGrace: Duration
    package var readChunkBytes: Int
    package var retiredLimit: Int
    package var maxOpenFiles: Int

    /// Descriptors left to the rest of the process (SQLite's database, WAL and shared memory, sockets, inotify).
    package static let descriptorReserve = 64

    package init(
        patterns: [String], pollInterval: Duration = .milliseconds(250), startAt: StartPosition = .beginning,
        maxLineBytes: Int = 1 << 20, partialLineTimeout: Duration = .seconds(5), rotatedGrace: Duration = .seconds(5),
        readChunkBytes: Int = 256 << 10,
        retiredLimit: Int = 4096, maxOpenFiles: Int? = nil
    ) {
        self.patterns = patterns
        self.pollInterval = pollInterval
        self.startAt = startAt
        self.maxLineBytes = max(1, maxLineBytes)
        self.partialLineTimeout = partialLineTimeout
        self.rotatedGrace = rotatedGrace
        self.readChunkBytes = max(16, readChunkBytes)
        self.retiredLimit = max(0, retiredLimit)
        self.maxOpenFiles = max(1, maxOpenFiles ?? Self.descriptorLimit() - Self.descriptorReserve)
    }

    /// The soft limit on open descriptors (`ulimit -n`).
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(openFilesResource, &limit) == 0, limit.rlim_cur < 1 << 40 else { return 1 << 20 }
        return Int(clamping: limit.rlim_cur)
    }
}
