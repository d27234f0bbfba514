import Foundation
import Ingest
@testable import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `batch` looks up and registers many files in one transaction (issue #14: 10,000 tiny files paid two
/// transactions each). A plan must decide what reading the files one at a time would have decided.
@Suite struct SourcePlanTests {
    /// The files of the night's folder as `batch` would read them, with their fingerprints.
    static func inputs(_ night: NightlyFolder) throws -> [(file: InputFile, fingerprint: String)] {
        try InputDiscovery.expand([night.folder.file("logs")]).map {
            ($0, try FileFingerprint.compute(path: $0.path))
        }
    }

    static func describe(_ plans: [SourcePlan]) -> [String] {
        plans.map {
            switch $0 {
            case .registered(_, _, let isNew): isNew ? "new" : "registered again"
            case .continues: "continues"
            case .whenRead: "when read"
            }
        }
    }

    @Test("new files are registered together, up to the limit, and committed: the next plan starts where it ended")
    func newFilesTogether() throws {
        let night = try NightlyFolder()
        for index in 0..<12 { try night.write("pod-\(index).log", NightlyFolder.line("pod \(index) started")) }
        let inputs = try Self.inputs(night)
        let store = try IncidentStore(path: night.database)

        let first = try SourcePlan.plan(inputs[...], limit: 4, in: store, excluding: [], completed: [])
        #expect(Self.describe(first) == ["new", "new", "new", "new"])
        let second = try SourcePlan.plan(inputs[4...], limit: 100, in: store, excluding: [], completed: [])
        #expect(Self.describe(second) == Array(repeating: "new", count: 8))
        let ids = (first + second).compactMap { if case .registered(_, let id, _) = $0 { id } else { nil } }
        #expect(Set(ids).count == 12)
        // Committed: another connection sees every row.
        let rows = try IncidentStore.openExisting(path: night.database).debugRows("sources")
        #expect(rows.count == 12)
    }

    @Test("a file that continues a stored source ends the plan, after the new files before it")
    func continuationEndsPlan() throws {
        let night = try NightlyFolder()
        try night.write("b-app.log", NightlyFolder.line("one"))
        try night.batch()
        try night.append("b-app.log", NightlyFolder.line("two", second: 1))
        try night.write("a-new.log", NightlyFolder.line("new"))
        try night.write("c-new.log", NightlyFolder.line("later"))
        let inputs = try Self.inputs(night)
        let store = try IncidentStore(path: night.database)

        let plans = try SourcePlan.plan(inputs[...], limit: 100, in: store, excluding: [], completed: [])
        #expect(Self.describe(plans) == ["new", "continues"])
        // Claimed by this run already (read by a file before it): no longer continued.
        guard case .continues(let match) = plans.last, let source = match.continues else {
            Issue.record("no continuation")
            return
        }
        let again = try SourcePlan.plan(
            inputs[1...], limit: 100, in: store, excluding: [source.sourceID], completed: [])
        #expect(Self.describe(again) == ["new", "new"])
    }

    @Test("a copy of a file before it in the plan, or of one read whole by the run, is left for its turn")
    func copiesWaitTheirTurn() throws {
        let night = try NightlyFolder()
        try night.write("x.log", NightlyFolder.line("same"))
        try night.write("y.log", NightlyFolder.line("same"))
        try night.write("z.log", NightlyFolder.line("other"))
        let store = try IncidentStore(path: night.database)
        let inputs = try Self.inputs(night)

        let first = try SourcePlan.plan(inputs[...], limit: 100, in: store, excluding: [], completed: [])
        #expect(Self.describe(first) == ["new"])
        let copy = try SourcePlan.plan(
            inputs[1...], limit: 100, in: store, excluding: [], completed: [inputs[0].fingerprint])
        #expect(Self.describe(copy) == ["when read"])
    }

    @Test("a file gone since the folder was listed ends the plan before it; first in a plan, it is left for its turn")
    func unreadableFile() throws {
        let night = try NightlyFolder()
        for name in ["a.log", "b.log", "c.log"] { try night.write(name, NightlyFolder.line(name)) }
        let store = try IncidentStore(path: night.database)
        let inputs = try Self.inputs(night)
        try FileManager.default.removeItem(atPath: night.path("b.log"))

        let first = try SourcePlan.plan(inputs[...], limit: 100, in: store, excluding: [], completed: [])
        #expect(Self.describe(first) == ["new"])
        let gone = try SourcePlan.plan(inputs[1...], limit: 100, in: store, excluding: [], completed: [])
        #expect(Self.describe(gone) == ["when read"])
    }
}
