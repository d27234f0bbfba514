/// Durations as Go's `time.ParseDuration` writes them, which Jaeger's `minDuration`/`maxDuration` take: a sequence
/// of decimal numbers with units, `300ms`, `1.5s`, `2h45m`; units `ns`, `us` (`µs`, `μs`), `ms`, `s`, `m`, `h`.
/// — source: https://pkg.go.dev/time#ParseDuration
package enum GoDuration {
    private static let units: [(name: String, nanoseconds: Int64)] = [
        ("ns", 1), ("us", 1_000), ("\u{00B5}s", 1_000), ("\u{03BC}s", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Nanoseconds, or nil when `text` is not a duration (or overflows 64 bits). A leading `-` is accepted, as Go
    /// accepts it; "0" needs no unit.
    package static func nanoseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var sign: Int64 = 1
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(whole.count)
            var fraction: Substring = ""
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return nil }
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unitText.count)
            guard let unit = units.first(where: { $0.name == unitText })?.nanoseconds,
                let component = component(whole: whole, fraction: fraction, unit: unit)
            else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(component)
            guard !overflow else { return nil }
            total = sum
        }
        return sign * total
    }

    /// `whole.fraction` units in nanoseconds, the fraction truncated as Go truncates it.
    private static func component(whole: Substring, fraction: Substring, unit: Int64) -> Int64? {
        let integer = whole.isEmpty ? 0 : Int64(whole)
        guard let integer else { return nil }
        let (scaled, overflow) = integer.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        var part: Int64 = 0
        var scale = Double(unit)
        for digit in fraction.prefix(18) {
            scale /= 10
            part += Int64(Double(digit.wholeNumberValue ?? 0) * scale)
        }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(part)
        return sumOverflow ? nil : sum
    }
}
