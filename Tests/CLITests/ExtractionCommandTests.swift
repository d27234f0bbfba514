import Foundation
import Testing
import TraceJoinTesting

/// Trace-context extraction rules (`extract:` entries) through the CLI, as a user would use them.
@Suite struct ExtractionCommandTests {
    static let traceHex = "5b8efff798038103d269b633813fc60c"

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A folder holding a span of `traceHex` and a plain log whose lines name it as `key<hex>`.
    static func inputs(in folder: TemporaryFolder, key: String) throws -> String {
        let inputs = folder.file("inputs")
        try write(
            """
            [{"traceId": "\(traceHex)", "id": "eee19b7ec3c1b174", "name": "charge", "timestamp": 1764064800000000,
              "duration": 5000, "localEndpoint": {"serviceName": "payments"}, "tags": {"error": "declined"}}]
            """, to: inputs + "/spans.json")
        try write(
            """
            2025-11-25 10:00:00,001 ERROR charge failed \(key)\(traceHex)
            2025-11-25 10:00:00,002 INFO retry scheduled \(key)\(traceHex)

            """, to: inputs + "/payments.log")
        return inputs
    }

    /// `batch` then `logs` (the uncorrelated lines) on a fresh database.
    static func uncorrelatedAfterBatch(_ options: [String], inputs: String, db: String) throws -> String {
        let batch = try CommandRunner.run(["batch", "--quiet", "--db", db] + options + [inputs])
        #expect(batch.status == 0, "\(batch.standardError)")
        let logs = try CommandRunner.run(["logs", "--db", db])
        #expect(logs.status == 0, "\(logs.standardError)")
        return logs.standardOutput
    }

    @Test("batch --rules with a user extraction rule joins its lines to their trace; without it they stay uncorrelated")
    func userRuleJoins() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let inputs = try Self.inputs(in: folder, key: "correlation=")
        let rules = folder.file("my-rules")
        try Self.write(
            """
            - id: user.correlation
              description: our gateway's correlation header, printed in text
              extract: {trace-key: 'correlation='}
              examples:
                - {in: 'ERROR charge failed correlation=\(Self.traceHex)', trace: \(Self.traceHex)}
                - {keep: 'tenant \(Self.traceHex) created'}
            """, to: rules + "/extract.yaml")

        let with = try Self.uncorrelatedAfterBatch(["--rules", rules], inputs: inputs, db: folder.file("with.db"))
        #expect(with.contains("no uncorrelated logs match"), "\(with)")
        let show = try CommandRunner.run(["show", "--db", folder.file("with.db"), Self.traceHex])
        #expect(show.status == 0, "\(show.standardError)")
        #expect(show.standardOutput.contains("charge failed"))

        let without = try Self.uncorrelatedAfterBatch([], inputs: inputs, db: folder.file("without.db"))
        #expect(without.contains("charge failed"))
        #expect(without.contains("retry scheduled"))

        let tested = try CommandRunner.run(["rules", "test", rules])
        #expect(tested.status == 0, "\(tested.standardError)")
        #expect(tested.standardOutput.contains("2 examples of 1 rules passed"))
    }

    @Test("--no-default-rules with no user extraction rules leaves shipped-pattern lines uncorrelated")
    func noDefaultRules() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let inputs = try Self.inputs(in: folder, key: "trace_id=")
        let shipped = try Self.uncorrelatedAfterBatch([], inputs: inputs, db: folder.file("shipped.db"))
        #expect(shipped.contains("no uncorrelated logs match"), "\(shipped)")
        let off = try Self.uncorrelatedAfterBatch(["--no-default-rules"], inputs: inputs, db: folder.file("off.db"))
        #expect(off.contains("charge failed"))
        #expect(off.contains("retry scheduled"))
    }

    @Test("rules test fails on an extraction example that does not hold, naming file:line:col")
    func failingExample() throws {
        let path = FixturePaths.fixture("rules/bad-extract/failing-example.yaml")
        let result = try CommandRunner.run(["rules", "test", path])
        #expect(result.status == 78)
        #expect(result.standardError.contains("failing-example.yaml:5:7: error: example 2 fails"))
        let keep = try CommandRunner.run(["rules", "test", FixturePaths.fixture("rules/bad-extract/keep-matches.yaml")])
        #expect(keep.status == 78)
        #expect(keep.standardError.contains("keep-matches.yaml:4:7: error: example 1 fails: must yield no trace"))
    }

    @Test("a bad extraction rule set stops batch with exit 78 before anything is written")
    func badSetStopsBatch() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let db = folder.file("never.db")
        let result = try CommandRunner.run([
            "batch", "--rules", FixturePaths.fixture("rules/bad-extract/bad-id-form.yaml"), "--db", db,
            FixturePaths.fixture("night"),
        ])
        #expect(result.status == 78)
        #expect(result.standardError.contains("bad-id-form.yaml:2:46: error: unknown id-form"))
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
