import Normalize
import Testing
import TraceJoinCore

@Suite struct TimeAndLevelShapeTests {
    static let base = LogDecoding.base

    static let jsonTimeCases: [(String, Int64)] = [
            (#""time":1795428000"#, base),
            (#""time":"1795428000""#, base),
            (#""time":1795428000123"#, base + 123_000_000),
            (#""time":"1795428000123456""#, base + 123_456_000),
            (#""timeUnixNano":"1795428000123456789""#, base + 123_456_789),
            (#""ts":1795428000.25"#, base + 250_000_000),
            (#""ts":1.795428e9"#, base),
            (#""@timestamp":"2026-11-23T10:00:00Z""#, base),
            (#""timestamp":"2026-11-23T10:00:00.1+00:00""#, base + 100_000_000),
            (#""time":"2026-11-23T18:30:00.000000001+08:30""#, base + 1),
            (#""time":"2026-11-23T02:00:00-0800""#, base),
            (#""time":"2026-11-23T10:00:00.123456789123Z""#, base + 123_456_789),
            (#""asctime":"2026-11-23 10:00:00,123""#, base + 123_000_000),
            (#""date":"2026-11-23 10:00:00.5""#, base + 500_000_000),
            (#""t":"2026-11-23 10:00:00 UTC""#, base),
            (#""eventTime":"2026-11-23t10:00:00z""#, base),
            (#""time":"2026-11-23 11:00:00 +0100""#, base),
            (#""time":"2026-11-23 11:00:00.5 +0100 CET""#, base + 500_000_000),
            (#""time":"2026-11-23 11:00:00.800 +01:00""#, base + 800_000_000),
        ]

    static let textTimeCases: [(String, Int64)] = [
            ("2026-11-23T10:00:00.123Z msg", base + 123_000_000),
            ("2026-11-23 10:00:00,123 msg", base + 123_000_000),
            ("2026/11/23 10:00:00 msg", base),
            ("[2026-11-23 12:00:00+02:00] msg", base),
            ("23/Nov/2026:11:00:00 +0100 msg", base),
            ("I, [2026-11-23T10:00:00.000001 #1234]  INFO -- : msg", base + 1000),
            ("2026-11-23 05:00:00 -0500 msg", base),
            ("2026-11-23 05:00:00.000 -0500 EST msg", base),
        ]

    static let levelCases: [(String, LogSeverity)] = [
            (#""level":10"#, .trace), (#""level":20"#, .debug), (#""level":30"#, .info),
            (#""level":40"#, .warn), (#""level":50"#, .error), (#""level":60"#, .fatal), (#""level":3"#, .error),
            (#""level":"WARN""#, .warn), (#""level":"WARNING""#, .warn), (#""level":"warning""#, .warn),
            (#""level":"Err""#, .error), (#""level":"CRITICAL""#, .fatal), (#""level":"fatal""#, .fatal),
            (#""level":"panic""#, .fatal), (#""level":"dpanic""#, .fatal), (#""level":"trace""#, .trace),
            (#""level":"debug""#, .debug), (#""level":"info""#, .info), (#""level":"notice""#, .info),
            (#""level":"Information""#, .info), (#""levelname":"ERROR""#, .error), (#""log.level":"warn""#, .warn),
            (#""log":{"level":"error"}"#, .error), (#""severity":"CRITICAL""#, .fatal), (#""status":"warn""#, .warn),
            (#""lvl":"eror""#, .error), (#""level":"50""#, .error), (#""severity_number":17"#, .error),
        (#""severityNumber":"10""#, .info), (#""@l":"Verbose""#, .trace), (#""level":"custom""#, .unspecified),
        ]

    @Test(
        "every time shape of a JSON time field",
        arguments: Self.jsonTimeCases)
    func jsonTimes(_ field: String, _ expected: Int64) throws {
        let log = try #require(LogDecoding.log("{\"msg\":\"m\",\(field)}"))
        #expect(log.time == expected)
        #expect(log.attributes.isEmpty)
    }

    @Test(
        "every time shape at the start of a text line",
        arguments: Self.textTimeCases)
    func textTimes(_ line: String, _ expected: Int64) throws {
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == expected)
        #expect(log.message == "msg")
    }

    @Test("a level after a spaced offset stays the line's level, not a zone name")
    func levelAfterSpacedOffset() throws {
        let log = try #require(LogDecoding.log("2026-11-23 11:00:00 +0100 ERROR payment failed"))
        #expect(log.time == Self.base)
        #expect(log.severity == .error)
        #expect(log.message == "payment failed")
    }

    @Test("syslog and glog stamps have no year: the configured year is used")
    func yearlessStamps() throws {
        var configuration = LogDecoderConfiguration()
        configuration.yearForYearlessTimes = 2026
        let text = "Nov 23 10:00:00 host sshd[42]: accepted\nI1123 10:00:01.000002 1 main.go:5] started\nNov  3 10:00:00 host x: y\n"
        let logs = LogDecoding.records(text, configuration: configuration).compactMap {
            if case .log(let log) = $0 { log } else { nil }
        }
        #expect(logs.map(\.time) == [Self.base, Self.base + 1_000_002_000, LogDecoding.nanos(2026, 11, 3, 10, 0, 0)])
        #expect(logs[0].message == "host sshd[42]: accepted")
        #expect(logs[1].severity == .info)
    }

    @Test("things that look like times but are not stay in the message")
    func notTimes() throws {
        for line in ["20261123 build", "12:30 lunch", "2026-13-01 10:00:00 bad month", "10:00:00abc"] {
            let log = try #require(LogDecoding.log(line))
            #expect(log.time == nil, "\(line)")
            #expect(log.message == line)
        }
    }

    @Test(
        "every level shape in JSON",
        arguments: Self.levelCases)
    func jsonLevels(_ field: String, _ severity: LogSeverity) throws {
        let log = try #require(LogDecoding.log("{\"msg\":\"m\",\(field)}"))
        #expect(log.severity == severity)
        #expect(log.attributes.isEmpty)
        #expect(!log.severityText.isEmpty)
    }

    @Test("Datadog status that is no level name stays an attribute")
    func statusNotALevel() throws {
        let log = try #require(LogDecoding.log(#"{"msg":"m","status":"ok"}"#))
        #expect(log.severity == .unspecified)
        #expect(log.attributes[key: "status"] == .string("ok"))
    }
}
