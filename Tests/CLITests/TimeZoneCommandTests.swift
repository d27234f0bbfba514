import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Zone-less log times through the built binary: the machine's `TZ`, and `--timezone` over it.
@Suite struct TimeZoneCommandTests {
    static let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"

    /// Ingests one zone-less line and returns the JSON `show` prints for its trace.
    static func ingest(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, json: String) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        try "2026-11-23 10:00:00,123 ERROR c.e.App - failed trace_id=\(traceHex)\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        let database = folder.file("t.db")
        let batch = try CommandRunner.run(
            ["batch", "--quiet", "--db", database] + arguments + [log], environment: environment)
        guard batch.status == 0 else { return (batch.status, batch.standardError) }
        let show = try CommandRunner.run(["show", "--db", database, "--format", "json", traceHex])
        return (show.status, show.standardOutput)
    }

    @Test("batch reads a zone-less time in the machine's zone (TZ): 10:00 in Berlin is 09:00Z")
    func machineZone() throws {
        let result = try Self.ingest([], environment: ["TZ": "Europe/Berlin"])
        #expect(result.status == 0)
        #expect(result.json.contains("\"time\":\"2026-11-23T09:00:00.123"), "\(result.json)")
    }

    @Test("--timezone wins over TZ: 10:00 at +05:30 is 04:30Z")
    func optionWins() throws {
        let result = try Self.ingest(["--timezone", "+05:30"], environment: ["TZ": "Europe/Berlin"])
        #expect(result.status == 0)
        #expect(result.json.contains("\"time\":\"2026-11-23T04:30:00.123"), "\(result.json)")
    }

    @Test("a --timezone that is no zone is bad usage, exit 64, with what to write instead")
    func badZone() throws {
        let result = try Self.ingest(["--timezone", "Europe/Berln"], environment: [:])
        #expect(result.status == 64)
        #expect(result.json.contains("not a time zone"))
    }

    @Test("tail and serve take --timezone too", arguments: ["tail", "serve"])
    func followersTakeTheOption(_ command: String) throws {
        let help = try CommandRunner.run([command, "--help"])
        #expect(help.standardOutput.contains("--timezone <zone>"))
    }

    @Test("a rule file's timezone entry wins over --timezone for its files; rules check lists it")
    func ruleWins() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let rules = folder.file("zones.yaml")
        try "- id: zone.app\n  timezone: {files: 'app.log', zone: Europe/Berlin}\n"
            .write(toFile: rules, atomically: true, encoding: .utf8)
        let result = try Self.ingest(["--rules", rules, "--timezone", "+05:30"], environment: [:])
        #expect(result.status == 0)
        #expect(result.json.contains("\"time\":\"2026-11-23T09:00:00.123"), "\(result.json)")
        let check = try CommandRunner.run(["rules", "check", rules])
        #expect(check.status == 0)
        #expect(check.standardOutput.contains("zone.app: zone-less times of app.log are read in Europe/Berlin"))
    }

    @Test("an unknown zone in a rule file stops batch with exit 78 and its file:line:col")
    func badRuleZone() throws {
        let path = FixturePaths.fixture("rules/bad-timezone/unknown-zone.yaml")
        let result = try Self.ingest(["--rules", path], environment: [:])
        #expect(result.status == 78)
        #expect(result.json.contains("\(path):3:43: error: unknown time zone"), "\(result.json)")
    }
}
