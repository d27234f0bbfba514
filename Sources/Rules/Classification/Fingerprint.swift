import Foundation

/// Groups incidents into problems: the same failure in different traces gets the same fingerprint.
///
/// A problem is what failed where: by default the parts are the root-cause service, its operation (the
/// span name) and the root-cause message with its variable parts (numbers, hex, UUIDs, emails, IP
/// addresses, quoted values) replaced by placeholders, so `User 14841 not found` and `User 9 not found`
/// are one problem. The class is not a part: it is decided by evidence that differs from trace to
/// trace (a gateway's 502 here, the upstream's refused connection there), and with it in the
/// fingerprint one failure of TrainTicket's was split into three problems. A rule's
/// `fingerprint:` replaces the parts, as Sentry's fingerprint rules do; `{{ default }}` stands for
/// the default parts. The parts are hashed (SHA-256) to 16 hex digits, stable across runs and builds.
package enum Fingerprint {
    package static let knownVariables = ["default", "service", "class", "message", "name", "rule"]

    /// Normalised messages are cut to this many bytes: a long stack trace adds nothing to the identity.
    static let maxMessageBytes = 1000

    /// The facts a fingerprint may use.
    package struct Facts: Sendable {
        package var service: String
        package var errorClass: String
        package var message: String
        package var name: String
        package var rule: String

        package init(service: String, errorClass: String, message: String, name: String, rule: String) {
            self.service = service
            self.errorClass = errorClass
            self.message = message
            self.name = name
            self.rule = rule
        }
    }

    /// The 16-hex-digit fingerprint of the facts, with a rule's parts when it has them.
    package static func make(_ facts: Facts, parts: [String]? = nil) -> String {
        let normalised = normalize(facts.message)
        let defaults = [facts.service, facts.name, normalised]
        var expanded: [String] = []
        if let parts {
            for part in parts {
                if part.trimmingSpaces == "{{ default }}" || part.trimmingSpaces == "{{default}}" {
                    expanded += defaults
                    continue
                }
                var text = part
                for variable in variables(in: part) {
                    let value: String
                    switch variable {
                    case "service": value = facts.service
                    case "class": value = facts.errorClass
                    case "message": value = normalised
                    case "name": value = facts.name
                    case "rule": value = facts.rule
                    default: value = defaults.joined(separator: "\u{1F}")
                    }
                    text = text.replacingEvery(variable: variable, with: value)
                }
                expanded.append(text)
            }
        } else {
            expanded = defaults
        }
        var hasher = SHA256()
        hasher.update(expanded.joined(separator: "\u{1F}").utf8)
        return String(SHA256.hex(hasher.finalize()).prefix(16))
    }

    /// The names inside `{{ … }}` in a fingerprint part.
    static func variables(in part: String) -> [String] {
        var result: [String] = []
        var rest = Substring(part)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            result.append(String(rest[open.upperBound..<close.lowerBound]).trimmingSpaces)
            rest = rest[close.upperBound...]
        }
        return result
    }

    // MARK: - Normalising a message

    /// The message with variable parts replaced: `<n>`, `<hex>`, `<uuid>`, `<email>`, `<ip>`, `<str>`;
    /// runs of white space become one space. One pass over the bytes.
    package static func normalize(_ message: String) -> String {
        let bytes = Array(message.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(min(bytes.count, maxMessageBytes))
        var index = 0
        while index < bytes.count, out.count < maxMessageBytes {
            let byte = bytes[index]
            if isSpace(byte) {
                if let last = out.last, last != 0x20 { out.append(0x20) }
                index += 1
                while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                continue
            }
            if byte == 0x22 || byte == 0x27 || byte == 0x60, index == 0 || !isWord(bytes[index - 1]),
                let close = closingQuote(bytes, from: index)
            {
                out.append(contentsOf: "<str>".utf8)
                index = close + 1
                continue
            }
            if isWord(byte) {
                var end = index
                while end < bytes.count, isWord(bytes[end]) { end += 1 }
                while end > index + 1, bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D { end -= 1 }
                appendWord(bytes[index..<end], to: &out)
                index = end
                continue
            }
            out.append(byte)
            index += 1
        }
        while out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The index of the quote that closes the one at `start`, on the same line and within 256 bytes.
    private static func closingQuote(_ bytes: [UInt8], from start: Int) -> Int? {
        let quote = bytes[start]
        var index = start + 1
        while index < bytes.count, index - start <= 256 {
            let byte = bytes[index]
            if byte == 0x0A { return nil }
            if byte == quote { return index }
            index += 1
        }
        return nil
    }

    /// Appends the normalised form of one word: a placeholder for an e-mail, address, UUID or hex ID, else the
    /// word with each run of digits as `<n>`.
    private static func appendWord(_ word: ArraySlice<UInt8>, to out: inout [UInt8]) {
        if let at = word.firstIndex(of: 0x40), word[at...].contains(0x2E), at > word.startIndex {
            out.append(contentsOf: "<email>".utf8)
        } else if isIPv4(word) {
            out.append(contentsOf: "<ip>".utf8)
        } else if isUUID(word) {
            out.append(contentsOf: "<uuid>".utf8)
        } else if word.count > 2, word.first == 0x30, word[word.startIndex + 1] | 0x20 == 0x78,
            word.dropFirst(2).allSatisfy(isHex)
        {
            out.append(contentsOf: "<hex>".utf8)
        } else if word.count >= 8, word.allSatisfy(isHex), word.contains(where: isDigit), !word.allSatisfy(isDigit) {
            out.append(contentsOf: "<hex>".utf8)
        } else {
            var index = word.startIndex
            while index < word.endIndex {
                if isDigit(word[index]) {
                    out.append(contentsOf: "<n>".utf8)
                    while index < word.endIndex, isDigit(word[index]) { index += 1 }
                } else {
                    out.append(word[index])
                    index += 1
                }
            }
        }
    }

    /// Four dot-separated parts of one to three digits.
    private static func isIPv4(_ word: ArraySlice<UInt8>) -> Bool {
        var dots = 0
        var length = 0
        for byte in word {
            if byte == 0x2E {
                guard length >= 1, length <= 3 else { return false }
                dots += 1
                length = 0
            } else if isDigit(byte) {
                length += 1
            } else {
                return false
            }
        }
        return dots == 3 && length >= 1 && length <= 3
    }

    private static func isUUID(_ word: ArraySlice<UInt8>) -> Bool {
        guard word.count == 36 else { return false }
        for (offset, byte) in word.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                if byte != 0x2D { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
    /// Letters, digits and the characters that hold IDs, emails and addresses together.
    private static func isWord(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x2E || byte == 0x40
            || byte == 0x2D || byte >= 0x80
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }

    /// Replaces `{{ variable }}` (with or without inner spaces) by `value`.
    fileprivate func replacingEvery(variable: String, with value: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingSpaces
            result += rest[..<open.lowerBound]
            result += name == variable ? value : String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
