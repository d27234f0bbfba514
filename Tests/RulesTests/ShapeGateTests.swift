import Rules
import Testing
import TraceJoinTesting

/// The shipped rules' `shapes` gate only skips texts their patterns could not match: on ASCII text every
/// outcome equals the same rule's without shapes, and text with other characters is never gated.
@Suite struct ShapeGateTests {
    static func shippedRulesWithShapes() throws -> [Rule] {
        try RuleSet(layers: [RuleSource.builtIn]).rules.filter { !$0.match.shapes.isEmpty }
    }

    /// Digit groups joined by separators: half in the group lengths of phone numbers, SSNs and cards, half at
    /// random, with a prefix now and then. The raw material the patterns must tell apart from dates and times.
    static func texts(count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix64(seed: seed)
        let separators = [" ", "-", ".", "+", "(", ")", "/", ":", " ", "-", ", ", "x", " ref ", "="]
        let shapes = [[3, 2, 4], [3, 3, 4], [4, 4, 4, 4], [2, 4, 4], [1, 4, 4], [3, 4, 4], [4, 6, 5], [16], [13], [11]]
        return (0..<count).map { _ in
            var text = Bool.random(using: &generator) ? "" : ["+", "(", "tel ", "id ", "0"].randomElement(using: &generator)!
            let lengths =
                Bool.random(using: &generator)
                ? shapes.randomElement(using: &generator)!
                : (0..<Int.random(in: 1...6, using: &generator)).map { _ in Int.random(in: 1...5, using: &generator) }
            let separator = separators.randomElement(using: &generator)!
            for (group, digits) in lengths.enumerated() {
                if group > 0 {
                    text += Int.random(in: 0..<4, using: &generator) == 0 ? separators.randomElement(using: &generator)! : separator
                }
                text += String((0..<digits).map { _ in "0123456789".randomElement(using: &generator)! })
            }
            return text
        }
    }

    @Test("on ASCII text, each shipped rule with shapes changes exactly what it changes without them")
    func sameOutcomes() throws {
        let rules = try Self.shippedRulesWithShapes()
        #expect(Set(rules.map(\.id)) == ["pii.us-ssn", "pii.phone", "pii.card"])
        let texts = Self.texts(count: 5_000, seed: 7) + rules.flatMap { $0.examples.map(\.input) }
        for rule in rules {
            var unshaped = rule
            unshaped.match.shapes = []
            let gated = ScrubEngine(rules: [rule], hashKey: [])
            let plain = ScrubEngine(rules: [unshaped], hashKey: [])
            var changed = 0
            var skipped = 0
            for text in texts {
                var gatedHits: [String: Int] = [:]
                var plainHits: [String: Int] = [:]
                let outcome = plain.scrubText(text, field: "message", hits: &plainHits)
                #expect(gated.scrubText(text, field: "message", hits: &gatedHits) == outcome, "\(rule.id): \(text)")
                #expect(gatedHits == plainHits)
                if outcome != .keep { changed += 1 }
                let hasShape = text.utf8.withContiguousStorageIfAvailable { bytes in
                    rule.match.shapes.contains { $0.occurs(in: bytes) }
                }
                if hasShape == false { skipped += 1 }
            }
            // The texts exercise both sides: matches the rule acts on, and texts the shapes turn away.
            #expect(changed > 10, "\(rule.id) changed \(changed)")
            #expect(skipped > 500, "\(rule.id) skipped \(skipped)")
        }
    }

    @Test("text with other scripts' digits is not gated: an SSN in Arabic-Indic digits is still found")
    func nonASCIIText() throws {
        let engine = ScrubEngine(rules: try RuleSet(layers: [RuleSource.builtIn]).rules, hashKey: [])
        var hits: [String: Int] = [:]
        // Nine ASCII digits elsewhere let it past `min-digits`, as before shapes.
        let outcome = engine.scrubText("ssn ١٢٣-٤٥-٦٧٨٩ order 123456789", field: "message", hits: &hits)
        #expect(outcome == .replace("ssn <ssn> order 123456789"))
        #expect(hits["pii.us-ssn"] == 1)
    }

    @Test(
        "a shape occurs where its digits and other bytes line up",
        arguments: [
            ("###-##-####", "ssn 123-45-6789.", true), ("###-##-####", "2026-11-23 10:00", false),
            ("# ####", "tel 020 7946 0958", true), ("# ####", "at 10:00:00 took 12 ms", false),
            ("#############", "id 1234567890123", true), ("#############", "id 123456789012 and 3", false),
            ("+#", "+1", true), ("+#", "a+b 1", false), ("#-####", "1-2345", true), ("#-####", "1-234", false),
        ])
    func occurs(_ shape: String, _ text: String, _ expected: Bool) throws {
        let shape = try #require(DigitShape(shape))
        #expect(Array(text.utf8).withUnsafeBufferPointer { shape.occurs(in: $0) } == expected)
    }

    @Test("shapes must be ASCII with a digit and no letters", arguments: ["abc-##", "----", "", "＃＃＃"])
    func refused(_ text: String) {
        #expect(DigitShape(text) == nil)
    }
}
