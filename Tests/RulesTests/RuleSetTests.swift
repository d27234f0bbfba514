import Foundation
import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct RuleSetTests {
    @Test("a user folder's rule with the same id overrides the shipped one")
    func overrideByID() throws {
        let user = RuleSource(
            path: "my-rules/email.yaml",
            text: "- id: pii.email\n  match: {pattern: '\\w+@\\w+\\.com'}\n  action: {redact: '[mail]'}\n")
        let rules = try RuleSet(layers: [RuleSource.builtIn, [user]])
        let scrubber = try Scrubber(ruleSet: rules, hashKey: nil)
        let record = scrubber.scrub(.log(LogRecord(time: nil, message: "hi bob@example.com", origin: Samples.origin)))
        guard case .log(let log) = record else {
            Issue.record("dropped")
            return
        }
        #expect(log.message == "hi [mail]")
    }

    @Test("a folder loads every .yaml and .yml file below it, sorted by path")
    func folder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/b", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rule = { (id: String) in "- id: \(id)\n  match: {pattern: 'x'}\n  action: drop-field\n" }
        try rule("two").write(toFile: folder + "/b/two.yml", atomically: true, encoding: .utf8)
        try rule("one").write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        try "not a rule".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        let sources = try RuleSource.files(in: folder)
        #expect(sources.map(\.path) == [folder + "/a.yaml", folder + "/b/two.yml"])
        #expect(RuleLoader.load(sources).rules.map(\.id) == ["one", "two"])
    }

    @Test("a bad rule set throws every diagnostic and loads nothing")
    func badSetThrows() {
        let bad = RuleSource(
            path: "bad.yaml", text: "- id: x\n  match: {pattern: '('}\n  action: {redact: y}\n- id: z\n")
        #expect(throws: RuleSetError.self) { try RuleSet(layers: [[bad]]) }
        do {
            _ = try RuleSet(layers: [[bad]])
        } catch {
            #expect(error.diagnostics.count == 3)
        }
    }
}

@Suite struct ScrubberLoadingTests {
    @Test("rules check on Rules/ is clean, and on the bad fixtures reports one error per file")
    func check() {
        #expect(RuleCheck.diagnostics(forFolder: FixturePaths.repositoryRoot + "/Rules").isEmpty)
        let bad = RuleCheck.diagnostics(forFolder: FixturePaths.fixture("rules/bad"))
        #expect(bad.count == 8)
        #expect(bad.allSatisfy { $0.severity == .error })
    }

    @Test("the default scrubber loads the built-in packs plus user folders, and a missing folder is an error")
    func load() throws {
        let scrubber = try Scrubber.load()
        #expect(scrubber.digest == (try RuleSet(layers: [RuleSource.builtIn])).digest)
        #expect(throws: RuleSetError.self) { try Scrubber.load(ruleFolders: ["/nonexistent/rules"]) }
        #expect(throws: RuleSetError.self) { try Scrubber.load(ruleFolders: [FixturePaths.fixture("rules/bad")]) }
        let none = try Scrubber.load(includeBuiltIn: false)
        guard
            case .log(let log) = none.scrub(
                .log(LogRecord(time: nil, message: "a@example.com", origin: Samples.origin)))
        else {
            Issue.record("dropped")
            return
        }
        #expect(log.message == "a@example.com")
    }
}

@Suite struct HashKeyTests {
    @Test("the key comes from TRACEJOIN_HASH_KEY, else from the key file, else there is none")
    func sources() throws {
        #expect(try HashKey.load(environment: ["TRACEJOIN_HASH_KEY": "k"]) == Array("k".utf8))
        #expect(try HashKey.load(environment: [:]) == nil)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "0123456789abcdef0123\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try HashKey.load(environment: ["TRACEJOIN_HASH_KEY_FILE": path]) == Array("0123456789abcdef0123".utf8))
        try "short\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: Diagnostic.self) { try HashKey.load(environment: [:], file: path) }
    }
}

@Suite struct FieldsTests {
    @Test("a rule limited by fields applies only there: url.full but not the message or other attributes")
    func fields() throws {
        let source = RuleSource(
            path: "user/fields.yaml",
            text:
                "- id: user.id-in-url\n  match: {pattern: 'user/\\d+', fields: [url.full]}\n  action: {redact: 'user/<id>'}\n"
        )
        let scrubber = try Scrubber(ruleSet: RuleSet(layers: [[source]]), hashKey: nil)
        let log = LogRecord(
            time: nil, message: "GET user/42",
            attributes: [
                Attribute("url.full", .string("https://x/user/42")), Attribute("url.path", .string("user/42")),
            ],
            origin: Samples.origin)
        guard case .log(let result) = scrubber.scrub(.log(log)) else {
            Issue.record("dropped")
            return
        }
        #expect(result.message == "GET user/42")
        #expect(result.attributes[key: "url.full"] == .string("https://x/user/<id>"))
        #expect(result.attributes[key: "url.path"] == .string("user/42"))
    }
}
