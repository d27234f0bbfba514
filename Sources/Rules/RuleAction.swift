/// What a rule does with what it matched.
package enum RuleAction: Sendable, Equatable {
    /// Replace with fixed text (`{redact: '<email>'}`).
    case redact(String)
    /// Replace every letter and digit but the last `keep` with `*`, keeping separators (`{mask: {keep: 4}}`).
    case mask(keep: Int)
    /// Replace with `<label:hex>`, the first `length` hex digits of HMAC-SHA256 under the hash key
    /// (`{hash: {label: email, length: 16}}`): the same input gives the same token everywhere.
    case hash(label: String, length: Int)
    /// Remove the attribute; in a record field that cannot be removed (message, name) empty it.
    case dropField
    /// Drop the whole record.
    case dropRecord
    /// IPv4 to its /24 (`203.0.113.7` → `203.0.113.0`), IPv6 to its /48 (`2001:db8:1:…` → `2001:db8:1::`).
    case truncateIP

    /// Action names as written in rule files.
    package static let names = ["redact", "mask", "hash", "drop-field", "drop-record", "truncate-ip"]

    var canonicalText: String {
        switch self {
        case .redact(let text): "redact:\(text)"
        case .mask(let keep): "mask:\(keep)"
        case .hash(let label, let length): "hash:\(label):\(length)"
        case .dropField: "drop-field"
        case .dropRecord: "drop-record"
        case .truncateIP: "truncate-ip"
        }
    }
}
