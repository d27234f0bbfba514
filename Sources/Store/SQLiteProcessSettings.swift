import CSQLiteSettings

/// SQLite settings that hold for the whole process, made once before its first connection opens.
///
/// Memory statistics off: this system SQLite has no lookaside memory, so every cell, record and statement
/// buffer is a `malloc` through `sqlite3Malloc`, which with statistics on takes one process-wide mutex.
/// `batch`'s writer and the summaries' readers allocated in turn and slept on that mutex hundreds of times a
/// second (docs/performance.md, "SQLite's allocation mutex"). Nothing of ours reads the statistics.
enum SQLiteProcessSettings {
    /// Whether the settings were applied: false when SQLite had already been initialised by the time the first
    /// store opened (then it keeps its defaults, which are only slower).
    static let applied: Bool = tracejoin_sqlite_disable_memstatus() == 0

    /// Applies the settings if no connection has opened yet; later calls do nothing.
    static func apply() { _ = applied }
}
