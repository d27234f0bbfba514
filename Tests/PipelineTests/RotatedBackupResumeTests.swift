import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Rotation that compresses backups, and span files that grow: nothing stored twice, nothing lost.
@Suite struct RotatedBackupResumeTests {
    static func lines(_ range: ClosedRange<Int>) -> String {
        range.map { NightlyFolder.line("line \($0)", second: $0) }.joined()
    }

    @Test("logrotate compress: the gzip backup continues the plain file read last night, from its checkpoint")
    func compressedBackup() throws {
        let night = try NightlyFolder()
        try night.write("app.log", Self.lines(1...3))
        try night.batch()

        // Appended to, then rotated and compressed; a new app.log is created.
        try night.remove("app.log")
        try night.writeGzip("app.log.1.gz", Self.lines(1...4))
        try night.write("app.log", NightlyFolder.line("fresh", second: 9))
        let second = try night.batch()
        #expect(second.filesResumed == 1)
        #expect(second.logs == 3, "line 3 (the last record read last night) again, line 4, fresh")
        #expect(
            try night.logs() == [
                "app.log.1.gz:1 line 1", "app.log.1.gz:2 line 2", "app.log.1.gz:3 line 3", "app.log.1.gz:4 line 4",
                "app.log:1 fresh",
            ])

        let third = try night.batch()
        #expect(third.filesSkipped == 2)
        #expect(try night.logs().count == 5)
    }

    @Test("a gzip file read while still being copied is continued by its complete copy: nothing twice")
    func gzipCopyInProgress() throws {
        let night = try NightlyFolder()
        let complete = try night.writeHalfOfGzip("app.log.2.gz", Self.lines(1...400))
        let first = try night.batch()
        #expect(first.fileErrors.count == 1)
        let readFirst = try night.logs().count
        #expect(readFirst > 10 && readFirst < 400)

        try complete.write(to: URL(fileURLWithPath: night.path("app.log.2.gz")))  // the copy finished
        let second = try night.batch()
        #expect(second.fileErrors.isEmpty)
        #expect(second.filesResumed == 1)
        let messages = try night.logs().map { $0.split(separator: " ", maxSplits: 1)[1] }
        #expect(messages.count == 400)
        #expect(Set(messages).count == 400, "no line stored twice")
        #expect(try night.rejects().isEmpty, "the half line at the cut is read again whole")
        #expect(try night.store.counts().sources == 1)
    }

    @Test("a half-written gzip copy of a file already read is skipped, and its complete copy continues the source")
    func gzipCopyOfReadFile() throws {
        // Larger than the 64 KiB head that tells a file's sources apart, as real logs are, even when half-written.
        let night = try NightlyFolder()
        try night.write("app.log", Self.lines(1...4000))
        try night.batch()

        let complete = try night.writeHalfOfGzip("app.log.1.gz", Self.lines(1...4001))
        try night.remove("app.log")
        let second = try night.batch()
        #expect(second.filesSkipped == 1)
        #expect(try night.logs().count == 4000, "nothing stored twice")

        try complete.write(to: URL(fileURLWithPath: night.path("app.log.1.gz")))  // the copy finished
        let third = try night.batch()
        #expect(third.filesResumed == 1)
        let messages = try night.logs().map { $0.split(separator: " ", maxSplits: 1)[1] }
        #expect(messages.count == 4001)
        #expect(Set(messages).count == 4001)
        #expect(try night.store.counts().sources == 1)
    }

    @Test("logrotate delaycompress: renamed, grown, then compressed a night later, each line stored once")
    func delayedCompression() throws {
        let night = try NightlyFolder()
        try night.write("app.log", Self.lines(1...2))
        try night.batch()

        try night.append("app.log", Self.lines(3...3))
        try night.rename("app.log", to: "app.log.1")
        try night.write("app.log", Self.lines(10...11))
        try night.batch()

        try night.remove("app.log.1")
        try night.writeGzip("app.log.2.gz", Self.lines(1...3))
        try night.append("app.log", Self.lines(12...12))
        try night.rename("app.log", to: "app.log.1")
        try night.write("app.log", Self.lines(20...20))
        let third = try night.batch()
        #expect(third.filesResumed == 2)
        #expect(third.logs == 4, "line 12 and line 20 are new; line 3 and line 11, last records, are read again")
        let messages = try night.logs().map { $0.split(separator: " ", maxSplits: 1)[1] }
        #expect(messages.sorted() == ["line 1", "line 10", "line 11", "line 12", "line 2", "line 20", "line 3"])
        #expect(try night.store.counts().sources == 3)
    }

    @Test("a gzip file with the same first bytes but shorter than the checkpoint is a new source")
    func shorterGzipIsNew() throws {
        let night = try NightlyFolder()
        try night.write("app.log", Self.lines(1...2000))
        try night.batch()
        try night.writeGzip("snapshot.log.gz", Self.lines(1...1200))
        let second = try night.batch()
        #expect(second.filesResumed == 0)
        #expect(second.logs == 1200)
        let stored = try night.logs()
        #expect(stored.count(where: { $0.hasPrefix("app.log:") }) == 2000, "the source it resembled is untouched")
        #expect(stored.count(where: { $0.hasPrefix("snapshot.log.gz:") }) == 1200)
    }

    // MARK: - Span files

    static func otlpLine(trace: String, span: String) -> String {
        #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},"#
            + #""scopeSpans":[{"spans":[{"traceId":"\#(trace)","spanId":"\#(span)","name":"GET /","kind":2,"#
            + #""startTimeUnixNano":"1795404170567223104","endTimeUnixNano":"1795404170567597831","status":{}}]}]}]}"#
            + "\n"
    }

    @Test("an OTLP JSON-lines file that grew is read on from its checkpoint")
    func otlpLinesResume() throws {
        let night = try NightlyFolder()
        let trace = "6b03b18a00000000e717453c936dd421"
        try night.write(
            "traces.jsonl",
            Self.otlpLine(trace: trace, span: "500d9c64bbee3b13")
                + Self.otlpLine(trace: trace, span: "500d9c64bbee3b14"))
        let first = try night.batch()
        #expect(first.spans == 2)
        try night.append("traces.jsonl", Self.otlpLine(trace: trace, span: "500d9c64bbee3b15"))
        let second = try night.batch()
        #expect(second.filesResumed == 1)
        #expect(second.spans == 1)
        #expect(try night.store.counts().spans == 3)
    }

    @Test("a Jaeger document with bytes appended is read again whole, not from its checkpoint")
    func wholeDocumentReadAgain() throws {
        let night = try NightlyFolder()
        let document = """
            {"data":[{"traceID":"6b03b18a00000000e717453c936dd421","spans":[\
            {"traceID":"6b03b18a00000000e717453c936dd421",\
            "spanID":"500d9c64bbee3b13","operationName":"GET /","references":[],"startTime":1795404170567223,\
            "duration":100,"tags":[],"logs":[],"processID":"p1"}],"processes":{"p1":{"serviceName":"api","tags":[]}}}]}
            """
        try night.write("jaeger.json", document)
        let first = try night.batch()
        #expect(first.spans == 1)
        try night.append("jaeger.json", "\n\n")
        let second = try night.batch()
        #expect(second.filesResumed == 0)
        #expect(second.spans == 1, "read whole again")
        #expect(try night.store.counts().spans == 1, "and stored once")
    }
}
