import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Bad data never crashes the decoder: mutated real lines and random bytes all decode to records
/// or rejects, and every non-blank line is accounted for.
@Suite struct LogDecoderRobustnessTests {
    static let seeds: [String] = [
        #"{"log":"16:49:15.665 INFO  a.c.UserController#43 TraceID: 81b8fb777a61c17281a0e8fbe421b759 SpanID: ac9673a90620b553 Login\n","stream":"stdout","time":"2023-01-29T08:49:15.666347553Z"}"#,
        #"{"level":30,"time":1795428000123,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","msg":"a \"q\" \u00e9","dd":{"trace_id":"123","span_id":"4"},"instant":{"epochSecond":1}}"#,
        "2026-11-23 10:00:00,123 ERROR [w] [a.py:1] [trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 resource.service.name=x trace_sampled=True] - m",
        "2026-11-23T10:00:00.123456789Z stderr P partial traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        #"time="2026-11-23T18:00:00+08:00" level=warning msg="cache \"miss\"" dd.trace_id=42"#,
        "\tat com.example.Foo.bar(Foo.java:10)", "Nov 23 10:00:00 host app[1]: x", "I1123 10:00:00.000001 1 a.go:1] y",
        "E, [2026-11-23T10:00:00.123456 #1]  ERROR -- : z", "[2026-11-23 10:00:00,1: ERROR/W] t",
    ]


    @Test("mutated real lines and random bytes never crash, and nothing is lost")
    func mutations() {
        var generator = SplitMix64(seed: 42)
        var text: [UInt8] = []
        var lines = 0
        let interesting: [UInt8] = Array(#"{}[]":,\ntT0123456789abcdefZ+-.:= \#t"#.utf8) + [0xFF, 0xC3, 0x0D, 0xEF, 0xBB, 0xBF]
        for _ in 0..<4000 {
            var line = Array(Self.seeds[generator.below(Self.seeds.count)].utf8)
            for _ in 0..<(1 + generator.below(4)) {
                guard !line.isEmpty else { break }
                let position = generator.below(line.count)
                switch generator.below(4) {
                case 0: line[position] = interesting[generator.below(interesting.count)]
                case 1: line.remove(at: position)
                case 2: line.insert(interesting[generator.below(interesting.count)], at: position)
                default: line = Array(line[..<position])
                }
            }
            line.removeAll { $0 == 0x0A }
            text += line
            text.append(0x0A)
            lines += 1
        }
        let records = LogDecoding.records(bytes: text, configuration: LogDecoderConfiguration(maxRecordBytes: 2048))
        #expect(!records.isEmpty)
        #expect(records.count <= lines)
        for case .log(let log) in records {
            #expect(log.message.utf8.count <= 2048)
            #expect(log.origin.line >= 1 && log.origin.line <= lines)
        }
    }

    @Test("lines of random bytes never crash")
    func randomBytes() {
        var generator = SplitMix64(seed: 7)
        var text: [UInt8] = []
        for _ in 0..<2000 {
            for _ in 0..<generator.below(300) { text.append(UInt8(truncatingIfNeeded: generator.next())) }
            text.append(0x0A)
        }
        _ = LogDecoding.records(bytes: text)
    }

    @Test(
        "times beyond what nanoseconds in Int64 hold are not times, and do not trap",
        arguments: [
            #"{"msg":"m","time":"9999-12-31T23:59:59Z"}"#, #"{"msg":"m","ts":9999999999999999999}"#,
            #"{"msg":"m","instant":{"epochSecond":999999999999999999,"nanoOfSecond":1}}"#,
            #"{"msg":"m","time":"-9223372036854775808"}"#, "9999-12-31 23:59:59 m", "31/Dec/9999:23:59:59 +0000 m",
        ])
    func outOfRangeTimes(_ line: String) throws {
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == nil)
    }
}
