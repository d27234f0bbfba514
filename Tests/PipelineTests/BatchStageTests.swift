import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `batch` as three stages (decode, scrub, write): what the scrubbing thread drops comes off each file's count.
@Suite struct BatchStageTests {
    static func line(_ index: Int, _ message: String) -> String {
        "{\"timestamp\":\"2026-11-23T00:00:\(String(format: "%02d", index)).000Z\",\"level\":\"info\","
            + "\"message\":\"\(message)\"}"
    }

    @Test("records a rule drops, across several transactions, come off their own file's record count")
    func dropsComeOffTheirFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let mixed = (0..<10).map { Self.line($0, $0 % 2 == 0 ? "keep \($0)" : "drop \($0)") }
        try (mixed.joined(separator: "\n") + "\n").write(toFile: folder.file("a.log"), atomically: true, encoding: .utf8)
        let kept = (0..<6).map { Self.line($0, "keep \($0)") }
        try (kept.joined(separator: "\n") + "\n").write(toFile: folder.file("b.log"), atomically: true, encoding: .utf8)

        var configuration = BatchConfiguration(inputs: [folder.file("a.log"), folder.file("b.log")])
        configuration.databasePath = folder.file("t.db")
        configuration.rules = RulesInForce.Snapshot(scrubber: DropMessages(containing: "drop"))
        configuration.recordsPerTransaction = 3
        let summary = try BatchRunner(configuration: configuration).run()
        #expect(summary.logs == 11)
        #expect(summary.droppedByRules == 5)

        let store = try IncidentStore.openExisting(path: configuration.databasePath)
        let sources = try store.debugRows("sources")
        #expect(sources.count == 2)
        #expect(sources.filter { $0.contains("a.log") && $0.contains("records:5 ") }.count == 1)
        #expect(sources.filter { $0.contains("b.log") && $0.contains("records:6 ") }.count == 1)
        let messages = try store.debugRows("logs").filter { $0.contains("\"drop ") }
        #expect(messages.isEmpty)
        #expect(try store.counts().uncorrelatedLogs == 11)
    }
}
