import Foundation
import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Throughput of the matching engines on real log messages (TrainTicket's Docker logs from
/// ../shared/samples, repeated, with planted PII). Run with `RULES_BENCH=1`; figures go in docs/rules.md.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["RULES_BENCH"] != nil))
struct ScrubBenchmarkTests {
    static func messages() throws -> [String] {
        let folder = FixturePaths.shared("samples/nezha-trainticket/logs")
        var messages: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let message = try? JSONParser.parse(String(line))["log"]?.string { messages.append(message) }
            }
        }
        let planted = [
            "payment failed for alice@example.com card 4111 1111 1111 1111",
            "GET https://api.example.com/cb?token=abc123&email=bob%40example.com from 203.0.113.7",
            "connect postgres://app:s3cr3t@db:5432/orders",
        ]
        var result: [String] = []
        for round in 0..<4 {
            for (index, message) in messages.enumerated() {
                result.append(message)
                if index % 20 == round { result.append(planted[index % planted.count]) }
            }
        }
        return result
    }

    static func measure(_ label: String, bytes: Int, _ body: () -> Int) -> Double {
        let clock = ContinuousClock()
        var hits = 0
        let elapsed = clock.measure { hits = body() }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(bytes) / seconds / 1e6
        print(
            "bench \(label): \(String(format: "%.1f", rate)) MB/s (\(hits) hits, \(String(format: "%.3f", seconds)) s)")
        return rate
    }

    @Test("the shipped rules scrub real log messages, and each engine's throughput is printed")
    func throughput() throws {
        let messages = try Self.messages()
        let bytes = messages.reduce(0) { $0 + $1.utf8.count }
        print("bench input: \(messages.count) messages, \(bytes) bytes")
        let rules = try RuleSet(layers: [RuleSource.builtIn])
        let engine = ScrubEngine(rules: rules.rules, hashKey: [])
        var leaked = 0
        _ = Self.measure("all shipped rules (PCRE2 JIT + prefilters)", bytes: bytes) {
            var hits: [String: Int] = [:]
            for message in messages {
                if case .replace(let text) = engine.scrubText(message, field: "message", hits: &hits),
                    text.contains("alice@example.com") || text.contains("s3cr3t")
                {
                    leaked += 1
                }
            }
            return hits.values.reduce(0, +)
        }
        #expect(leaked == 0)
        for threshold in [8, 9, 13] {
            let passing = messages.filter { message in
                var copy = message
                return copy.withUTF8 { DigitRun.longest(in: $0) } >= threshold
            }
            print("bench min-digits \(threshold): \(passing.count) of \(messages.count) messages pass")
        }
        _ = Self.measure("DigitRun alone", bytes: bytes) {
            var total = 0
            for message in messages {
                var copy = message
                total += copy.withUTF8 { DigitRun.longest(in: $0) }
            }
            return total
        }
        // Each rule's own scan, bare PCRE2 (what an optimised build approaches) and through the engine.
        for rule in engine.rules {
            guard let pattern = rule.match.pattern else { continue }
            let scanner = rule.match.prefilterScanner
            _ = Self.measure("bare PCRE2 \(rule.id)", bytes: bytes) {
                var count = 0
                let scratch = MatchScratch()
                for message in messages {
                    var copy = message
                    count += copy.withUTF8 { bytes in
                        if let scanner, !scanner.firstMatch(in: bytes, scratch: scratch) { return 0 }
                        return pattern.matches(in: bytes, scratch: scratch)?.count ?? 0
                    }
                }
                return count
            }
        }
        for rule in engine.rules where rule.match.pattern != nil {
            let alone = ScrubEngine(rules: [rule], hashKey: [])
            _ = Self.measure("rule \(rule.id)", bytes: bytes) {
                var hits: [String: Int] = [:]
                for message in messages { _ = alone.scrubText(message, field: "message", hits: &hits) }
                return hits.values.reduce(0, +)
            }
        }

        // One pattern, three engines, no prefilter: find every match.
        let patterns = [
            ("email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"),
            ("card digits", "\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}"),
        ]
        for (name, source) in patterns {
            let pcre = try PCREPattern(source)
            let pcreRate = Self.measure("\(name): PCRE2 JIT", bytes: bytes) {
                var count = 0
                for message in messages {
                    var copy = message
                    count += copy.withUTF8 { pcre.matches(in: $0)?.count ?? 0 }
                }
                return count
            }
            let ns = try NSRegularExpression(pattern: source)
            let nsRate = Self.measure("\(name): NSRegularExpression", bytes: bytes) {
                var count = 0
                for message in messages {
                    count += ns.numberOfMatches(in: message, range: NSRange(message.startIndex..., in: message))
                }
                return count
            }
            let swiftRegex = try Regex(source)
            let swiftRate = Self.measure("\(name): Swift Regex", bytes: bytes) {
                var count = 0
                for message in messages { count += message.matches(of: swiftRegex).count }
                return count
            }
            #expect(pcreRate > 0 && nsRate > 0 && swiftRate > 0)
        }
    }
}
