import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `incidents --group` and `--class` through the built binary, on the bundled night.
@Suite(.serialized) struct GroupCommandTests {
    static let database: Result<String, any Error> = Result {
        let folder = try TemporaryFolder()
        let path = folder.file("night.db")
        let result = try CommandRunner.run(["batch", "--quiet", "--db", path, FixturePaths.fixture("night")])
        guard result.status == 0 else { throw Failure(result: result) }
        return path
    }

    struct Failure: Error {
        var result: CommandResult
    }

    @Test("incidents --group --format json lists problems with count, first/last seen, services and an example")
    func groupJSON() throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["incidents", "--db", db, "--group", "--format", "json"])
        #expect(result.status == 0)
        let problems = try #require(try JSONParser.parse(result.standardOutput.trimmingWhitespace()).array)
        #expect(problems.count == 18)
        #expect(problems.reduce(0) { $0 + Int($1["count"]?.int64 ?? 0) } == 20)
        let top = try #require(problems.first)
        #expect(top["count"]?.int64 == 2)
        for key in [
            "fingerprint", "errorClass", "firstSeen", "lastSeen", "services", "exampleTraceId", "rule", "rootCause",
        ] {
            #expect(top[key] != nil, "missing \(key)")
        }
    }

    @Test("incidents --group as text names each problem's class and example trace")
    func groupText() throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["incidents", "--db", db, "--group", "--class", "connection"])
        #expect(result.status == 0)
        #expect(
            result.standardOutput.contains("b7d7adfae85d4a78333dbbe4895be857")
                || result.standardOutput.contains("ec2c00e2d668235441dbee4eeff69751"))
        #expect(!result.standardOutput.contains("timeout"))
    }

    @Test("show says the class, the rule and the entry it matched")
    func showExplains() throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["show", "--db", db, "b7d7adfae85d4a78333dbbe4895be857"])
        #expect(result.standardOutput.contains("class: connection — rule classify.node-econnrefused on user-service"))
    }

    @Test("an unknown --class is a usage error naming the classes")
    func unknownClass() throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["incidents", "--db", db, "--class", "timeuot"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("rate_limit"))
    }
}
