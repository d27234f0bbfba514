package import Rules
package import TraceJoinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The zone each input file's zone-less times are read in: the first rule-file `timezone:` entry whose glob
/// matches the file, else `fallback`.
///
/// - `fallback` (default UTC): the zone of every file no rule names; the CLI sets it from `--timezone`, else
///   the machine's `TZ` (else `/etc/localtime`).
/// - `rules` (default none): the `timezone:` entries of the rule files, in load order.
package struct SourceTimeZones: Sendable {
    package var fallback: LogTimeZone
    package var rules: [TimeZoneRule]

    package init(fallback: LogTimeZone = .utc, rules: [TimeZoneRule] = []) {
        self.fallback = fallback
        self.rules = rules
    }

    /// The zone of the file at `path`.
    package func zone(forPath path: String) -> LogTimeZone {
        guard !rules.isEmpty else { return fallback }
        let components = path.split(separator: "/").map(String.init)
        for rule in rules where rule.files.contains(where: { Self.matches($0, components, absolute: path.hasPrefix("/")) }) {
            return rule.zone
        }
        return fallback
    }

    /// Whether a glob matches a path's components: the whole path for a glob that starts with `/`, else its
    /// last components (`legacy/*.log` matches `/var/log/legacy/a.log`). `*`, `?` and `[…]` stay within one
    /// component (`fnmatch`); `**` stands for any number of them.
    static func matches(_ glob: String, _ components: [String], absolute: Bool) -> Bool {
        let parts = glob.split(separator: "/").map(String.init)
        if glob.hasPrefix("/") { return absolute && matches(parts[...], components[...]) }
        return (0...components.count).contains { start in matches(parts[...], components[start...]) }
    }

    private static func matches(_ parts: ArraySlice<String>, _ components: ArraySlice<String>) -> Bool {
        guard let part = parts.first else { return components.isEmpty }
        if part == "**" {
            return (0...components.count).contains { skipped in
                matches(parts.dropFirst(), components.dropFirst(skipped))
            }
        }
        guard let component = components.first, fnmatch(part, component, 0) == 0 else { return false }
        return matches(parts.dropFirst(), components.dropFirst())
    }
}
