import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Files that shrink or are copied under the runner (issue #15, items 3 and 4): each line stored once, and
/// the stored checkpoint of a file describes what it holds now, so restarts store nothing again.
@Suite struct TailTruncationTests {
    typealias Setup = TailRunnerTests.Setup

    @Test("a file truncated in its middle is read again once; its checkpoint then fits its new content")
    func truncatedInTheMiddle() throws {
        let setup = try Setup()
        defer { setup.folder.remove() }
        try setup.append(1...1)
        let runner = try setup.runner()
        try runner.pollAll()
        try setup.append(2...5)
        try runner.pollAll()
        let size = try #require(FileManager.default.attributesOfItem(atPath: setup.log)[.size] as? Int)
        #expect(truncate(setup.log, off_t(size / 2)) == 0)
        try setup.append(6...6)
        for _ in 0..<4 { try runner.pollAll() }
        let store = try IncidentStore.openExisting(path: setup.database)
        let afterRun = try store.counts()
        let newSize = try #require(FileManager.default.attributesOfItem(atPath: setup.log)[.size] as? Int)
        #expect(try store.tailCheckpoints().map(\.byteOffset) == [Int64(newSize)])

        for _ in 0..<3 {
            let restarted = try setup.runner()
            try restarted.pollAll()
            try restarted.pollAll()
            #expect(restarted.counts.lines == 0)
        }
        let afterRestarts = try store.counts()
        #expect(afterRestarts.logs == afterRun.logs)
        #expect(afterRestarts.rejects == afterRun.rejects)
        #expect(afterRun.rejects == 1)
    }
}
