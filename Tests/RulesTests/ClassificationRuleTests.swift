import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Loading classification rules: the shipped pack, and bad files pointing at their fault.
@Suite struct ClassificationRuleTests {
    static let folder = FixturePaths.repositoryRoot + "/Rules"

    static func shipped() throws -> [ClassificationRule] {
        let loaded = ClassificationRuleLoader.load(try RuleSource.files(in: folder))
        #expect(loaded.diagnostics.map(\.description) == [])
        return loaded.rules
    }

    @Test("the shipped classification pack loads without a diagnostic and covers every class")
    func shippedLoads() throws {
        let rules = try Self.shipped()
        #expect(rules.count >= 40)
        let classes = Set(rules.map(\.errorClass))
        #expect(classes == Set(ErrorClass.allCases).subtracting([.unknown]))
        #expect(Classifier.builtIn.rules.count == rules.count, "the embedded pack differs from Rules/classify")
    }

    @Test("rules test over Rules/classify passes: every example holds alone and with the whole pack")
    func shippedExamplesPass() throws {
        let report = ClassificationTester.test(try Self.shipped())
        #expect(report.failures.map(\.description) == [])
        #expect(report.examplesRun >= 100)
    }

    @Test("every shipped classification rule has an example it matches and a look-alike it must not")
    func examplesBothWays() throws {
        for rule in try Self.shipped() {
            #expect(rule.examples.contains { $0.errorClass == rule.errorClass }, "\(rule.id) has no positive example")
            #expect(rule.examples.contains { $0.errorClass != rule.errorClass }, "\(rule.id) has no negative example")
        }
    }

    @Test("the scrubbing loader leaves classification rules alone, and the other way round")
    func loadersSplitByClassKey() throws {
        let sources = try RuleSource.files(in: Self.folder)
        let pii = RuleLoader.load(sources)
        #expect(pii.diagnostics.isEmpty)
        #expect(!pii.rules.contains { $0.id.hasPrefix("classify.") })
        #expect(!(try Self.shipped()).contains { $0.id.hasPrefix("pii.") })
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var fault: String
        var position: String
        var message: String
        var hint: String?
        var testDescription: String { fault }
    }

    static let cases: [Case] = [
        Case(
            fault: "unknown-class", position: "3:10", message: "unknown class `timeuot`",
            hint: "did you mean `timeout`?"),
        Case(
            fault: "unknown-key", position: "4:3", message: "unknown key `priorty` in a classification rule",
            hint: "did you mean `priority`?"),
        Case(
            fault: "bad-grpc-code", position: "5:27", message: "unknown gRPC status `DEADLINE_EXCEDED`",
            hint: "did you mean `DEADLINE_EXCEEDED`?"),
        Case(
            fault: "failing-example", position: "7:7",
            message: "example 2 fails: rule `bad.classify-example` did not match it"),
        Case(fault: "no-condition", position: "2:3", message: "rule `bad.no-condition` needs a `match` or a `when`"),
    ]

    @Test("each bad classification rule file gives one error at the file:line:col of its fault", arguments: cases)
    func pointsAtTheFault(_ fault: Case) throws {
        let path = FixturePaths.fixture("rules/bad-classify/\(fault.fault).yaml")
        let diagnostics = RuleCheck.diagnostics(forFolder: path)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.description.hasPrefix("\(path):\(fault.position): error: \(fault.message)"), "\(diagnostic)")
        if let hint = fault.hint { #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)") }
        #expect(!diagnostic.description.contains("secret-host"))
    }

    @Test("rules check on the bad classification fixtures reports one error per file")
    func checkFolder() {
        let diagnostics = RuleCheck.diagnostics(forFolder: FixturePaths.fixture("rules/bad-classify"))
        #expect(diagnostics.count == Self.cases.count)
        #expect(diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test("a bad classification rule stops loading with every diagnostic")
    func badRuleStopsLoading() throws {
        let path = FixturePaths.fixture("rules/bad-classify/unknown-class.yaml")
        #expect(throws: RuleSetError.self) { try Classifier.load(ruleFolders: [path]) }
    }

    @Test("a user rule with a shipped id replaces the shipped rule")
    func userRuleOverrides() throws {
        let user = RuleSource(
            path: "user/override.yaml",
            text: "- id: classify.go-deadline\n  class: upstream\n  priority: 70\n  match: {pattern: 'deadline'}\n")
        let rules = try ClassificationRuleLoader.load(layers: [RuleSource.builtIn, [user]])
        #expect(rules.count == Classifier.builtIn.rules.count)
        #expect(rules.first { $0.id == "classify.go-deadline" }?.errorClass == .upstream)
        #expect(Classifier(rules: rules).digest != Classifier.builtIn.digest)
    }
}
