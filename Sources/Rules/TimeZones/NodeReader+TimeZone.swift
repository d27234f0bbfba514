import TraceJoinCore
import Yams

extension NodeReader {
    static let timeZoneRuleKeys = ["id", "description", "timezone"]
    static let timeZoneKeys = ["files", "zone"]

    /// One time zone rule, or nil (with diagnostics) when any part of it is wrong.
    mutating func timeZoneRule(_ node: Node) -> TimeZoneRule? {
        let before = diagnostics.count
        guard let fields = members(node, known: Self.timeZoneRuleKeys, what: "a time zone rule") else { return nil }
        guard let idNode = fields["id"]?.value else {
            error(at: node, "a rule needs an `id`", hint: "for instance `id: zone.legacy-hosts`")
            return nil
        }
        let id = string(idNode, key: "id") ?? ""
        if id.isEmpty { error(at: idNode, "`id` must not be empty") }
        let description = fields["description"].flatMap { string($0.value, key: "description") } ?? ""
        guard let zoneNode = fields["timezone"]?.value,
            let keys = members(zoneNode, known: Self.timeZoneKeys, what: "`timezone`")
        else { return nil }
        guard let filesNode = keys["files"]?.value, let nameNode = keys["zone"]?.value else {
            error(
                at: zoneNode, "`timezone` needs `files` and `zone`",
                hint: "for instance `timezone: {files: 'legacy/*.log', zone: Europe/Berlin}`")
            return nil
        }
        let files = strings(filesNode, key: "files") ?? []
        if files.isEmpty || files.contains(where: \.isEmpty) { error(at: filesNode, "`files` must name a glob") }
        var zone: LogTimeZone?
        if let name = string(nameNode, key: "zone") {
            zone = LogTimeZone(named: name)
            if zone == nil {
                error(
                    at: nameNode, "unknown time zone `\(name)`",
                    hint: "use an IANA name such as Europe/Berlin (see /usr/share/zoneinfo), UTC, or an offset such as +05:30")
            }
        }
        guard diagnostics.count == before, let zone else { return nil }
        return TimeZoneRule(id: id, description: description, files: files, zone: zone, location: location(of: node))
    }
}
