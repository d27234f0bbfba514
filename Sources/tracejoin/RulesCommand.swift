import ArgumentParser
import Pipeline
import Rules
import TraceJoinCore

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Validate, test and try out rule files (PII scrubbing, error classification, trace-context extraction).",
        discussion: "Rule files are YAML; docs/rules.md describes every key. The shipped packs are built into the binary.",
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self, RulesExplainCommand.self])
}

/// Prints diagnostics and a closing line; exits 78 when there are any.
private func report(_ diagnostics: [Diagnostic], success: String) throws {
    for diagnostic in diagnostics { Console.error(diagnostic) }
    if diagnostics.isEmpty {
        print(success)
    } else {
        Console.note("\(diagnostics.count) problem(s) found")
        throw ExitStatus.configurationError
    }
}

struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate rule files: compiler-style errors with file:line:col; exit 78 on any problem.")

    @Argument(help: "Folders or files of rules (default: the shipped packs built into the binary).")
    var paths: [String] = []

    func run() throws {
        let diagnostics: [Diagnostic]
        if paths.isEmpty {
            diagnostics = RuleCheck.diagnostics(for: RuleSource.builtIn, finder: TraceContextRules.finder)
        } else {
            diagnostics = paths.flatMap { RuleCheck.diagnostics(forFolder: $0, finder: TraceContextRules.finder) }
            let sources = paths.flatMap { (try? RuleSource.files(in: $0)) ?? [] }
            for rule in TimeZoneRuleLoader.load(sources).rules {
                print("\(rule.id): zone-less times of \(rule.files.joined(separator: ", ")) are read in \(rule.zone)")
            }
        }
        try report(diagnostics, success: "rules ok")
    }
}

struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the examples inside rule files; exit 78 if any example fails.")

    @Argument(help: "Folders or files of rules (default: the shipped packs built into the binary).")
    var paths: [String] = []

    func run() throws {
        var sources: [RuleSource] = []
        var diagnostics: [Diagnostic] = []
        if paths.isEmpty {
            sources = RuleSource.builtIn
        } else {
            for path in paths {
                let (read, problems) = RuleSource.read(path)
                sources += read
                diagnostics += problems
            }
        }
        let scrubbing = RuleLoader.load(sources)
        let scrubbingTested = RuleTester.test(scrubbing.rules)
        let classification = ClassificationRuleLoader.load(sources)
        let classificationTested = ClassificationTester.test(classification.rules)
        let extraction = ExtractionRuleLoader.load(sources)
        let extractionTested = ExtractionTester.test(extraction.rules, finder: TraceContextRules.finder)
        let examples = scrubbingTested.examplesRun + classificationTested.examplesRun + extractionTested.examplesRun
        let rules = scrubbing.rules.count + classification.rules.count + extraction.rules.count
        // A YAML syntax error is found by each loader: report it once.
        var reported = Set(scrubbing.diagnostics.map(\.description))
        let classificationProblems = classification.diagnostics.filter { reported.insert($0.description).inserted }
        let extractionProblems = extraction.diagnostics.filter { reported.insert($0.description).inserted }
        try report(
            diagnostics + scrubbing.diagnostics + scrubbingTested.failures + classificationProblems
                + classificationTested.failures + extractionProblems + extractionTested.failures,
            success: "\(examples) examples of \(rules) rules passed")
    }
}

struct RulesExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show which scrubbing rules hit a piece of text, and what it becomes.")

    @OptionGroup var rules: RuleOptions

    @Argument(help: "The text to try, e.g. 'card 4111 1111 1111 1111 failed for bob@example.com'.")
    var text: String

    func run() throws {
        let scrubber = try rules.loadScrubber()
        let explanation = RuleExplainer.explain(text, engine: scrubber.engine)
        if explanation.hits.isEmpty {
            print("no rule matches; the text is kept as it is")
            return
        }
        for hit in explanation.hits {
            print("\(TerminalText.escaped(hit.rule)): \(hit.count) match\(hit.count == 1 ? "" : "es")")
        }
        print("result: \(explanation.result.map { TerminalText.escaped($0) } ?? "(record dropped)")")
    }
}
