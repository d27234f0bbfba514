import Rules
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `timezone:` entries in rule files: which files' zone-less times are read in which zone.
@Suite struct TimeZoneRuleTests {
    @Test("a timezone entry is read beside scrubbing rules, and is not taken for one")
    func loads() throws {
        let source = RuleSource(
            path: "zones.yaml",
            text: """
                - id: zone.legacy
                  description: the old hosts log in Berlin time
                  timezone: {files: ['legacy/*.log', '/srv/old/**/*.log'], zone: Europe/Berlin}
                - id: zone.mumbai
                  timezone: {files: 'mumbai-*.log', zone: '+05:30'}
                """)
        let loaded = TimeZoneRuleLoader.load([source])
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.rules.map(\.id) == ["zone.legacy", "zone.mumbai"])
        #expect(loaded.rules.first?.files == ["legacy/*.log", "/srv/old/**/*.log"])
        #expect(loaded.rules.first?.zone == LogTimeZone(named: "Europe/Berlin"))
        #expect(loaded.rules.last?.zone == .fixed(offsetSeconds: 19_800))
        #expect(RuleLoader.load(source).diagnostics.isEmpty)
        #expect(RuleCheck.diagnostics(for: [source]).isEmpty)
    }

    @Test("an unknown zone name is an error at its line and column, with a hint", arguments: [
        ("unknown-zone", "3:43", "unknown time zone `Europe/Berln`"),
        ("missing-zone", "4:5", "`timezone` needs `files` and `zone`"),
    ])
    func badZone(_ fault: String, _ position: String, _ message: String) throws {
        let path = FixturePaths.fixture("rules/bad-timezone/\(fault).yaml")
        let diagnostics = RuleCheck.diagnostics(forFolder: path)
        #expect(diagnostics.count == 1)
        let text = try #require(diagnostics.first?.description)
        #expect(text.hasPrefix("\(path):\(position): error: \(message)"), "\(text)")
        #expect(throws: RuleSetError.self) { try TimeZoneRuleLoader.load(ruleFolders: [path]) }
    }
}
