package import TraceJoinCore

/// A rule that says which zone the zone-less times of some files are written in (a fleet whose hosts log in
/// different local times): `timezone: {files: 'legacy/*.log', zone: Europe/Berlin}`.
///
/// It wins over `--timezone` and the machine's `TZ` for the files it names; the first rule (in load order)
/// whose glob matches a file decides.
package struct TimeZoneRule: IdentifiedRule {
    package var id: String
    package var description: String
    /// Globs of the files (`*`, `?`, `[…]` within a path component, `**` for any number of folders). One
    /// without a leading `/` matches the end of a path (`legacy/*.log` matches `/var/log/legacy/a.log`).
    package var files: [String]
    package var zone: LogTimeZone
    package var location: RuleLocation

    package init(
        id: String, description: String = "", files: [String], zone: LogTimeZone,
        location: RuleLocation = RuleLocation(file: "", line: 1, column: 1)
    ) {
        self.id = id
        self.description = description
        self.files = files
        self.zone = zone
        self.location = location
    }
}
