import Foundation
import Testing
import TraceJoinTesting

/// `tracejoin rules …` run as a user would.
@Suite struct RulesCommandTests {
    @Test("rules test passes on the shipped packs, scrubbing and classification alike")
    func shippedPacksPass() throws {
        let result = try CommandRunner.run(["rules", "test", FixturePaths.repositoryRoot + "/Rules"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("examples of"))
    }

    @Test("rules check on bad rule files exits 78 with file:line:col messages")
    func badRulesAreRefused() throws {
        let result = try CommandRunner.run(["rules", "check", FixturePaths.fixture("rules/bad")])
        #expect(result.status == 78)
        #expect(result.standardError.contains("unclosed-group.yaml:5:14: error:"))
        #expect(result.standardError.contains("hint:"))
    }

    @Test("rules check names a rule file that cannot be read, and why, and still checks the others")
    func unreadableFileIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(atPath: folder.file("gone.yaml"), withDestinationPath: "/nonexistent/x.yaml")
        try FileManager.default.copyItem(
            atPath: FixturePaths.fixture("rules/bad/unclosed-group.yaml"), toPath: folder.file("unclosed-group.yaml"))
        let result = try CommandRunner.run(["rules", "check", folder.path])
        #expect(result.status == 78)
        #expect(result.standardError.contains("gone.yaml: error: rule file cannot be read: No such file or directory"))
        #expect(result.standardError.contains("unclosed-group.yaml:5:14: error:"))
    }

    @Test("a bad rule set stops batch before anything is written, with exit 78")
    func badRulesStopBatch() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let db = folder.file("never.db")
        let result = try CommandRunner.run([
            "batch", "--rules", FixturePaths.fixture("rules/bad"), "--db", db, FixturePaths.fixture("night"),
        ])
        #expect(result.status == 78)
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("rules explain names the rules that hit and shows the result")
    func explain() throws {
        let result = try CommandRunner.run(["rules", "explain", "card 4111 1111 1111 1111 failed for bob@example.com"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("pii.email"))
        #expect(result.standardOutput.contains("<email>"))
        #expect(!result.standardOutput.contains("result: card 4111 1111 1111 1111"))
    }
}
