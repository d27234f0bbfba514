import ArgumentParser
import Pipeline
import Rules
import TraceJoinCore

/// `--timezone`: the zone log times without one are read in, for `batch`, `tail` and `serve --tail`.
struct TimeZoneOptions: ParsableArguments {
    @Option(
        name: .customLong("timezone"),
        help: ArgumentHelp(
            """
            The zone of log times written without one (`2026-11-23 10:00:00,123`, `10:00:00.123`): an IANA name \
            (Europe/Berlin) or an offset (+05:30, UTC). Default: the TZ environment variable, else the \
            machine's zone. A rule file's `timezone:` entry for a file wins over both.
            """, valueName: "zone"),
        transform: TimeZoneOptions.zone(named:))
    var timeZone: LogTimeZone?

    static func zone(named text: String) throws -> LogTimeZone {
        guard let zone = LogTimeZone(named: text) else {
            throw ValidationError(
                "not a time zone; use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30")
        }
        return zone
    }

    /// The zones in force: a rule file's `timezone:` entry for the file, else `--timezone`, else the machine's
    /// (`TZ`, else `/etc/localtime`; a `TZ` that cannot be read is said on standard error and gives UTC).
    func timeZones(rules: [TimeZoneRule] = []) -> SourceTimeZones {
        if let timeZone { return SourceTimeZones(fallback: timeZone, rules: rules) }
        let machine = LogTimeZone.machine()
        if let problem = machine.problem {
            Console.note("warning: \(problem)")
            Console.note("  hint: set TZ to an IANA name such as Europe/Berlin, or pass --timezone")
        }
        return SourceTimeZones(fallback: machine.zone, rules: rules)
    }
}

extension RuleOptions {
    /// Loads the `timezone:` entries from the same folders; a bad set (an unknown zone) exits 78.
    func loadTimeZoneRules() throws -> [TimeZoneRule] {
        try refusingBadRules { () throws(RuleSetError) in
            try TimeZoneRuleLoader.load(ruleFolders: ruleFolders, includeBuiltIn: !noDefaultRules)
        }
    }
}
