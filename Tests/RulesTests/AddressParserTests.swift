import Rules
import Testing
import TraceJoinTesting

/// The byte parsers behind the IP validators (the hot path) must answer exactly as the
/// character-by-character versions they replace on address-alphabet text.
@Suite struct AddressParserTests {
    static let tricky = [
        "1.2.3.4", "203.0.113.7", "255.255.255.255", "256.1.1.1", "01.2.3.4", "0.0.0.0", "1.2.3", "1.2.3.4.5",
        "1..2.3", ".1.2.3", "1.2.3.", "1234.1.1.1", "", ".", "::", ":::", "::1", "1::", "2001:db8::1",
        "2001:DB8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:1:2", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "1::2::3",
        "::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "1.2.3.4::", "::1.2.3", "12345::1", "a:b", "fe80::1:2:3:4:5:6",
        "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8", "2001:db8:85a3::8a2e:370:7334",
        String(repeating: "1", count: 46) + ":", "1:", ":1", "0:0:0:0:0:0:0:0", "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
        "1.2.3.4:80", "::1.2.3.4.5", "::256.1.1.1",
        // Outside the address alphabet: the general parser answers (signs, spaces, non-ASCII digits).
        "+1::2", "-0::1", "1 .2.3.4", "١.٢.٣.٤", "1.2.3.4\r\n", "g::1",
    ]

    @Test("IPv4 and IPv6 parsing agrees with the character-by-character parsers", arguments: tricky)
    func agreesOnTrickyText(_ text: String) {
        #expect(Validators.ipv4Octets(text[...]) == Validators.ipv4OctetsOfCharacters(text[...]))
        #expect(Validators.ipv6Groups(text[...]) == Validators.ipv6GroupsOfCharacters(text[...]))
    }

    @Test("IPv4 and IPv6 parsing agrees with the character-by-character parsers on random address-like text")
    func agreesOnRandomText() {
        let alphabet = Array("0123456789abcdefABCDEF:.::..00255")
        var generator = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 24)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            #expect(Validators.ipv4Octets(text[...]) == Validators.ipv4OctetsOfCharacters(text[...]), "\(text)")
            #expect(Validators.ipv6Groups(text[...]) == Validators.ipv6GroupsOfCharacters(text[...]), "\(text)")
        }
    }
}
