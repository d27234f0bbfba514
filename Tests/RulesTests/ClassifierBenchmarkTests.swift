import Foundation
import Rules
import Testing
import TraceJoinCore

/// Cost of classifying one incident with the shipped pack. Run with `RULES_BENCH=1`; figures go in docs/rules.md.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["RULES_BENCH"] != nil))
struct ClassifierBenchmarkTests {
    @Test("classifying a 20-entry incident whose root cause says little (a bare 500) takes well under a millisecond")
    func perTrace() throws {
        var entries: [TimelineEntry] = []
        for index in 0..<16 {
            entries.append(
                ClassifierTests.span(
                    "svc-\(index % 4)", "GET /orders/\(index)", id: UInt64(index + 1), depth: index % 5,
                    time: Int64(index),
                    message: index % 3 == 0 ? "Request failed with status code 500" : "",
                    attributes: ClassifierTests.http(index % 3 == 0 ? 500 : 200)))
        }
        for index in 0..<4 {
            entries.append(
                ClassifierTests.log(
                    "svc-\(index)", "request errored after retry \(index) for order \(index * 977)",
                    span: UInt64(index + 1),
                    depth: 6, time: 20 + Int64(index)))
        }
        let timeline = ClassifierTests.timeline(entries, root: 0)
        let classifier = Classifier.builtIn
        let rounds = 2000
        let clock = ContinuousClock()
        var classified = 0
        let elapsed = clock.measure {
            for _ in 0..<rounds where classifier.classify(timeline, rootCauseEntryIndex: 0) != nil { classified += 1 }
        }
        let micros =
            Double(elapsed.components.attoseconds) / 1e12 / Double(rounds)
            + Double(elapsed.components.seconds) * 1e6 / Double(rounds)
        print(
            "classify: \(String(format: "%.1f", micros)) µs per incident (\(classifier.rules.count) rules, 20 entries)")
        #expect(classified == rounds)
        #expect(micros < 1000)
    }
}
