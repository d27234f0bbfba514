/// The `truncate-ip` action: IPv4 to its /24, IPv6 to its /48.
///
/// A /24 and a /48 are the usual "network, not host" cut (Google Analytics' IP anonymisation does the
/// same for IPv4; /48 is a site's prefix in IPv6). The output is still a valid address, so it can be grouped on.
package enum IPTruncation {
    /// The truncated address, or nil if `text` is not an IP address.
    package static func truncate(_ text: String) -> String? {
        if let octets = Validators.ipv4Octets(text[...]) {
            return "\(octets[0]).\(octets[1]).\(octets[2]).0"
        }
        if let groups = Validators.ipv6Groups(text[...]) {
            return groups.prefix(3).map { String($0, radix: 16) }.joined(separator: ":") + "::"
        }
        return nil
    }
}
