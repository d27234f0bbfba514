import Foundation
import GRDB
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct SchemaTests {
    @Test("a new database has every table and index of docs/schema.md")
    func migrationsCreateSchema() throws {
        let temporary = try TemporaryStore()
        let objects = try temporary.store.schemaObjects()
        for table in IncidentStore.tableNames { #expect(objects.contains(table), "missing table \(table)") }
        for index in [
            "traces_by_id", "traces_by_status", "traces_dirty", "spans_by_trace", "span_events_by_trace",
            "logs_by_trace", "logs_uncorrelated", "logs_uncorrelated_by_time",
            "sources_by_fingerprint", "rejects_by_origin",
        ] {
            #expect(objects.contains(index), "missing index \(index)")
        }
        #expect(try temporary.store.columns(of: "spans").contains("trace_key"))
        #expect(try !temporary.store.columns(of: "spans").contains("trace_id"), "spans must not carry the 16-byte ID")
    }

    @Test("every column is documented in docs/schema.md")
    func schemaIsDocumented() throws {
        let temporary = try TemporaryStore()
        let document = try String(contentsOfFile: FixturePaths.repositoryRoot + "/docs/schema.md", encoding: .utf8)
        for table in IncidentStore.tableNames {
            #expect(document.contains("### `\(table)`"), "no section for \(table)")
            for column in try temporary.store.columns(of: table) {
                #expect(document.contains("| `\(column)` |"), "\(table).\(column) is not documented")
            }
        }
    }

    @Test("connections use WAL, synchronous NORMAL and secure_delete")
    func pragmas() throws {
        let temporary = try TemporaryStore()
        #expect(try temporary.store.pragma("journal_mode") == "wal")
        #expect(try temporary.store.pragma("secure_delete") == "1")
        #expect(try temporary.store.pragma("synchronous") == "1")
        #expect(try temporary.store.pragma("page_size") == "16384")
    }

    @Test("reopening a database keeps its rows and migrates nothing twice")
    func reopen() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write([.log(StoreSamples.log("hello", offset: 0))], source: source)
        let reopened = try IncidentStore(path: temporary.path)
        #expect(try reopened.counts().logs == 1)
    }

    @Test("a file that is not SQLite is refused with its path")
    func notSQLite() throws {
        let temporary = try TemporaryStore()
        let path = temporary.directory + "/notes.txt"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try IncidentStore(path: path) }
        #expect(error?.description.contains("notes.txt") == true)
        #expect(error?.description.contains("not a tracejoin database") == true)
    }

    @Test("another program's SQLite database is refused and left unchanged")
    func foreignDatabase() throws {
        let temporary = try TemporaryStore()
        let path = temporary.directory + "/other.db"
        try ForeignDatabase.create(at: path)
        let error = #expect(throws: StoreError.self) { try IncidentStore(path: path) }
        #expect(error?.message == "not a tracejoin database")
    }

    @Test("openExisting on a missing file says to run batch first")
    func missingDatabase() throws {
        let temporary = try TemporaryStore()
        let path = temporary.directory + "/none.db"
        let error = #expect(throws: StoreError.self) { try IncidentStore.openExisting(path: path) }
        #expect(error?.message == "no database at \(path): run `tracejoin batch` first")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a database in a directory that does not exist is a clear error")
    func unwritable() throws {
        let error = #expect(throws: StoreError.self) {
            try IncidentStore(path: "/nonexistent-dir-\(UUID().uuidString)/x.db")
        }
        #expect(error?.message.hasPrefix("cannot open the database for writing") == true)
    }
}

/// Another application's SQLite file: one table of its own, no tracejoin application ID.
enum ForeignDatabase {
    static func create(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)") }
    }
}

@Suite struct ConcurrentOpenTests {
    @Test("several openers of one new file at once all get a migrated store (tail starting while show opens it)")
    func concurrentMigrations() throws {
        for _ in 0..<5 {
            let directory = NSTemporaryDirectory() + "tracejoin-open-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/incidents.db"
            let failures = NSLock()
            nonisolated(unsafe) var errors: [String] = []
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    let store = try IncidentStore(path: path)
                    _ = try store.counts()
                } catch {
                    failures.withLock { errors.append("\(error)") }
                }
            }
            #expect(errors.isEmpty, "\(errors)")
        }
    }
}
