import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The whole-pipeline privacy check of issue #4: after `batch` on the bundled night, which plants
/// personal data in messages, JSON fields, nested attributes, span attributes, stack traces, URLs,
/// gzip files, Docker-wrapped lines and malformed lines, no planted value is anywhere in the
/// database file, its WAL or its free pages (`secure_delete` zeroes those), while IDs, UUIDs,
/// timestamps and order numbers survive intact.
@Suite(.serialized) struct PrivacyTests {
    static func lines(_ relative: String) -> [String] {
        let text = (try? String(contentsOfFile: FixturePaths.fixture(relative), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Every byte of the database and its side files after a `batch` run.
    static func databaseBytes(arguments: [String]) throws -> Data {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let db = folder.file("night.db")
        let result = try CommandRunner.run(["batch", "--quiet", "--db", db] + arguments + [FixturePaths.fixture("night")])
        #expect(result.status == 0, "batch failed: \(result.standardError)")
        var bytes = Data()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let data = FileManager.default.contents(atPath: db + suffix) { bytes.append(data) }
        }
        return bytes
    }

    /// The forms a value can take once stored: as written, and JSON-escaped inside attribute text.
    static func storedForms(of value: String) -> [Data] {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return Set([value, escaped]).map { Data($0.utf8) }
    }

    @Test("no planted personal data reaches the database, and look-alikes survive")
    func nothingPlantedIsStored() throws {
        let planted = Self.lines("expected/planted-pii.txt")
        let survivors = Self.lines("expected/must-survive.txt")
        #expect(planted.count > 200)
        let bytes = try Self.databaseBytes(arguments: [])
        let leaked = planted.filter { value in Self.storedForms(of: value).contains { bytes.range(of: $0) != nil } }
        #expect(leaked.isEmpty, "\(leaked.count) planted values were stored (values not printed)")
        let lost = survivors.filter { bytes.range(of: Data($0.utf8)) == nil }
        #expect(lost.isEmpty, "\(lost.count) values that must survive were changed: \(lost.prefix(5))")
    }

    @Test("report pii counts what was removed per rule and service, and prints no value")
    func reportCountsWithoutValues() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let db = folder.file("night.db")
        _ = try CommandRunner.run(["batch", "--quiet", "--db", db, FixturePaths.fixture("night")])
        let text = try CommandRunner.run(["report", "pii", "--db", db])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("pii.email"))
        let planted = Self.lines("expected/planted-pii.txt")
        #expect(!planted.contains { text.standardOutput.contains($0) })
        let json = try CommandRunner.run(["report", "pii", "--db", db, "--format", "json"])
        let rows = try #require(try JSONParser.parse(json.standardOutput).array)
        let emails = rows.filter { $0["rule"]?.string == "pii.email" }
        #expect(emails.contains { $0["service"]?.string == "user-service" && ($0["count"]?.int64 ?? 0) > 0 })
    }

    @Test("without the rules the same check finds the planted data, so it can fail")
    func checkCanFail() throws {
        let planted = Self.lines("expected/planted-pii.txt")
        let bytes = try Self.databaseBytes(arguments: ["--no-default-rules"])
        let leaked = planted.filter { bytes.range(of: Data($0.utf8)) != nil }
        #expect(leaked.count > planted.count / 2)
    }
}
