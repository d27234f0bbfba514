import Rules
import Testing
import TraceJoinTesting

@Suite struct ValidatorTests {
    @Test(
        "Luhn accepts valid numbers and refuses one digit off",
        arguments: [
            ("4111111111111111", true), ("4111111111111112", false), ("79927398713", true), ("79927398710", false),
        ])
    func luhn(_ number: String, _ valid: Bool) {
        #expect(Array(number.utf8).withUnsafeBufferPointer { Validators.luhn(bytes: $0) } == valid)
    }

    @Test(
        "cards need a brand prefix and length as well as Luhn",
        arguments: [
            ("4111 1111 1111 1111", true),
            ("5500-0000-0000-0004", true),
            ("378282246310005", true),
            ("6011111111111117", true),
            ("3530111333300000", true),
            ("1748503543012", false),  // Luhn-valid 13 digits, no issuer: an epoch-ms time
            ("4111111111111112", false),  // Luhn-invalid look-alike: an order number
            ("4111111111111111111", false),  // unseparated 19 digits: a Datadog trace ID, not a card
            ("37828224631000x", false),  // a letter: a hex ID, not a card
        ])
    func card(_ number: String, _ valid: Bool) {
        #expect(Validators.card(number[...]) == valid)
    }

    @Test(
        "IBAN mod-97 and country length",
        arguments: [
            ("DE89370400440532013000", true), ("GB82 WEST 1234 5698 7654 32", true), ("NL91ABNA0417164300", true),
            ("DE89370400440532013001", false), ("DE8937040044053201300", false), ("XX00", false),
        ])
    func iban(_ text: String, _ valid: Bool) {
        #expect(Validators.iban(text[...]) == valid)
    }

    @Test(
        "IPv4 needs four octets up to 255 without leading zeros",
        arguments: [
            ("203.0.113.7", true), ("0.0.0.0", true), ("256.1.1.1", false), ("1.2.3", false), ("01.2.3.4", false),
        ])
    func ipv4(_ text: String, _ valid: Bool) {
        #expect((Validators.ipv4Octets(text[...]) != nil) == valid)
    }

    @Test(
        "IPv6 parses full, compressed and IPv4-tailed forms, and refuses times and MACs",
        arguments: [
            ("2001:db8:85a3:8d3:1319:8a2e:370:7348", true), ("2001:db8::1", true), ("::1", true),
            ("::ffff:192.0.2.1", true), ("10:00:00", false), ("00:1a:2b:3c:4d:5e", false), ("1::2::3", false),
            ("12345::1", false),
        ])
    func ipv6(_ text: String, _ valid: Bool) {
        #expect((Validators.ipv6Groups(text[...]) != nil) == valid)
    }

    @Test("IPv6 groups come out in order with the gap filled")
    func ipv6Groups() {
        #expect(Validators.ipv6Groups("2001:db8::1"[...]) == [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1])
    }

    @Test(
        "a JWT is three base64url parts with an alg in the header",
        arguments: [
            (
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                true
            ),
            ("eyJhbGciOiJub25lIn0.eyJhIjoxfQ.", true),  // alg none: unsigned, still a token
            ("eyJub3QiOiJqd3QifQ.eyJhIjoxfQ.c2ln", false),  // header without alg
            ("a.b", false),
            ("eyJhbGciOiJIUzI1NiJ9.!!!.sig", false),
        ])
    func jwt(_ text: String, _ valid: Bool) {
        #expect(Validators.jwt(text[...]) == valid)
    }

    @Test(
        "E.164: 8 to 15 digits, no leading zero after +",
        arguments: [
            ("+14155550132", true), ("+44 20 7946 0958", true), ("(415) 555-0132", true), ("+0123456789", false),
            ("+1234567", false), ("+1234567890123456", false),
            // A `+` with a combining mark is not a written `+`: the leading-zero rule does not apply.
            ("+\u{301}0123456789", true),
        ])
    func e164(_ text: String, _ valid: Bool) {
        #expect(Validators.e164(text[...]) == valid)
    }

    @Test(
        "truncate-ip keeps the /24 of IPv4 and the /48 of IPv6",
        arguments: [
            ("203.0.113.7", "203.0.113.0"), ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"),
            ("::ffff:192.0.2.1", "0:0:0::"), ("2001:0DB8:000a::1", "2001:db8:a::"), ("fe80:0:10::", "fe80:0:10::"),
        ])
    func truncate(_ address: String, _ truncated: String) {
        #expect(IPTruncation.truncate(address) == truncated)
        #expect(IPTruncation.truncate(truncated) == truncated)
        #expect(Array(address.utf8).withUnsafeBufferPointer { IPTruncation.truncate(bytes: $0) } == truncated)
    }

    @Test(
        "the validators the scrubber calls on a match's bytes, other scripts' digits and marks included",
        arguments: [
            ("4111 1111 1111 1111", Validator.card, true), ("4111111111111112", .card, false),
            ("4111-1111-1111-111\u{0661}", .card, false), ("+\u{301}0123456789", .e164, true),
            ("+0123456789", .e164, false), ("0123456789", .e164, true), ("79927398713", .luhn, true),
            ("7992 7398 710", .luhn, false), ("203.0.113.7", .ipv4, true), ("\u{FF12}\u{FF10}\u{FF13}.0.113.7", .ipv4, false),
            ("::ffff:192.0.2.1", .ipv6, true), ("a::b", .ipv6, false), ("fe80::1%eth0", .ip, false), ("1.2.3.4", .ip, true),
            ("GB82 WEST 1234 5698 7654 32", .iban, true),
        ])
    func onBytes(_ text: String, _ validator: Validator, _ valid: Bool) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { validator.accepts(bytes: $0) } == valid)
        #expect(validator.accepts(text[...]) == valid)
    }
}

@Suite struct DigitRunTests {
    @Test(
        "digit runs bridge up to two separators and break on anything else",
        arguments: [
            ("(415) 555-0132", 10), ("4111 1111 1111 1111", 16), ("16:49:15.665", 5), ("no digits", 0),
            ("2026-11-23T10:00:00Z", 8), ("a1b2c3", 1),
        ])
    func longest(_ text: String, _ expected: Int) {
        var copy = text
        #expect(copy.withUTF8 { DigitRun.longest(in: $0) } == expected)
        #expect(copy.withUTF8 { TextSummary($0).longestDigitRun } == expected)
    }

    @Test("the scrubber's one-pass text summary counts digit runs exactly as DigitRun does")
    func summaryAgrees() {
        let alphabet = Array("0123456789 -./()+:xA\u{e9}")
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 40)
            var text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let (summary, reference) = text.withUTF8 { (TextSummary($0), DigitRun.longest(in: $0)) }
            #expect(summary.longestDigitRun == reference, "\(text)")
            #expect(summary.length == text.utf8.count)
        }
    }
}
