import Foundation
import Normalize
import Pipeline
import Rules
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Trace-context extraction rules (`Rules/extract/`): the shipped pack, loader diagnostics, examples run
/// with the decoder's own scanner, and user rules reaching `batch`.
@Suite struct ExtractionRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fault: String
        var position: String
        var message: String
        var hint: String?
        var testDescription: String { fault }
    }

    static let cases: [Case] = [
        Case(
            fault: "unknown-key", position: "4:5", message: "unknown key `spam-key` in `extract`",
            hint: "did you mean `span-key`?"),
        Case(
            fault: "bad-id-form", position: "2:46", message: "unknown id-form `hexx`", hint: "did you mean `hex`?"),
        Case(fault: "empty-literal", position: "4:15", message: "`span-key` must not be empty"),
        Case(
            fault: "duplicate-id", position: "4:3", message: "duplicate rule id `bad.twice`",
            hint: "duplicate-id.yaml:1:3"),
        Case(fault: "missing-trace-key", position: "2:12", message: "`extract` needs a `trace-key`"),
        Case(fault: "bad-example-id", position: "4:59", message: "`trace` is not a valid ID for id-form `hex`"),
        Case(
            fault: "failing-example", position: "5:7",
            message: "example 2 fails: rule `bad.failing-example` found no trace in it"),
        Case(
            fault: "keep-matches", position: "4:7",
            message: "example 1 fails: must yield no trace but rule `bad.keep-matches` found one"),
    ]

    @Test("each bad extraction rule file gives one error at the file:line:col of its fault", arguments: cases)
    func pointsAtTheFault(_ fault: Case) throws {
        let path = FixturePaths.fixture("rules/bad-extract/\(fault.fault).yaml")
        let diagnostics = RuleCheck.diagnostics(forFolder: path, finder: TraceContextRules.finder)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.description.hasPrefix("\(path):\(fault.position): error: \(fault.message)"), "\(diagnostic)")
        if let hint = fault.hint { #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)") }
        #expect(!diagnostic.description.contains("4bf92f3577b34da6"), "messages never print the line or the ID")
    }

    @Test("a bad extraction rule stops loading with every diagnostic")
    func badRuleStopsLoading() {
        let folder = FixturePaths.fixture("rules/bad-extract")
        #expect(throws: RuleSetError.self) { try TraceContextRules.load(ruleFolders: [folder]) }
    }

    @Test("the shipped Rules/extract pack is exactly the decoder's built-in patterns, in order")
    func shippedPackEqualsDecoderDefaults() {
        #expect(TraceContextRules.builtIn == TraceContextPattern.defaults)
        #expect(BatchConfiguration(inputs: []).rules.traceContextPatterns == TraceContextPattern.defaults)
    }

    @Test("every shipped extraction rule has examples both ways, and they pass with the decoder's scanner")
    func shippedExamplesPass() throws {
        let rules = try ExtractionRuleLoader.load(layers: [RuleSource.builtIn])
        #expect(rules.count == TraceContextPattern.defaults.count)
        let report = ExtractionTester.test(rules, finder: TraceContextRules.finder)
        #expect(report.passed, "\(report.failures)")
        #expect(report.examplesRun >= rules.count)
        #expect(rules.contains { rule in rule.examples.contains { $0.trace == nil } })
        #expect(rules.allSatisfy { rule in rule.examples.contains { $0.trace != nil } })
    }

    @Test("a user rule with a shipped id replaces it in place; a new id is tried after the shipped ones")
    func userRulesOverrideAndAdd() throws {
        let user = RuleSource(
            path: "user/extract.yaml",
            text: """
                - id: extract.datadog
                  extract: {trace-key: 'dd.trace_id=', id-form: decimal}
                - id: user.correlation
                  extract: {trace-key: 'correlation='}
                """)
        let rules = try ExtractionRuleLoader.load(layers: [RuleSource.builtIn, [user]])
        #expect(rules.map(\.id) == TraceContextPattern.defaults.map(\.name) + ["user.correlation"])
        #expect(rules.first { $0.id == "extract.datadog" }?.spanKey == nil)
    }

    @Test("extraction entries are not read as scrubbing or classification rules")
    func kindsStaySeparate() throws {
        let source = RuleSource(path: "user/mixed.yaml", text: "- id: user.x\n  extract: {trace-key: 'x='}\n")
        #expect(RuleLoader.load(source).rules.isEmpty)
        #expect(RuleLoader.load(source).diagnostics.isEmpty)
        #expect(ClassificationRuleLoader.load(source).rules.isEmpty)
        #expect(ExtractionRuleLoader.load(source).rules.map(\.id) == ["user.x"])
    }

    @Test("the run's rule digest changes when only the extraction rules change")
    func digestCoversExtraction() {
        var configuration = BatchConfiguration(inputs: [])
        let shipped = configuration.rules.digest
        configuration.rules.traceContextPatterns.append(TraceContextPattern(name: "user.x", traceKey: "x="))
        #expect(configuration.rules.digest != shipped)
        #expect(configuration.rules.digest.count == 64)
    }

    static let traceHex = "5b8efff798038103d269b633813fc60c"

    /// A span of trace `traceHex` and a plain log file that names it only as `correlation=<hex>`.
    static func writeInputs(in folder: TemporaryFolder) throws -> String {
        let inputs = folder.file("inputs")
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        let spans = """
            [{"traceId": "\(traceHex)", "id": "eee19b7ec3c1b174", "name": "charge", "timestamp": 1764064800000000,
              "duration": 5000, "localEndpoint": {"serviceName": "payments"}, "tags": {"error": "declined"}}]
            """
        try spans.write(toFile: inputs + "/spans.json", atomically: true, encoding: .utf8)
        let logs = """
            2025-11-25 10:00:00,001 ERROR charge failed correlation=\(traceHex)
            2025-11-25 10:00:00,002 INFO retry scheduled correlation=\(traceHex)

            """
        try logs.write(toFile: inputs + "/payments.log", atomically: true, encoding: .utf8)
        return inputs
    }

    @Test("batch joins plain lines to their trace through a user extraction rule, and not without it")
    func userRuleJoinsLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let inputs = try Self.writeInputs(in: folder)
        let rules = folder.file("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try "- id: user.correlation\n  extract: {trace-key: 'correlation='}\n".write(
            toFile: rules + "/extract.yaml", atomically: true, encoding: .utf8)
        let trace = TraceReference.full(try #require(TraceID(hex: Self.traceHex)))

        for withRule in [true, false] {
            var configuration = BatchConfiguration(inputs: [inputs])
            configuration.databasePath = folder.file(withRule ? "with.db" : "without.db")
            if withRule { configuration.rules.traceContextPatterns = try TraceContextRules.load(ruleFolders: [rules]) }
            _ = try BatchRunner(configuration: configuration).run()
            let store = try IncidentStore.openExisting(path: configuration.databasePath)
            let uncorrelated = try store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 10)
            let timeline = try #require(try TimelineQuery.classifiedTimelines(for: trace, in: store).first).0
            let logMessages = timeline.entries.filter { $0.kind == .log }.map(\.message)
            if withRule {
                #expect(uncorrelated.isEmpty)
                #expect(logMessages.count == 2)
                #expect(logMessages.allSatisfy { $0.contains("correlation=") })
            } else {
                #expect(uncorrelated.count == 2)
                #expect(logMessages.isEmpty)
            }
        }
    }
}
