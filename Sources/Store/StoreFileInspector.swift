import Foundation
import GRDB
import GRDBSQLite

/// What a database path holds, found through a read-only connection before anything writes to it.
///
/// Opening a `DatabasePool` for writing switches the file to WAL mode at once, and GRDB's migrator would
/// write a whole schema into an empty file: so a file that turns out not to be ours must be recognised
/// before that (issue #14), and queries never open the file for writing at all.
enum StoreFileInspector {
    enum Content: Equatable {
        /// No file at the path.
        case missing
        /// A 0-byte file, or an SQLite database with no tables and no application ID.
        case empty
        /// A tracejoin database; `current` is false when this tracejoin has migrations to apply to it.
        case tracejoin(current: Bool)
    }

    /// How a read-only connection can read the file.
    enum ReadAccess: Equatable {
        /// As SQLite always does: with locks, reading the write-ahead log through its `-shm` index.
        case shared
        /// With `immutable=1`: no locks and no write-ahead log. SQLite cannot read a WAL database read-only
        /// in a folder where it may not create the `-shm` file; with no writer running, the log holds
        /// nothing the file does not (the last connection to close copies it in and deletes it).
        case immutable
    }

    /// Inspects the file at `path`; throws a `StoreError` for a file that is not a tracejoin database, was
    /// written by a newer tracejoin, or cannot be read (`purpose` words that error).
    static func inspect(path: String, purpose: Purpose) throws -> (content: Content, access: ReadAccess) {
        SQLiteProcessSettings.apply()
        guard FileManager.default.fileExists(atPath: path) else { return (.missing, .shared) }
        if fileSize(path) == 0, fileSize(path + "-wal") ?? 0 == 0 { return (.empty, .shared) }
        do {
            do {
                return (try content(of: path, readingAt: path), .shared)
            } catch let error as DatabaseError
                where error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN
            {
                guard let uri = immutableURI(path) else { throw error }
                return (try content(of: path, readingAt: uri), .immutable)
            }
        } catch let error as DatabaseError {
            throw IncidentStore.describe(error, path: path, purpose: purpose)
        }
    }

    /// The name a read-only connection opens for `access`.
    static func connectionPath(_ path: String, access: ReadAccess) -> String {
        switch access {
        case .shared: path
        case .immutable: immutableURI(path) ?? path
        }
    }

    private static func content(of path: String, readingAt location: String) throws -> Content {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: location, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            if applicationID != StoreSchema.applicationID {
                guard applicationID == 0, tableCount == 0 else {
                    throw StoreError(
                        path: path, message: "not a tracejoin database",
                        hint: "pass --db with a new file name or a database tracejoin created")
                }
                return .empty
            }
            let migrator = StoreSchema.migrator
            if try migrator.hasBeenSuperseded(db) {
                throw StoreError(
                    path: path, message: "the database was written by a newer tracejoin", hint: "upgrade tracejoin")
            }
            return .tracejoin(current: try migrator.hasCompletedMigrations(db))
        }
    }

    /// `file://<absolute path>?immutable=1`, or nil when this SQLite library reads no URI file names.
    ///
    /// — source: https://www.sqlite.org/uri.html (`?`, `#` and `%` in the path are %-escaped)
    private static func immutableURI(_ path: String) -> String? {
        guard sqlite3_compileoption_used("USE_URI") == 1 else { return nil }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var escaped = ""
        for character in absolute.unicodeScalars {
            switch character {
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            case "%": escaped += "%25"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "file://\(escaped)?immutable=1"
    }

    private static func fileSize(_ path: String) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
    }
}

extension StoreFileInspector {
    /// What the caller opens the file for, which words an error reading it.
    enum Purpose {
        case writing
        case reading
    }
}
