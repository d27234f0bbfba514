import Foundation
import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct ShippedRulesTests {
    static let folder = FixturePaths.repositoryRoot + "/Rules"

    static func shipped() throws -> [Rule] {
        let loaded = RuleLoader.load(try RuleSource.files(in: folder))
        #expect(loaded.diagnostics.map(\.description) == [])
        return loaded.rules
    }

    @Test("the shipped packs load without a diagnostic")
    func loads() throws {
        let rules = try Self.shipped()
        #expect(rules.count >= 15)
        #expect(rules.contains { $0.id == "pii.email" })
    }

    @Test("rules test over Rules/ passes: every example of every shipped rule holds")
    func examplesPass() throws {
        let report = RuleTester.test(try Self.shipped())
        #expect(report.failures.map(\.description) == [])
        #expect(report.examplesRun >= 60)
    }

    @Test("every shipped rule has examples both ways: a change and something it must leave alone")
    func examplesBothWays() throws {
        for rule in try Self.shipped() {
            #expect(rule.examples.contains { $0.output != nil }, "\(rule.id) has no in/out example")
            #expect(rule.examples.contains { $0.output == nil }, "\(rule.id) has no keep example")
        }
    }

    @Test("the copy built into the binary equals Rules/ (run scripts/embed-rules.sh after editing a pack)")
    func embeddedCopyMatches() throws {
        let onDisk = try RuleSource.files(in: Self.folder).map { source in
            RuleSource(path: "Rules/" + source.path.dropFirst(Self.folder.count + 1), text: source.text)
        }
        #expect(RuleSource.builtIn.map(\.path) == onDisk.map(\.path))
        for (embedded, file) in zip(RuleSource.builtIn, onDisk) {
            #expect(embedded.text == file.text, "\(file.path) differs from its embedded copy")
        }
    }

    @Test("the built-in rule set has a stable digest that changes when a rule changes")
    func digest() throws {
        let builtIn = try RuleSet(layers: [RuleSource.builtIn])
        let again = try RuleSet(layers: [RuleSource.builtIn])
        #expect(builtIn.digest == again.digest)
        #expect(builtIn.digest.count == 64)
        let override = RuleSource(
            path: "user/email.yaml",
            text: "- id: pii.email\n  match: {pattern: '@'}\n  action: {redact: '<at>'}\n")
        let changed = try RuleSet(layers: [RuleSource.builtIn, [override]])
        #expect(changed.digest != builtIn.digest)
        #expect(changed.rules.count == builtIn.rules.count)
    }
}
