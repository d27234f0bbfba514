import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// A NUL character is ordinary data: a name that holds one is stored and printed whole (issue #15).
@Suite struct NULServiceNameTests {
    @Test("a service name with U+0000 comes back whole in show --format json, classEntry included")
    func classEntryKeepsNUL() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        try #"""
        {"time":"2026-11-23T10:00:00Z","level":"error","msg":"connect ECONNREFUSED 10.0.0.7:5432","service":"pay\u0000ment","trace_id":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"}

        """#.write(toFile: log, atomically: true, encoding: .utf8)
        let db = folder.file("t.db")
        let batch = try CommandRunner.run(["batch", "--quiet", "--db", db, log])
        #expect(batch.status == 0, "\(batch.standardError)")
        let show = try CommandRunner.run(["show", "--db", db, "--format", "json", "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"])
        #expect(show.status == 0, "\(show.standardError)")
        let json = try JSONParser.parse(show.standardOutput)
        #expect(json["services"]?.array?.first?.string == "pay\u{0}ment")
        let classEntry = try #require(json["classEntry"]?.string)
        #expect(classEntry.contains("pay\u{0}ment"), "classEntry: \(classEntry.debugDescription)")
        let incidents = try CommandRunner.run(["incidents", "--db", db, "--format", "json"])
        let rootCause = try JSONParser.parse(incidents.standardOutput).array?.first?["rootCause"]
        #expect(rootCause?["service"]?.string == "pay\u{0}ment", "\(incidents.standardOutput)")
    }
}
