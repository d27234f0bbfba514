/// The token clients send as `Authorization: Bearer <token>` when the query server listens beyond this machine.
package struct BearerToken: Sendable, Equatable {
    private let bytes: [UInt8]

    /// The token; nil when it is empty or holds a character a header cannot carry (control, space).
    package init?(_ token: String) {
        let bytes = Array(token.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return nil }
        self.bytes = bytes
    }

    /// Whether an `Authorization` header value carries this token. Compares in time that does not depend on
    /// where the values differ, so the token cannot be guessed a byte at a time.
    package func isCarried(by header: String?) -> Bool {
        guard let header else { return false }
        let utf8 = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard utf8.count > scheme.count,
            zip(utf8, scheme).allSatisfy({ ($0 | 0x20) == $1 })  // the scheme in any case
        else { return false }
        let sent = utf8.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") }
        var difference = UInt8(sent.count == bytes.count ? 0 : 1)
        for (index, byte) in bytes.enumerated() {
            difference |= byte ^ (sent.count == bytes.count ? sent[sent.startIndex + index] : 0xFF)
        }
        return difference == 0
    }
}
