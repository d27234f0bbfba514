import Foundation
import Normalize
import Testing
import TraceJoinCore

@Suite struct ContainerWrapperTests {
    @Test("Docker json-file: inner JSON is parsed; wrapper stream becomes log.iostream")
    func dockerInnerJSON() throws {
        let line = #"{"log":"{\"level\":\"error\",\"time\":\"2026-11-23T10:00:00.5Z\",\"msg\":\"boom\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}\n","stream":"stderr","time":"2026-11-23T10:00:00.600000000Z"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.message == "boom")
        #expect(log.severity == .error)
        #expect(log.time == LogDecoding.base + 500_000_000)  // the inner time has a zone: it wins
        #expect(log.attributes[key: "log.iostream"] == .string("stderr"))
        #expect(log.trace == LogDecoding.trace("4bf92f3577b34da6a3ce929d0e0e4736"))
    }

    @Test("time of day in UTC+8 inside Docker: the wrapper's UTC time is used")
    func timeOfDayTakesWrapperTime() throws {
        let line = #"{"log":"16:49:15.665 INFO  a.c.UserController#43 TraceID: 81b8fb777a61c17281a0e8fbe421b759 SpanID: ac9673a90620b553 Login request\n","stream":"stdout","time":"2023-01-29T08:49:15.666347553Z"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.nanos(2023, 1, 29, 8, 49, 15, nanos: 666_347_553))
        #expect(log.trace == LogDecoding.trace("81b8fb777a61c17281a0e8fbe421b759"))
        #expect(log.spanID == LogDecoding.span("ac9673a90620b553"))
        #expect(log.severity == .info)
    }

    @Test("a date without zone inside a wrapper also yields to the wrapper's time; outside it gets the configured zone")
    func wallClockTime() throws {
        let wrapped = #"{"log":"2026-11-23 18:00:00,000 INFO x\n","stream":"stdout","time":"2026-11-23T10:00:00.000000001Z"}"#
        #expect(LogDecoding.log(wrapped)?.time == LogDecoding.base + 1)
        #expect(LogDecoding.log("2026-11-23 18:00:00,000 INFO x")?.time == LogDecoding.base + 8 * 3_600_000_000_000)
        var configuration = LogDecoderConfiguration()
        configuration.timeZone = .fixed(offsetSeconds: 8 * 3600)
        let records = LogDecoding.records("2026-11-23 18:00:00,000 INFO x", configuration: configuration)
        guard case .log(let log)? = records.first else { Issue.record("no record"); return }
        #expect(log.time == LogDecoding.base)
    }

    @Test("Docker 16 KiB split: pieces without \\n are joined with the next piece of the same stream")
    func dockerPartialJoin() throws {
        let first = String(repeating: "a", count: 16384)
        let text = """
            {"log":"2026-11-23 10:00:00 INFO \(first)","stream":"stdout","time":"2026-11-23T10:00:00Z"}
            {"log":"2026-11-23 10:00:05 WARN other stream\\n","stream":"stderr","time":"2026-11-23T10:00:05Z"}
            {"log":"bbb trace_id=4bf92f3577b34da6a3ce929d0e0e4736 end\\n","stream":"stdout","time":"2026-11-23T10:00:01Z"}
            {"log":"2026-11-23 10:00:02 INFO next\\n","stream":"stdout","time":"2026-11-23T10:00:02Z"}
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.count == 3)
        let joined = try #require(logs.first { $0.origin.line == 1 })
        #expect(joined.message == first + "bbb trace_id=4bf92f3577b34da6a3ce929d0e0e4736 end")
        #expect(joined.trace == LogDecoding.trace("4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(joined.time == LogDecoding.base)  // a zone-less inner time yields to the wrapper's
        #expect(logs.contains { $0.message == "other stream" && $0.attributes[key: "log.iostream"] == .string("stderr") })
        #expect(logs.contains { $0.message == "next" && $0.origin.line == 4 })
    }

    @Test("CRI lines: P pieces are joined with the F piece; time and stream come from the wrapper")
    func criPartial() throws {
        let text = """
            2026-11-23T10:00:00.123456789Z stdout P {"level":"info","msg":"hel
            2026-11-23T10:00:00.123456790Z stdout F lo","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}
            2026-11-23T10:00:01Z stderr F plain line on stderr
            2026-11-23T10:00:02.000000000+00:00 stdout F
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.count == 2)
        #expect(logs[0].message == "hello")
        #expect(logs[0].time == LogDecoding.base + 123_456_789)  // no inner time: the first piece's wrapper time
        #expect(logs[0].trace == LogDecoding.trace("4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(logs[1].message == "plain line on stderr")
        #expect(logs[1].time == LogDecoding.base + 1_000_000_000)
        #expect(logs[1].attributes[key: "log.iostream"] == .string("stderr"))
    }

    @Test("continuation works across wrapped lines of the same stream, not across streams")
    func continuationAcrossWrappedLines() throws {
        let text = """
            {"log":"2026-11-23 10:00:00.000 ERROR c.e.Api - request failed\\n","stream":"stderr","time":"2026-11-23T10:00:00Z"}
            {"log":"2026-11-23 10:00:00.001 INFO c.e.Api - unrelated\\n","stream":"stdout","time":"2026-11-23T10:00:00.001Z"}
            {"log":"java.lang.IllegalStateException: boom\\n","stream":"stderr","time":"2026-11-23T10:00:00.002Z"}
            {"log":"\\tat com.example.Api.handle(Api.java:10)\\n","stream":"stderr","time":"2026-11-23T10:00:00.003Z"}
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.count == 2)
        let error = try #require(logs.first { $0.severity == .error })
        #expect(
            error.message
                == "c.e.Api - request failed\njava.lang.IllegalStateException: boom\n\tat com.example.Api.handle(Api.java:10)")
        #expect(error.time == LogDecoding.base)
    }

    @Test("a Docker piece ending in \\r\\n is complete, and the \\r is not part of the message")
    func dockerCRLFPiece() throws {
        let text = #"{"log":"2026-11-23 10:00:00 INFO one\r\n","stream":"stdout","time":"2026-11-23T10:00:00Z"}"# + "\n"
            + #"{"log":"2026-11-23 10:00:01 INFO two\r\n","stream":"stdout","time":"2026-11-23T10:00:01Z"}"#
        let logs = LogDecoding.logs(text)
        #expect(logs.map(\.message) == ["one", "two"])
    }

    @Test("fields a forwarder added beside log/stream/time (fluent-bit's kubernetes) become attributes")
    func forwarderFields() throws {
        let line = #"{"log":"{\"level\":\"info\",\"msg\":\"hi\",\"user\":\"u1\"}\n","stream":"stdout","time":"2026-11-23T10:00:00Z","kubernetes":{"pod_name":"api-7d9f","namespace_name":"shop"}}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.message == "hi")
        #expect(log.attributes.map(\.key) == ["user", "kubernetes", "log.iostream"])
        #expect(log.time == LogDecoding.base)
    }

    @Test("partial pieces beyond maxRecordBytes are cut, and the record is marked truncated")
    func partialLimit() throws {
        var configuration = LogDecoderConfiguration()
        configuration.maxRecordBytes = 1000
        let piece = String(repeating: "y", count: 800)
        let text = [
            #"{"log":"\#(piece)","stream":"stdout","time":"2026-11-23T10:00:00Z"}"#,
            #"{"log":"\#(piece)","stream":"stdout","time":"2026-11-23T10:00:00Z"}"#,
            #"{"log":"tail\n","stream":"stdout","time":"2026-11-23T10:00:00Z"}"#,
        ].joined(separator: "\n")
        let records = LogDecoding.records(text, configuration: configuration)
        #expect(records.count == 1)
        guard case .log(let log)? = records.first else { return }
        #expect(log.message.utf8.count == 1000)
        #expect(log.attributes[key: "tracejoin.truncated"] == .bool(true))
        #expect(log.origin.line == 1)
    }

    @Test("without a wrapper, a bare time of day uses the configured date and zone, or stays unknown")
    func timeOfDayWithConfiguredDate() throws {
        let line = "18:00:00.250 INFO  c.e.A#1 TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: 00f067aa0ba902b7 x"
        #expect(LogDecoding.log(line)?.time == nil)
        var configuration = LogDecoderConfiguration()
        configuration.dateOfTimesOfDay = LogDecoderConfiguration.days(year: 2026, month: 11, day: 23)
        configuration.timeZone = .fixed(offsetSeconds: 8 * 3600)
        let records = LogDecoding.records(line, configuration: configuration)
        guard case .log(let log)? = records.first else {
            Issue.record("no record")
            return
        }
        #expect(log.time == LogDecoding.base + 250_000_000)
    }

    @Test("without a wrapper or a date, bare times of day are placed before the file's modification, in order")
    func timeOfDayFromModificationTime() throws {
        // Written 2026-11-23 between 23:59 and 00:01 the next day; the file was last modified at 00:05.
        let text = """
            23:59:58.500 ERROR [main] c.e.App - failed trace_id=4bf92f3577b34da6a3ce929d0e0e4736
            23:59:58.400 INFO  [pool-1] c.e.App - written a little out of order
            00:00:01.250 INFO  [main] c.e.App - recovered trace_id=4bf92f3577b34da6a3ce929d0e0e4736
            """
        var configuration = LogDecoderConfiguration()
        configuration.timesOfDayNotAfter = LogDecoding.nanos(2026, 11, 24, 0, 5, 0)
        let times = LogDecoding.records(text, configuration: configuration).compactMap { record -> Int64?? in
            if case .log(let log) = record { log.time } else { nil }
        }
        #expect(
            times == [
                LogDecoding.nanos(2026, 11, 23, 23, 59, 58, nanos: 500_000_000),
                LogDecoding.nanos(2026, 11, 23, 23, 59, 58, nanos: 400_000_000),
                LogDecoding.nanos(2026, 11, 24, 0, 0, 1, nanos: 250_000_000),
            ])
    }

    @Test("a bare time of day after a dated line follows it, in the configured zone")
    func timeOfDayAfterDatedLine() throws {
        let text = """
            {"time":"2026-11-23T18:00:00.000+08:00","level":"info","msg":"dated"}
            {"time":"18:00:05.500","level":"info","msg":"time of day only"}
            """
        var configuration = LogDecoderConfiguration()
        configuration.timeZone = .fixed(offsetSeconds: 8 * 3600)
        let logs = LogDecoding.records(text, configuration: configuration).compactMap { record -> LogRecord? in
            if case .log(let log) = record { log } else { nil }
        }
        #expect(logs.map(\.time) == [LogDecoding.base, LogDecoding.base + 5_500_000_000])
    }

    @Test("read as it is written (tail), a bare time of day is its latest occurrence before now, whatever came before")
    func timeOfDayFromClock() throws {
        var configuration = LogDecoderConfiguration()
        configuration.timesOfDayFromClock = true
        let now = LogDecoderConfiguration.wallClockNanos()
        let day: Int64 = 86_400 * 1_000_000_000
        let sinceMidnight = (now % day) - 60 * 1_000_000_000  // a minute ago (yesterday's last minute just after midnight)
        let wrapped = (sinceMidnight + day) % day
        func text(_ nanos: Int64) -> String {
            let seconds = nanos / 1_000_000_000
            return String(format: "%02d:%02d:%02d.000", seconds / 3600, seconds / 60 % 60, seconds % 60)
        }
        let lines = "{\"time\":\"2026-01-01T00:00:00Z\",\"msg\":\"old\"}\n\(text(wrapped)) INFO now-ish\n"
        let times = LogDecoding.records(lines, configuration: configuration).compactMap { record -> Int64?? in
            if case .log(let log) = record { log.time } else { nil }
        }
        let placed = try #require(times.last ?? nil)
        #expect(placed <= now && now - placed < 2 * 60 * 1_000_000_000, "\(placed) vs \(now)")
    }
}
