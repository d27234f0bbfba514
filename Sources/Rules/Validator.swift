import TraceJoinCore

/// A check a pattern's match must pass to count: a failing validator means no match,
/// so a Luhn-invalid 16-digit order number is not a card.
package enum Validator: String, Sendable, CaseIterable {
    /// Luhn checksum only.
    case luhn
    /// Luhn, plus an issuer prefix and length of a real card brand; unseparated numbers of more than 16 digits
    /// are refused, as they are far more often Datadog decimal trace IDs than 19-digit cards.
    case card
    /// ISO 13616 mod-97 check and the country's length.
    case iban
    case ipv4
    /// Parses, and has a decimal digit somewhere (`a::b` is C++, not an address).
    case ipv6
    /// Either address family.
    case ip
    /// Three base64url parts; the header decodes to a JSON object with `alg`.
    case jwt
    /// `+` (optional) and 8 to 15 digits once separators are removed, no leading zero in the country code.
    case e164

    /// An IPv6 address with at least one decimal digit: `a::b` parses, but in logs it is C++ or Rust, not an address.
    private static func plausibleIPv6(_ text: Substring) -> Bool {
        Validators.ipv6Groups(text) != nil && text.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Whether the matched text passes.
    package func accepts(_ text: Substring) -> Bool {
        switch self {
        case .luhn: Validators.luhn(digitsOf(text))
        case .card: Validators.card(text)
        case .iban: Validators.iban(text)
        case .ipv4: Validators.ipv4Octets(text) != nil
        case .ipv6: Self.plausibleIPv6(text)
        case .ip: Validators.ipv4Octets(text) != nil || Self.plausibleIPv6(text)
        case .jwt: Validators.jwt(text)
        case .e164: Validators.e164(text)
        }
    }
}

private func digitsOf(_ text: Substring) -> [UInt8] {
    text.utf8.compactMap { $0 >= 0x30 && $0 <= 0x39 ? $0 - 0x30 : nil }
}

/// The validator functions, callable on their own in tests.
package enum Validators {
    /// Luhn mod-10 over decimal digits (at least two).
    package static func luhn(_ digits: [UInt8]) -> Bool {
        guard digits.count >= 2 else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// A card number: only digits, spaces and dashes; a known brand's prefix and length; Luhn.
    package static func card(_ text: Substring) -> Bool {
        var digits: [UInt8] = []
        var separated = false
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39: digits.append(byte - 0x30)
            case UInt8(ascii: " "), UInt8(ascii: "-"): separated = true
            default: return false
            }
        }
        if !separated && digits.count > 16 { return false }
        guard brandAccepts(digits) else { return false }
        return luhn(digits)
    }

    private static func prefix(_ digits: [UInt8], _ count: Int) -> Int {
        var value = 0
        for index in 0..<min(count, digits.count) { value = value * 10 + Int(digits[index]) }
        return value
    }

    /// Issuer identification number ranges and lengths of the major brands.
    private static func brandAccepts(_ digits: [UInt8]) -> Bool {
        let n = digits.count
        guard n >= 13, n <= 19 else { return false }
        // n ≥ 13, so every prefix is whole: the shorter ones are the six-digit one cut down.
        let p6 = prefix(digits, 6)
        let p4 = p6 / 100
        let p3 = p6 / 1000
        let p2 = p6 / 10000
        let p1 = p6 / 100000
        if p1 == 4 { return n == 13 || n == 16 || n == 19 }  // Visa
        if (51...55).contains(p2) || (2221...2720).contains(p4) { return n == 16 }  // Mastercard
        if p2 == 34 || p2 == 37 { return n == 15 }  // American Express
        if p4 == 6011 || p2 == 65 || (644...649).contains(p3) || (622126...622925).contains(p6) {
            return n >= 16  // Discover
        }
        if (3528...3589).contains(p4) { return n >= 16 }  // JCB
        if p2 == 36 || (300...305).contains(p3) || p2 == 38 || p2 == 39 { return n >= 14 }  // Diners Club
        if p2 == 62 { return n >= 16 }  // UnionPay
        if p2 == 50 || (56...69).contains(p2) { return n >= 12 }  // Maestro
        return false
    }

    /// Lengths of IBANs per country (ISO 13616 registry, common countries); other countries: 15–34.
    private static let ibanLengths: [String: Int] = [
        "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
        "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27,
        "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
        "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26,
    ]

    /// IBAN: two letters, two check digits, then the account; mod 97 of the rearranged number is 1.
    package static func iban(_ text: Substring) -> Bool {
        let chars = text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") }.map { byte -> UInt8 in
            (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
        }
        guard chars.count >= 15, chars.count <= 34 else { return false }
        let country = String(decoding: chars.prefix(2), as: UTF8.self)
        guard chars.prefix(2).allSatisfy({ (0x41...0x5A).contains($0) }),
            chars[2...3].allSatisfy({ (0x30...0x39).contains($0) })
        else { return false }
        if let expected = ibanLengths[country], expected != chars.count { return false }
        var remainder = 0
        for byte in chars[4...] + chars[..<4] {
            switch byte {
            case 0x30...0x39: remainder = (remainder * 10 + Int(byte - 0x30)) % 97
            case 0x41...0x5A: remainder = (remainder * 100 + Int(byte - 0x41 + 10)) % 97
            default: return false
            }
        }
        return remainder == 1
    }

    /// The four octets of a dotted-quad IPv4 address (no leading zeros, each ≤ 255).
    package static func ipv4Octets(_ text: Substring) -> [UInt8]? {
        if let fast = withAddressBytes(text, ipv4Value) {
            guard let octets = fast else { return nil }
            return [octets.0, octets.1, octets.2, octets.3]
        }
        return ipv4OctetsOfCharacters(text)
    }

    /// `ipv4Octets` for any text, character by character (the byte parser covers the address alphabet).
    package static func ipv4OctetsOfCharacters(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                part.count == 1 || part.first != "0", let value = Int(part), value <= 255
            else { return nil }
            octets.append(UInt8(value))
        }
        return octets
    }

    /// The eight 16-bit groups of an IPv6 address (`::` compression, an embedded IPv4 tail allowed).
    package static func ipv6Groups(_ text: Substring) -> [UInt16]? {
        if let fast = withAddressBytes(text, ipv6Value) { return fast }
        return ipv6GroupsOfCharacters(text)
    }

    /// `ipv6Groups` for any text, character by character (the byte parser covers the address alphabet).
    package static func ipv6GroupsOfCharacters(_ text: Substring) -> [UInt16]? {
        guard text.contains(":"), text.count >= 2, text.count <= 45 else { return nil }
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowIPv4Tail, index == pieces.count - 1, piece.contains("."), let octets = ipv4OctetsOfCharacters(piece) {
                    result.append(UInt16(octets[0]) << 8 | UInt16(octets[1]))
                    result.append(UInt16(octets[2]) << 8 | UInt16(octets[3]))
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 8 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
            head.count + tail.count <= 7
        else { return nil }
        return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// A JSON Web Token: three base64url parts, the header a JSON object with an `alg` member.
    package static func jwt(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
            let header = Base64.decode(parts[0]), Base64.decode(parts[1]) != nil,
            parts[2].isEmpty || Base64.decode(parts[2]) != nil,
            let json = try? JSONParser.parse(header), json["alg"] != nil
        else { return false }
        return true
    }

    /// E.164: an optional `+`, then 8 to 15 digits (separators ignored), the first not 0 when `+` is written.
    package static func e164(_ text: Substring) -> Bool {
        let digits = digitsOf(text)
        guard digits.count >= 8, digits.count <= 15 else { return false }
        if text.hasPrefix("+") { return digits.first != 0 }
        return true
    }
}

extension Substring {
    /// Splits at the first `::` (an IPv6 address has at most one).
    fileprivate func components(separatedByDoubleColon: ()) -> [Substring] {
        var result: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRange(of: "::") {
            result.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        result.append(rest)
        return result
    }
}
