import Foundation
import Rules
import Testing

/// A clock whose every reading is `step` after the one before, so a budget runs out after a known
/// number of readings whatever the machine's load.
final class SteppingClock: Clock, @unchecked Sendable {
    typealias Instant = ContinuousClock.Instant
    private let lock = NSLock()
    private var current = ContinuousClock.now
    let step: Duration

    init(step: Duration) { self.step = step }

    var now: Instant {
        lock.withLock {
            current = current.advanced(by: step)
            return current
        }
    }

    var minimumResolution: Duration { .nanoseconds(1) }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}

@Suite struct ScanBudgetTests {
    static let rules = (try? RuleSet(layers: [RuleSource.builtIn]).rules) ?? []

    /// About 5 KB holding 250 e-mail addresses: the email rule reads the clock after each match.
    static let manyEmails = String(repeating: "to u42@example.com ", count: 250)

    static func scrub(_ text: String, budget: ScanBudget) -> (ScrubEngine.Outcome, [String: Int]) {
        let engine = ScrubEngine(rules: rules, hashKey: [], budget: budget)
        var hits: [String: Int] = [:]
        let outcome = engine.scrubText(text, field: "message", hits: &hits)
        return (outcome, hits)
    }

    @Test("a long value whose matches outlast its time budget becomes <unscanned>, counted once for the rule")
    func overBudget() {
        let budget = ScanBudget(clock: SteppingClock(step: .milliseconds(1)), base: .milliseconds(20), perMebibyte: .zero)
        let (outcome, hits) = Self.scrub(Self.manyEmails, budget: budget)
        #expect(outcome == .replace("<unscanned>"))
        #expect(hits == ["pii.email": 1])
    }

    @Test("the same value with time to spare is scrubbed address by address")
    func withinBudget() {
        let budget = ScanBudget(clock: SteppingClock(step: .milliseconds(1)), base: .seconds(10), perMebibyte: .zero)
        let (outcome, hits) = Self.scrub(Self.manyEmails, budget: budget)
        #expect(outcome == .replace(String(repeating: "to <email> ", count: 250)))
        #expect(hits == ["pii.email": 250])
    }

    @Test("a value shorter than minimumLength is never timed")
    func shortValuesUntimed() {
        let short = String(Self.manyEmails.utf8.prefix(4095))!
        let budget = ScanBudget(clock: SteppingClock(step: .seconds(1)), minimumLength: 4096, base: .zero, perMebibyte: .zero)
        let (outcome, _) = Self.scrub(short, budget: budget)
        guard case .replace(let text) = outcome else {
            Issue.record("nothing scrubbed")
            return
        }
        #expect(!text.contains("<unscanned>"))
        #expect(text.hasPrefix("to <email> to <email> "))
    }

    @Test("a 1 MB message of repeated PEM BEGIN lines is scrubbed block by block (the old pattern took minutes)")
    func repeatedPrivateKeyHeaders() {
        let header = "-----BEGIN PRIVATE KEY-----"
        let count = 1_048_576 / header.utf8.count
        // A generous budget: this checks the result, PatternCostTests the cost.
        let budget = ScanBudget(clock: ContinuousClock(), base: .seconds(30), perMebibyte: .zero)
        let (outcome, hits) = Self.scrub(String(repeating: header, count: count), budget: budget)
        #expect(outcome == .replace(String(repeating: "<private-key>", count: count)))
        #expect(hits == ["pii.private-key": count])
    }

    @Test("a user's pattern that rescans the value from every start inside one PCRE2 call is stopped too")
    func stoppedInsideOneCall() throws {
        // The old pii.password-pair: from every dot of `a.a.a.…` a lazy run scans to the end, all in one call.
        let source = RuleSource(
            path: "user/pairs.yaml",
            text: """
                - id: user.pairs
                  match:
                    pattern: '(?<![\\w-])[\\w.-]*?(?:password|token)=(?<value>\\S+)'
                  action: {redact: '<r>'}
                """)
        let rules = try RuleSet(layers: [[source]]).rules
        let budget = ScanBudget(clock: SteppingClock(step: .milliseconds(1)), base: .milliseconds(50), perMebibyte: .zero)
        let engine = ScrubEngine(rules: rules, hashKey: [], budget: budget)
        var hits: [String: Int] = [:]
        // The `=` lets PCRE2 past its required-character check; none follows `token`, so nothing matches.
        let value = String(repeating: "a.", count: 4000) + "token x=1"
        #expect(engine.scrubText(value, field: "message", hits: &hits) == .replace("<unscanned>"))
        #expect(hits == ["user.pairs": 1])
    }
}
