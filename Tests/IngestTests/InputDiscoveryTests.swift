import Ingest
import Testing
import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct InputDiscoveryTests {
    /// logs/ with services, a nested rotated backup, hidden entries and a span export.
    static func makeTree() -> TemporaryFolder {
        let folder = TemporaryFolder()
        folder.write("logs/order-service.log", "a\n")
        folder.write("logs/user-service.log", "bb\n")
        folder.write("logs/archive/order-service.log.1.gz", GzipEncoder.compress(Array("c\n".utf8)))
        folder.write("logs/archive/2026/11/payment-service.log.2.gz", GzipEncoder.compress(Array("d\n".utf8)))
        folder.write("logs/.hidden.log", "secret\n")
        folder.write("logs/.git/config", "x\n")
        folder.write("spans/otlp.json", "{}\n")
        return folder
    }

    @Test("a folder is walked recursively, sorted, hidden files and folders skipped")
    func folderWalk() throws {
        let folder = Self.makeTree()
        let files = try InputDiscovery.expand([folder.path + "/logs"])
        #expect(
            files.map { $0.path.replacingPrefix(folder.path + "/", with: "") } == [
                "logs/archive/2026/11/payment-service.log.2.gz", "logs/archive/order-service.log.1.gz",
                "logs/order-service.log", "logs/user-service.log",
            ])
        #expect(files.first { $0.path.hasSuffix("user-service.log") }?.size == 3)
    }

    @Test(
        "globs expand *, ? and [...] within a folder and ** across folders",
        arguments: [
            ("logs/*.log", ["logs/order-service.log", "logs/user-service.log"]),
            ("logs/?ser-service.log", ["logs/user-service.log"]),
            ("logs/[ou]*-service.log", ["logs/order-service.log", "logs/user-service.log"]),
            ("logs/**/*.gz", ["logs/archive/2026/11/payment-service.log.2.gz", "logs/archive/order-service.log.1.gz"]),
            ("**/otlp.json", ["spans/otlp.json"]),
            ("*/archive", ["logs/archive/2026/11/payment-service.log.2.gz", "logs/archive/order-service.log.1.gz"]),
            ("logs/.h*", ["logs/.hidden.log"]),
        ])
    func globs(pattern: String, expected: [String]) throws {
        let folder = Self.makeTree()
        let files = try InputDiscovery.expand([folder.path + "/" + pattern])
        #expect(files.map { $0.path.replacingPrefix(folder.path + "/", with: "") } == expected)
    }

    @Test("a path that does not exist is an error naming it, with a hint")
    func missingPath() throws {
        let folder = Self.makeTree()
        let missing = folder.path + "/logs/nope.log"
        let error = #expect(throws: Diagnostic.self) { try InputDiscovery.expand([folder.path + "/logs", missing]) }
        #expect(error?.location.source == missing)
        #expect(error?.message == "no such file or folder")
        #expect(error?.hint != nil)
    }

    @Test("a glob that matches nothing is an error naming the glob")
    func emptyGlob() throws {
        let folder = Self.makeTree()
        let pattern = folder.path + "/logs/*.txt"
        let error = #expect(throws: Diagnostic.self) { try InputDiscovery.expand([pattern]) }
        #expect(error?.location.source == pattern)
        #expect(error?.message == "no file matches this glob")
    }

    @Test("the same file reached by two arguments, or through a link, is listed once")
    func duplicates() throws {
        let folder = Self.makeTree()
        let direct = folder.path + "/logs/order-service.log"
        symlink(direct, folder.path + "/spans/linked.log")
        let files = try InputDiscovery.expand([direct, folder.path + "/logs/*.log", folder.path + "/spans"])
        #expect(
            files.map { $0.path.replacingPrefix(folder.path + "/", with: "") } == [
                "logs/order-service.log", "logs/user-service.log", "spans/otlp.json",
            ])
    }

    @Test("a linked file inside a folder is read (Kubernetes /var/log/containers holds links)")
    func linkedFile() throws {
        let folder = TemporaryFolder()
        let target = folder.write("pods/ns_pod_uid/app/0.log", "x\n")
        folder.write("containers/.keep", "")
        symlink(target, folder.path + "/containers/pod_ns_app-" + String(repeating: "a", count: 64) + ".log")
        let files = try InputDiscovery.expand([folder.path + "/containers"])
        #expect(files.count == 1)
        #expect(files.first?.path.hasSuffix("-" + String(repeating: "a", count: 64) + ".log") == true)
        #expect(files.first?.size == 2)
    }

    @Test("a FIFO a glob matches is skipped with a note; the other files are read")
    func globSkipsFIFO() throws {
        let folder = Self.makeTree()
        let fifo = folder.path + "/logs/stream.log"
        #expect(mkfifo(fifo, 0o644) == 0)
        var notes: [Diagnostic] = []
        let files = try InputDiscovery.expand([folder.path + "/logs/*.log"]) { notes.append($0) }
        #expect(
            files.map { $0.path.replacingPrefix(folder.path + "/", with: "") } == [
                "logs/order-service.log", "logs/user-service.log",
            ])
        #expect(notes.map(\.location.source) == [fifo])
        #expect(notes.first?.severity == .note)
    }

    @Test("an unreadable file is an error naming it", .disabled(if: getuid() == 0, "root reads everything"))
    func unreadable() throws {
        let folder = TemporaryFolder()
        let path = folder.write("locked.log", "x\n")
        chmod(path, 0)
        let error = #expect(throws: Diagnostic.self) { try InputDiscovery.expand([path]) }
        #expect(error?.location.source == path)
        #expect(error?.message.hasPrefix("cannot read file") == true)
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
