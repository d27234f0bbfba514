/// Byte-level parsers behind `Validators.ipv4Octets` and `ipv6Groups`: the IP rules match on most
/// records of a busy service (client addresses, peer addresses), and the `Substring` versions
/// (split, `firstRange(of:)`, `Int(_:)`) cost microseconds per match.
///
/// Each takes only text made of the bytes an address can hold (ASCII digits, hex letters, `:` and
/// `.`), where characters and bytes are the same thing; anything else goes to the general version,
/// so the answers are the same.
extension Validators {
    /// The address as four octets, or nil; text of digits and dots only.
    static func ipv4Value(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt8, UInt8, UInt8, UInt8)? {
        var octets: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var part = 0
        var value = 0
        var length = 0
        var first: UInt8 = 0
        func finish() -> Bool {
            guard length >= 1, length <= 3, length == 1 || first != UInt8(ascii: "0"), value <= 255, part < 4 else {
                return false
            }
            switch part {
            case 0: octets.0 = value
            case 1: octets.1 = value
            case 2: octets.2 = value
            default: octets.3 = value
            }
            part += 1
            value = 0
            length = 0
            return true
        }
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard finish() else { return nil }
            } else if byte &- 0x30 < 10 {
                if length == 0 { first = byte }
                length += 1
                if length > 3 { return nil }
                value = value * 10 + Int(byte - 0x30)
            } else {
                return nil
            }
        }
        guard finish(), part == 4 else { return nil }
        return (UInt8(octets.0), UInt8(octets.1), UInt8(octets.2), UInt8(octets.3))
    }

    /// Whether every byte is one an IPv6 or IPv4 address can hold, so the byte parsers apply.
    static func isAddressAlphabet(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: ":"), UInt8(ascii: "."):
                continue
            default: return false
            }
        }
        return true
    }

    /// `ipv6Groups` for text in the address alphabet.
    static func ipv6Value(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt16]? {
        let count = bytes.count
        guard count >= 2, count <= 45, bytes.contains(UInt8(ascii: ":")) else { return nil }
        // Split at each `::`, left to right, not overlapping: at most two halves.
        var doubleColon: Int?
        var index = 0
        while index + 1 < count {
            if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: ":") {
                if doubleColon != nil { return nil }
                doubleColon = index
                index += 2
            } else {
                index += 1
            }
        }
        func groups(_ range: Range<Int>, allowIPv4Tail: Bool, into result: inout [UInt16]) -> Bool {
            if range.isEmpty { return true }
            var start = range.lowerBound
            while true {
                var end = start
                while end < range.upperBound, bytes[end] != UInt8(ascii: ":") { end += 1 }
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let isLast = end == range.upperBound
                if allowIPv4Tail, isLast, piece.contains(UInt8(ascii: ".")), let octets = ipv4Value(piece) {
                    result.append(UInt16(octets.0) << 8 | UInt16(octets.1))
                    result.append(UInt16(octets.2) << 8 | UInt16(octets.3))
                    return true
                }
                guard !piece.isEmpty, piece.count <= 4 else { return false }
                var value: UInt16 = 0
                for byte in piece {
                    let digit: UInt8
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 0x30
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 0x61 + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 0x41 + 10
                    default: return false
                    }
                    value = value << 4 | UInt16(digit)
                }
                result.append(value)
                if isLast { return true }
                start = end + 1
            }
        }
        var head: [UInt16] = []
        guard let split = doubleColon else {
            guard groups(0..<count, allowIPv4Tail: true, into: &head), head.count == 8 else { return nil }
            return head
        }
        var tail: [UInt16] = []
        guard groups(0..<split, allowIPv4Tail: false, into: &head),
            groups((split + 2)..<count, allowIPv4Tail: true, into: &tail), head.count + tail.count <= 7
        else { return nil }
        return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// Runs `body` on the UTF-8 bytes of `text`, in place when they are contiguous, else on a copy.
    static func withBytes<T>(of text: Substring, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = Array(text.utf8)
        return copy.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
    }

    /// The four octets of an IPv4 address in `bytes`: the byte parser for the address alphabet, the character
    /// one for anything else, so both give one answer.
    static func ipv4Address(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt8, UInt8, UInt8, UInt8)? {
        guard isAddressAlphabet(bytes) else {
            return ipv4OctetsOfCharacters(String(decoding: bytes, as: UTF8.self)[...]).map { ($0[0], $0[1], $0[2], $0[3]) }
        }
        return ipv4Value(bytes)
    }

    /// The eight groups of an IPv6 address in `bytes`, parsed as `ipv4Address` is.
    static func ipv6Address(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt16]? {
        guard isAddressAlphabet(bytes) else { return ipv6GroupsOfCharacters(String(decoding: bytes, as: UTF8.self)[...]) }
        return ipv6Value(bytes)
    }

    /// An IPv6 address with at least one decimal digit: `a::b` parses, but in logs it is C++ or Rust, not an address.
    static func isPlausibleIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains(where: { $0 &- 0x30 < 10 }) && ipv6Address(bytes) != nil
    }
}
