import Foundation
import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Every shipped pattern stays linear on values built to make it backtrack: its own literals and
/// the separators, digits and symbols its classes take, repeated to 100 KB (200 KB made the test take
/// minutes in a debug build; the growth from 50 KB to 100 KB tells quadratic from linear as well).
/// Any client can send such a value (an OTLP body of 8 MiB), and the old `pii.private-key` took over an hour on one.
///
/// Work is counted in PCRE2 auto-callouts (`PCREPattern.matchingWork`), not timed, so the test gives
/// the same answer on a loaded machine. A pattern fails when doubling the value more than
/// `maximumGrowth`× its work (quadratic is 4×), or when its work per byte exceeds
/// `maximumWorkFactor` times the most it does on an ordinary value: real log text, or its own
/// examples repeated (a value full of what the rule looks for).
@Suite struct PatternCostTests {
    static let size = 100_000
    static let maximumGrowth = 2.5
    static let maximumWorkFactor = 10.0

    /// Units every pattern is tried on: separators, digits, symbols and the shapes of the packs.
    static let commonUnits = [
        "a.", "a-", "a@", "a:", "1", "1-", "1.", "1 ", "::", "://", "&a=", " ", "-----", "eyJa.", "password=", "AB12 ",
    ]

    struct Subject: CustomTestStringConvertible {
        var id: String
        var pattern: PCREPattern
        /// Literals of the rule: its prefilters, then words from its pattern.
        var literals: [String]
        /// Texts the rule is meant to see (its examples).
        var examples: [String]
        /// Scrubbing patterns run on every value and get every common unit; classification patterns,
        /// run once per incident, their own literals and examples (the test's time is mostly theirs).
        var common = true
        var testDescription: String { id }
    }

    static let subjects: [Subject] = {
        let sources = RuleSource.builtIn
        var subjects: [Subject] = []
        for rule in (try? RuleSet(layers: [sources]).rules) ?? [] {
            let examples = rule.examples.map(\.input)
            if let pattern = rule.match.pattern {
                subjects.append(Subject(id: rule.id, pattern: pattern, literals: literals(rule.match.prefilter, pattern), examples: examples))
            }
            if let keys = rule.match.keys {
                subjects.append(Subject(id: rule.id + " (keys)", pattern: keys, literals: literals([], keys), examples: examples))
            }
        }
        for rule in (try? ClassificationRuleLoader.load(layers: [sources])) ?? [] {
            let messages = rule.examples.compactMap { $0.entry.message }
            if let text = rule.text {
                subjects.append(
                    Subject(id: rule.id, pattern: text.pattern, literals: literals([], text.pattern), examples: messages, common: false))
            }
            for condition in rule.conditions {
                if case .pattern(let pattern) = condition.test {
                    subjects.append(
                        Subject(
                            id: rule.id + " (\(condition.field))", pattern: pattern, literals: literals([], pattern),
                            examples: messages, common: false))
                }
            }
        }
        return subjects
    }()

    /// Prefilters first, then words of three or more letters in the pattern's text, five at most.
    static func literals(_ prefilter: [String], _ pattern: PCREPattern) -> [String] {
        var words = prefilter
        let source = pattern.source
        var current = ""
        for character in source + " " {
            if character.isASCII, character.isLetter || character == "_" {
                current.append(character)
                continue
            }
            if current.count >= 3, !words.contains(current) { words.append(current) }
            current = ""
        }
        return Array(words.prefix(5))
    }

    /// The adversarial units for one pattern: the common ones, its literals alone and glued to separators.
    static func units(for subject: Subject) -> [String] {
        var units = subject.common ? commonUnits : ["a.", "1 ", " "]
        for literal in subject.literals {
            units += [literal, "a." + literal]
        }
        units += subject.examples.filter { !$0.isEmpty }
        return units
    }

    /// `unit` repeated to `length` bytes (cut at a character boundary).
    static func repeated(_ unit: String, to length: Int) -> [UInt8] {
        let bytes = Array(unit.utf8)
        precondition(!bytes.isEmpty)
        var out: [UInt8] = []
        out.reserveCapacity(length + bytes.count)
        while out.count < length { out += bytes }
        var end = length
        while end > 0, end < out.count, out[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(out[..<end])
    }

    static func work(_ pattern: PCREPattern, _ bytes: [UInt8], limit: Int) throws -> Int {
        try bytes.withUnsafeBufferPointer { try pattern.matchingWork(in: $0, limit: limit) }
    }

    /// `size` bytes of real log lines (the night fixture's logs, repeated).
    static let ordinaryText: [UInt8] = {
        let folder = FixturePaths.fixture("night/logs")
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
        var text: [UInt8] = []
        for file in files.sorted() where file.hasSuffix(".log") {
            if let data = FileManager.default.contents(atPath: folder + "/" + file) { text += data }
            if text.count >= size { break }
        }
        return repeated(String(decoding: text, as: UTF8.self), to: size)
    }()

    @Test("every shipped pattern is linear on values built from its own literals and classes", arguments: subjects)
    func linear(_ subject: Subject) throws {
        let half = Self.size / 2
        var ordinary = try Self.work(subject.pattern, Self.ordinaryText, limit: Int.max)
        for example in subject.examples where !example.isEmpty {
            ordinary = max(ordinary, try Self.work(subject.pattern, Self.repeated(example, to: Self.size), limit: Int.max))
        }
        // A floor of one unit of work per byte: a pattern that never starts on ordinary text is not
        // thereby expected to do nothing on a value full of its own first bytes.
        let allowed = Int(Self.maximumWorkFactor * Double(max(ordinary, Self.size)))
        var failures: [String] = []
        for unit in Self.units(for: subject) {
            let whole = try Self.work(subject.pattern, Self.repeated(unit, to: Self.size), limit: allowed)
            let halfWork = try Self.work(subject.pattern, Self.repeated(unit, to: half), limit: allowed)
            let growth = Double(whole) / Double(max(halfWork, 1))
            if whole > allowed || (whole > Self.size && growth > Self.maximumGrowth) {
                failures.append("\(unit.debugDescription): work \(whole) (allowed \(allowed)), ×\(growth) from 50 KB to 100 KB")
            }
        }
        #expect(failures == [], "\(subject.id)")
    }

    @Test("the old pii.private-key pattern is caught: its work on repeated BEGIN lines grows fourfold per doubling")
    func oldPrivateKeyPatternIsCaught() throws {
        let old = try PCREPattern(
            #"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)"#)
        let unit = "-----BEGIN PRIVATE KEY-----"
        let limit = 1_000_000_000
        let small = try Self.work(old, Self.repeated(unit, to: 20_000), limit: limit)
        let large = try Self.work(old, Self.repeated(unit, to: 40_000), limit: limit)
        #expect(Double(large) / Double(small) > 3.5)
    }
}
