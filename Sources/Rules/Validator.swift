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

    /// Whether the matched text passes.
    package func accepts(_ text: Substring) -> Bool {
        Validators.withBytes(of: text) { accepts(bytes: $0) }
    }

    /// `accepts(_:)` on the match's bytes, as the scrubber has them: the card, phone and IP validators read
    /// bytes, so a match that fails (most 16-digit numbers are not cards) costs no `String`.
    package func accepts(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .luhn: Validators.luhn(bytes: bytes)
        case .card: Validators.card(bytes: bytes)
        case .iban: Validators.iban(String(decoding: bytes, as: UTF8.self)[...])
        case .ipv4: Validators.ipv4Address(bytes) != nil
        case .ipv6: Validators.isPlausibleIPv6(bytes)
        case .ip: Validators.ipv4Address(bytes) != nil || Validators.isPlausibleIPv6(bytes)
        case .jwt: Validators.jwt(String(decoding: bytes, as: UTF8.self)[...])
        case .e164: Validators.e164(bytes: bytes)
        }
    }
}

/// The validator functions, callable on their own in tests.
package enum Validators {
    /// Luhn mod-10 over the ASCII digits among `bytes` (at least two; other bytes are skipped).
    package static func luhn(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var count = 0
        for byte in bytes where byte &- 0x30 < 10 { count += 1 }
        guard count >= 2 else { return false }
        var sum = 0
        var position = count  // digits from this one to the last, this one included
        for byte in bytes where byte &- 0x30 < 10 {
            var value = Int(byte &- 0x30)
            // The last digit is position 1; every second one from it is doubled.
            if position % 2 == 0 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            position -= 1
        }
        return sum % 10 == 0
    }

    /// A card number: only digits, spaces and dashes; a known brand's prefix and length; Luhn.
    package static func card(_ text: Substring) -> Bool {
        Validator.card.accepts(text)
    }

    /// `card(_:)` on bytes.
    package static func card(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var count = 0
        var prefix6 = 0
        var separated = false
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                if count < 6 { prefix6 = prefix6 * 10 + Int(byte - 0x30) }
                count += 1
            case UInt8(ascii: " "), UInt8(ascii: "-"): separated = true
            default: return false
            }
        }
        if !separated && count > 16 { return false }
        guard brandAccepts(prefix6: prefix6, count: count) else { return false }
        return luhn(bytes: bytes)
    }

    /// Issuer identification number ranges and lengths of the major brands.
    /// `prefix6`: the first six digits as a number; `n`: how many digits in all.
    private static func brandAccepts(prefix6 p6: Int, count n: Int) -> Bool {
        guard n >= 13, n <= 19 else { return false }
        // n ≥ 13, so every prefix is whole: the shorter ones are the six-digit one cut down.
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
        withBytes(of: text, ipv4Address).map { [$0.0, $0.1, $0.2, $0.3] }
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
        withBytes(of: text, ipv6Address)
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
        Validator.e164.accepts(text)
    }

    /// `e164(_:)` on bytes.
    package static func e164(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var count = 0
        var first: UInt8 = 0
        for byte in bytes where byte &- 0x30 < 10 {
            if count == 0 { first = byte }
            count += 1
        }
        guard count >= 8, count <= 15 else { return false }
        guard bytes.first == UInt8(ascii: "+") else { return true }
        // Written with `+` means its first character is `+` alone: one followed by a combining mark is not.
        if bytes.count > 1, bytes[1] >= 0x80, !String(decoding: bytes, as: UTF8.self).hasPrefix("+") { return true }
        return first != UInt8(ascii: "0")
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
