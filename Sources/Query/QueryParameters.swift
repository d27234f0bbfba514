/// The parameters of a request's query string (`?service=a&tag=k:v&tag=k2:v2`), decoded as HTML forms and Go's
/// `url.ParseQuery` decode them: `+` is a space, `%XX` a byte. Grafana's Jaeger data source and Jaeger UI send
/// operation names with spaces (`GET /users/:id`) either way.
package struct QueryParameters: Sendable {
    private var pairs: [(name: String, value: String)]

    /// Decodes `query` (the part after `?`, nil when there is none); a bad `%` escape or bytes that are not
    /// UTF-8 are a 400.
    package init(query: String?) throws(QueryRequestError) {
        pairs = []
        for field in (query ?? "").utf8.split(separator: UInt8(ascii: "&")) {
            let parts = field.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0], plusIsSpace: true),
                let value = Self.decode(parts.count > 1 ? Array(parts[1]) : [], plusIsSpace: true)
            else {
                throw QueryRequestError(status: 400, message: "malformed query string: bad %-escape or not UTF-8")
            }
            pairs.append((name, value))
        }
    }

    /// The first value of `name`, nil when absent or empty (as Go's `FormValue`).
    package func value(_ name: String) -> String? {
        pairs.first { $0.name == name }.flatMap { $0.value.isEmpty ? nil : $0.value }
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The names given, in order, each once.
    package var names: [String] {
        var seen = Set<String>()
        return pairs.map(\.name).filter { seen.insert($0).inserted }
    }

    /// Percent-decodes `bytes` (and `+` as a space when asked); nil for a bad escape or invalid UTF-8.
    package static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            switch byte {
            case UInt8(ascii: "%"):
                guard index != bytes.endIndex, case let second = bytes.index(after: index), second != bytes.endIndex,
                    let high = hexValue(bytes[index]), let low = hexValue(bytes[second])
                else { return nil }
                decoded.append(high << 4 | low)
                index = bytes.index(after: second)
            case UInt8(ascii: "+") where plusIsSpace: decoded.append(UInt8(ascii: " "))
            default: decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
