import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tail_checkpoints` holds rows only for the files the tailer still remembers (the open ones and its bounded
/// list of finished ones), so rotation does not grow it forever; pruning never costs a line after a restart.
@Suite struct TailCheckpointPruningTests {
    static let retiredLimit = 3

    static func runner(_ setup: TailRunnerTests.Setup) throws -> TailRunner {
        var configuration = TailRunConfiguration(patterns: [setup.log])  // rotated names fall out of the pattern
        configuration.databasePath = setup.database
        configuration.holdBack = .zero
        configuration.rotatedGrace = .zero
        configuration.retiredLimit = retiredLimit
        return try TailRunner(configuration: configuration, store: try IncidentStore(path: setup.database))
    }

    @Test("rotated forty times, the checkpoint table stays bounded, and a restart still resumes exactly")
    func boundedUnderRotation() throws {
        let setup = try TailRunnerTests.Setup()
        defer { setup.folder.remove() }
        let runner = try Self.runner(setup)
        var written = 0
        var largest = 0
        for rotation in 1...40 {
            try setup.append((written + 1)...(written + 5))
            written += 5
            try runner.pollAll()
            try FileManager.default.moveItem(atPath: setup.log, toPath: setup.log + ".\(rotation)")
            try runner.pollAll()  // drains the renamed file; closed once idle (grace 0)
            try runner.pollAll()
            largest = max(largest, try IncidentStore.openExisting(path: setup.database).tailCheckpoints().count)
        }
        // Every rotated file got a row while followed; only the remembered ones (and the live file) keep it.
        #expect(largest <= Self.retiredLimit + 2)
        #expect(largest > 0)
        #expect(try setup.messages() == setup.expected(1...written))

        // A restart over the pruned table: the live file resumes at its checkpoint, nothing read twice.
        try setup.append((written + 1)...(written + 3))
        try runner.pollAll()
        try setup.append((written + 4)...(written + 6))
        written += 6
        let restarted = try Self.runner(setup)
        try restarted.pollAll()
        #expect(restarted.counts.lines == 3)
        #expect(try setup.messages() == setup.expected(1...written))
        #expect(try IncidentStore.openExisting(path: setup.database).tailCheckpoints().count <= Self.retiredLimit + 1)
    }

    @Test("files deleted for good leave the table as soon as they are closed")
    func deletedFilesForgotten() throws {
        let setup = try TailRunnerTests.Setup()
        defer { setup.folder.remove() }
        var configuration = TailRunConfiguration(patterns: [setup.folder.file("*.log")])
        configuration.databasePath = setup.database
        configuration.holdBack = .zero
        configuration.rotatedGrace = .zero
        let runner = try TailRunner(configuration: configuration, store: try IncidentStore(path: setup.database))
        for number in 1...5 { try setup.append(number...number, to: setup.folder.file("job-\(number).log")) }
        try runner.pollAll()
        #expect(try IncidentStore.openExisting(path: setup.database).tailCheckpoints().count == 5)
        for number in 1...4 { try FileManager.default.removeItem(atPath: setup.folder.file("job-\(number).log")) }
        try runner.pollAll()  // drained and closed (grace 0)
        try runner.pollAll()
        let remaining = try IncidentStore.openExisting(path: setup.database).tailCheckpoints().map(\.path)
        #expect(remaining == [setup.folder.file("job-5.log")])
        #expect(try setup.messages() == setup.expected(1...5))
    }
}
