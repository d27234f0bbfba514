import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct BadRuleFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fault: String
        var position: String
        var message: String
        var hint: String?
        var testDescription: String { fault }
    }

    static let cases: [Case] = [
        Case(
            fault: "unclosed-group", position: "5:14",
            message: "`pattern` does not compile: missing closing parenthesis"),
        Case(
            fault: "unknown-key", position: "4:5", message: "unknown key `patern` in `match`",
            hint: "did you mean `pattern`?"),
        Case(fault: "wrong-type", position: "3:13", message: "`priority` must be an integer"),
        Case(
            fault: "duplicate-id", position: "6:3", message: "duplicate rule id `bad.twice`", hint: "first defined at"),
        Case(
            fault: "unknown-validator", position: "5:16", message: "unknown validator `luhnn`",
            hint: "did you mean `luhn`?"),
        Case(
            fault: "letter-shape", position: "5:13",
            message: "a shape is ASCII with at least one `#` (any digit) and no letters", hint: "`prefilter`"),
        Case(
            fault: "unknown-action", position: "4:12", message: "unknown action `obliterate`",
            hint: "known actions: redact"),
        Case(
            fault: "failing-example", position: "7:12",
            message: "example 2 fails: rule `bad.failing-example` did not match it"),
    ]

    /// Loads a fixture and tests its examples, as `rules check` does.
    static func diagnostics(_ fault: String) throws -> [Diagnostic] {
        let path = FixturePaths.fixture("rules/bad/\(fault).yaml")
        let loaded = RuleLoader.load(try RuleSource.files(in: path))
        return loaded.diagnostics + RuleTester.test(loaded.rules).failures
    }

    @Test("each bad rule file gives one error at the file:line:col of its fault", arguments: cases)
    func pointsAtTheFault(_ fault: Case) throws {
        let diagnostics = try Self.diagnostics(fault.fault)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.severity == .error)
        let path = FixturePaths.fixture("rules/bad/\(fault.fault).yaml")
        #expect(diagnostic.description.hasPrefix("\(path):\(fault.position): error: \(fault.message)"))
        if let hint = fault.hint {
            #expect(diagnostic.hint?.contains(hint) == true)
        }
    }

    @Test("no message repeats the text a rule or example matched")
    func messagesHideValues() throws {
        let example = try Self.diagnostics("failing-example")
        #expect(!example.description.contains("secret-abc"))
        let pattern = try Self.diagnostics("unclosed-group")
        #expect(!pattern.description.contains("order-("))
    }

    @Test("a YAML syntax error points at its line")
    func yamlSyntax() {
        let loaded = RuleLoader.load(RuleSource(path: "x.yaml", text: "- id: a\n  match: {pattern: 'x'\n"))
        #expect(loaded.rules.isEmpty)
        #expect(loaded.diagnostics.first?.description.hasPrefix("x.yaml:3:1: error: not valid YAML") == true)
    }
}
