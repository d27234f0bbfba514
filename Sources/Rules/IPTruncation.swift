/// The `truncate-ip` action: IPv4 to its /24, IPv6 to its /48.
///
/// A /24 and a /48 are the usual "network, not host" cut (Google Analytics' IP anonymisation does the
/// same for IPv4; /48 is a site's prefix in IPv6). The output is still a valid address, so it can be grouped on.
package enum IPTruncation {
    /// The truncated address, or nil if `text` is not an IP address.
    package static func truncate(_ text: String) -> String? {
        Validators.withBytes(of: text[...], truncate(bytes:))
    }

    /// `truncate(_:)` for a match's bytes, as the scrubber has them.
    package static func truncate(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if let octets = Validators.ipv4Address(bytes) { return network(octets.0, octets.1, octets.2) }
        return Validators.ipv6Address(bytes).map(network)
    }

    private static func network(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> String {
        "\(a).\(b).\(c).0"
    }

    /// The first three groups in lowercase hex without leading zeros, then `::`.
    private static func network(_ groups: [UInt16]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(17)
        for group in groups.prefix(3) {
            var shift = 12
            while shift > 0, (group >> UInt16(shift)) & 0xF == 0 { shift -= 4 }
            while shift >= 0 {
                let nibble = UInt8((group >> UInt16(shift)) & 0xF)
                out.append(nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10)
                shift -= 4
            }
            out.append(UInt8(ascii: ":"))
        }
        out.append(UInt8(ascii: ":"))
        return String(decoding: out, as: UTF8.self)
    }
}
