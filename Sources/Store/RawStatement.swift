import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the writer's per-row inserts.
///
/// GRDB's `StatementArguments` box every value in a `DatabaseValue` array; binding straight
/// from Swift values skips that per row. The statement comes from GRDB's cache of the connection
/// (`cachedStatement`), which owns and finalizes it, so the writer's statements are prepared once, not at every
/// transaction (3 % of the writer's time); this type only binds, steps and resets. Errors carry SQLite's message
/// and the SQL, never the bound values.
///
/// Text is copied into a `BindArena` and bound without a copy by SQLite (`SQLITE_STATIC`), so
/// every parameter must be bound again before each `run()`, which resets the arena.
struct RawStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let arena: BindArena

    init(_ db: Database, arena: BindArena, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection!
        self.arena = arena
    }

    /// SQLite uses the bytes in place; the arena keeps them until the statement has run.
    private static let staticBytes: sqlite3_destructor_type? = nil

    @inline(__always)
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    @inline(__always)
    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    @inline(__always)
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    @inline(__always)
    func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    @inline(__always)
    func bind(_ index: Int32, _ value: String) {
        // Native strings are contiguous UTF-8: read in place, without the copy `withUTF8` (mutating) needs.
        let bound: Void? = value.utf8.withContiguousStorageIfAvailable { bind(index, utf8: $0) }
        if bound == nil {
            var copy = value
            copy.withUTF8 { bind(index, utf8: $0) }
        }
    }

    @inline(__always)
    private func bind(_ index: Int32, utf8 buffer: UnsafeBufferPointer<UInt8>) {
        // The arena's pointer is never null, so "" is stored as '' and not NULL.
        sqlite3_bind_text(
            handle, index, arena.copy(UnsafeRawBufferPointer(buffer)), Int32(buffer.count), Self.staticBytes)
    }

    /// Text that stays where it is until the statement has run (a ``RowBatch``'s), bound without a copy.
    @inline(__always)
    func bind(_ index: Int32, inPlace base: UnsafeMutablePointer<UInt8>, _ range: TextRange) {
        sqlite3_bind_text(handle, index, UnsafeRawPointer(base + range.start), Int32(range.count), Self.staticBytes)
    }

    /// Text, or NULL.
    @inline(__always)
    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Text, or NULL for an empty string.
    @inline(__always)
    func bind(_ index: Int32, nonEmpty value: String) {
        if value.isEmpty { sqlite3_bind_null(handle, index) } else { bind(index, value) }
    }

    /// UTF-8 JSON bytes as text, or NULL.
    @inline(__always)
    func bind(_ index: Int32, _ bytes: [UInt8]?) {
        guard let bytes else {
            sqlite3_bind_null(handle, index)
            return
        }
        _ = bytes.withUnsafeBytes { buffer in
            sqlite3_bind_text(handle, index, arena.copy(buffer), Int32(buffer.count), Self.staticBytes)
        }
    }

    /// Runs the statement to completion and returns how many rows it changed.
    @discardableResult
    func run() throws -> Int {
        defer {
            sqlite3_reset(handle)
            // No statement keeps a pointer into the arena once it has run.
            sqlite3_clear_bindings(handle)
            arena.reset()
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return Int(sqlite3_changes(connection)) }
            if code != SQLITE_ROW { throw failure(code) }
        }
    }

    /// Runs a query and returns the first column of its first row as an integer, if there is one.
    func firstInt64() throws -> Int64? {
        defer {
            sqlite3_reset(handle)
            // No statement keeps a pointer into the arena once it has run.
            sqlite3_clear_bindings(handle)
            arena.reset()
        }
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return sqlite3_column_int64(handle, 0) }
        if code == SQLITE_DONE { return nil }
        throw failure(code)
    }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)),
            sql: statement.sql)
    }
}
