import Pipeline
import Rules
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The record path batch, tail and serve share: add decoded records, scrub them as a batch, count, take them out.
@Suite struct RecordIntakeTests {
    static func log(_ message: String, time: Int64? = 1_000, offset: Int64 = 0) -> Record {
        .log(LogRecord(time: time, message: message, origin: InputLocation(source: "app.log", byteOffset: offset)))
    }

    static let reject = Record.reject(
        RejectedRecord(origin: InputLocation(source: "app.log"), reason: "no timestamp", raw: "??"))

    static func messages(_ records: [SourcedRecord]) -> [String] {
        records.map { sourced in
            switch sourced.record {
            case .log(let log): log.message
            case .span(let span): span.name
            case .reject(let reject): reject.reason
            }
        }
    }

    @Test("records wait unscrubbed until scrub; scrubbed, they keep their order and drops leave gaps out")
    func scrubsAsABatch() {
        var intake = RecordIntake()
        intake.add(Self.log("keep 1"), sourceID: 7)
        intake.add(Self.log("drop me"), sourceID: 7)
        intake.add(.span(Samples.span(id: 1, name: "span")), sourceID: 8)
        intake.add(Self.reject, sourceID: 7)
        #expect(intake.scrubbed.isEmpty)
        #expect(intake.waitingCount == 4)

        intake.scrub(with: DropMessages(containing: "drop me"))
        #expect(Self.messages(intake.scrubbed) == ["keep 1", "span", "no timestamp"])
        #expect(intake.scrubbed.map(\.sourceID) == [7, 8, 7])
        #expect(intake.counts == RecordCounts(spans: 1, logs: 1, rejects: 1, droppedByRules: 1))
        #expect(intake.firstRejectReason == "no timestamp")
        #expect(intake.scrubCPUSeconds >= 0)
    }

    @Test("taking the scrubbed records leaves those still waiting, which the next scrub counts on top")
    func takeLeavesWaiting() {
        var intake = RecordIntake(capacity: 4)
        intake.add(Self.log("first"), sourceID: 1)
        intake.scrub(with: PassThroughScrubber())
        intake.add(Self.log("second"), sourceID: 1)
        #expect(Self.messages(intake.takeScrubbed()) == ["first"])
        #expect(intake.count == 1)
        #expect(intake.waitingCount == 1)
        intake.scrub(with: PassThroughScrubber())
        #expect(Self.messages(intake.takeScrubbed()) == ["second"])
        #expect(intake.count == 0)
        #expect(intake.counts.logs == 2)
    }

    @Test("tail: a log record without a time takes the time it was read, marked; one with a time is left alone")
    func stampsUntimedLogs() throws {
        var intake = RecordIntake(stampingUntimedLogsWith: { 42 })
        intake.add(Self.log("untimed", time: nil), sourceID: 1)
        intake.add(Self.log("timed", time: 7), sourceID: 1)
        intake.scrub(with: PassThroughScrubber())
        let logs = intake.scrubbed.compactMap { sourced -> LogRecord? in
            if case .log(let log) = sourced.record { log } else { nil }
        }
        try #require(logs.count == 2)
        #expect(logs[0].time == 42)
        #expect(logs[0].attributes.map(\.key) == ["tracejoin.time_observed"])
        #expect(logs[1].time == 7)
        #expect(logs[1].attributes.isEmpty)
    }

    @Test("without a read time, a log record without a time stays without one")
    func leavesUntimedLogsWithoutReadTime() {
        var intake = RecordIntake()
        intake.add(Self.log("untimed", time: nil), sourceID: 1)
        intake.scrub(with: PassThroughScrubber())
        guard case .log(let log) = intake.scrubbed.first?.record else {
            Issue.record("no log record")
            return
        }
        #expect(log.time == nil)
        #expect(log.attributes.isEmpty)
    }

    @Test("serve: received log records move to their source, at a position made of their scrubbed content")
    func keysReceivedLogs() {
        var intake = RecordIntake(receivedLogs: .init(sourceID: 99, path: "received"))
        intake.add(Self.log("same", offset: 1), sourceID: 5)
        intake.add(Self.log("same", offset: 2), sourceID: 5)
        intake.add(Self.log("other", offset: 3), sourceID: 5)
        intake.add(.span(Samples.span(id: 1)), sourceID: 5)
        intake.add(Self.reject, sourceID: 5)
        intake.scrub(with: PassThroughScrubber())
        let records = intake.scrubbed
        #expect(records.map(\.sourceID) == [99, 99, 99, 5, 5])
        let origins = records.prefix(3).compactMap { sourced -> InputLocation? in
            if case .log(let log) = sourced.record { log.origin } else { nil }
        }
        #expect(origins.map(\.source) == ["received", "received", "received"])
        #expect(origins[0].byteOffset == origins[1].byteOffset)
        #expect(origins[0].ordinal == origins[1].ordinal)
        #expect(origins[0].byteOffset != origins[2].byteOffset)
    }

    @Test("split over a helper thread, a batch is scrubbed to the same records, order and counts as on one thread")
    func helperScrubsTheSameAsOneThread() throws {
        let rules = try RuleSet(layers: [RuleSource.builtIn])
        let scrubber = DroppingScrubber(rules: try Scrubber(ruleSet: rules, hashKey: nil), dropping: "drop")
        func filled() -> RecordIntake {
            var intake = RecordIntake()
            for index in 0..<1_001 {
                let record: Record =
                    switch index % 50 {
                    case 49: .reject(RejectedRecord(origin: InputLocation(source: "a.log"), reason: "r\(index)", raw: "?"))
                    case let n where n % 7 == 0: .span(Samples.span(id: UInt64(index + 1), name: "span \(index)"))
                    case let n where n % 5 == 0: Self.log("drop \(index)")
                    default: Self.log("user \(index) wrote from u\(index)@example.com", offset: Int64(index))
                    }
                intake.add(record, sourceID: Int64(index % 3))
            }
            return intake
        }
        var alone = filled()
        alone.scrub(with: scrubber)
        let helper = ScrubHelper(name: "tj-scrub-test")
        defer { helper.stop() }
        var split = filled()
        split.add(Self.log("late"), sourceID: 9)
        split.scrub(with: scrubber, helper: helper)
        #expect(helper.cpuSeconds > 0)
        #expect(split.counts == RecordCounts(
            spans: alone.counts.spans, logs: alone.counts.logs + 1, rejects: alone.counts.rejects,
            droppedByRules: alone.counts.droppedByRules))
        #expect(alone.counts == RecordCounts(spans: 141, logs: 680, rejects: 20, droppedByRules: 160))
        #expect(Self.messages(split.scrubbed) == Self.messages(alone.scrubbed) + ["late"])
        #expect(split.scrubbed.map(\.sourceID) == alone.scrubbed.map(\.sourceID) + [9])
        #expect(split.firstRejectReason == "r49")
        #expect(!Self.messages(split.scrubbed).contains { $0.contains("@example.com") })
        #expect(Self.messages(split.scrubbed).filter { $0.hasPrefix("user ") }.count == 680)

        // The rows the writer binds, made on both threads, hold the same texts in the same order.
        let rows = split.takeRows(helper: helper)
        #expect(rows.count == 2)
        #expect(rows.flatMap(Self.texts) == Self.texts(RowBatch(alone.takeScrubbed())) + ["late"])
        #expect(split.count == 0)
    }

    /// Each entry's message (a log row's), span name or reject reason.
    static func texts(_ batch: RowBatch) -> [String] {
        batch.entries.map { entry in
            switch entry {
            case .log(let row): batch.string(row.message)
            case .record(let sourced): messages([sourced])[0]
            }
        }
    }
}

/// The shipped rules, and a drop of every log whose message contains `dropping`.
private struct DroppingScrubber: RecordScrubber {
    var rules: Scrubber
    var dropping: String
    func scrub(_ record: consuming Record) -> Record? {
        if case .log(let log) = record, log.message.contains(dropping) { return nil }
        return rules.scrub(record)
    }
    var digest: String { rules.digest }
}
