import Foundation
import Store
import Testing
import TraceJoinCore

@Suite struct SourcesTests {
    @Test("a completed file is recognised by fingerprint and size after logrotate renamed it")
    func completedAfterRename() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.store.registerSource(path: "/var/log/api.log", fingerprint: "abc", size: 500)
        #expect(try !temporary.store.completedSource(fingerprint: "abc", size: 500))
        try temporary.write(
            [.log(StoreSamples.log("one", offset: 0))], source: source,
            progress: [SourceProgress(sourceID: source, checkpointOffset: 500, complete: true, records: 1)])
        #expect(try temporary.store.completedSource(fingerprint: "abc", size: 500))
        #expect(try !temporary.store.completedSource(fingerprint: "abc", size: 800))
        #expect(try !temporary.store.completedSource(fingerprint: "other", size: 500))
        // Renamed: the same row, now under its new path.
        let renamed = try temporary.store.registerSource(path: "/var/log/api.log.1", fingerprint: "abc", size: 500)
        #expect(renamed == source)
        #expect(try temporary.store.counts().sources == 1)
    }

    @Test("a file that grew reuses its source and checkpoint and is partial again")
    func grownFile() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.store.registerSource(path: "/var/log/api.log", fingerprint: "abc", size: 500)
        try temporary.write(
            [.log(StoreSamples.log("one", offset: 0))], source: source,
            progress: [SourceProgress(sourceID: source, checkpointOffset: 500, complete: true, records: 1)])
        let grown = try temporary.store.registerSource(path: "/var/log/api.log", fingerprint: "abc", size: 900)
        #expect(grown == source)
        #expect(try temporary.store.checkpoint(sourceID: grown) == 500)
        #expect(try !temporary.store.completedSource(fingerprint: "abc", size: 900))
        #expect(try !temporary.store.completedSource(fingerprint: "abc", size: 500))
        // A smaller file with the same first bytes is a different file.
        let other = try temporary.store.registerSource(path: "/var/log/new.log", fingerprint: "abc", size: 100)
        #expect(other != source)
    }

    @Test("rejects are stored with file, line, reason and text, once per location")
    func rejectsStored() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source("shop.log")
        let reject = RejectedRecord(
            origin: InputLocation(source: "shop.log", line: 12, byteOffset: 1_100), reason: "invalid JSON at byte 7",
            raw: "{\"msg\": ")
        try temporary.write([.reject(reject), .reject(reject)], source: source)
        let stored = try temporary.store.rejects(limit: 10)
        #expect(stored.count == 1)
        #expect(stored.first?.location.source == temporary.directory + "/shop.log")
        #expect(stored.first?.location.line == 12)
        #expect(stored.first?.location.byteOffset == 1_100)
        #expect(stored.first?.reason == "invalid JSON at byte 7")
        #expect(stored.first?.raw == "{\"msg\": ")
        #expect(try temporary.store.counts().rejects == 1)
    }

    @Test("runs record their command, inputs and statistics")
    func runs() throws {
        let temporary = try TemporaryStore()
        let run = try temporary.store.beginRun(command: "batch", inputs: ["/var/log/a \"b\""], rulesDigest: "none")
        try temporary.store.finishRun(run, statsJSON: "{\"spans\":3}")
        let rows = try temporary.dump("runs")
        #expect(rows.count == 1)
        #expect(rows[0].contains("command:\"batch\""))
        #expect(rows[0].contains(#"stats:"{\"spans\":3}""#))
    }
}
