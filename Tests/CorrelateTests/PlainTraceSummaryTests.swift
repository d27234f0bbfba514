import Correlate
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct PlainTraceSummaryTests {
    static let trace = TraceID(high: 1, low: 2)

    static func log(_ time: Int64?, _ service: String, _ severity: LogSeverity = .info, index: Int) -> LogRecord {
        LogRecord(
            time: time, severity: severity, message: "m\(index)", service: service, trace: .full(trace),
            origin: InputLocation(source: "t.log", line: index + 1))
    }

    @Test("the quick summary of a logs-only trace equals the full assembly's", arguments: 0..<200)
    func equalsFullAssembly(_ seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15)
        // Every fourth trace names up to 40 services (more than the quick path keeps in a list), two of them
        // the same name in two Unicode spellings.
        let many = seed % 4 == 0
        let services =
            ["a", "b", "", "payment-service-with-a-long-name", "caf\u{E9}", "cafe\u{301}"]
            + (many ? (0..<34).map { "service-\($0)" } : [])
        let count = Int.random(in: 1...(many ? 150 : 12), using: &generator)
        let logs = (0..<count).map { index in
            Self.log(
                Int64.random(in: 0...5, using: &generator) * 1000, services.randomElement(using: &generator)!,
                [.debug, .info, .warn].randomElement(using: &generator)!, index: index)
        }
        let outlines = logs.map { LogOutline(time: $0.time, severity: $0.severity, service: $0.service) }
        let quick = TraceAssembler.plainSummary(traceID: Self.trace, logs: outlines)
        let full = TraceAssembler.assemble(traceID: Self.trace, spans: [], logs: logs).summary
        #expect(quick == full)
    }

    @Test("traces with an error log or an untimed log take the full path")
    func declines() {
        let error = [Self.log(1, "a", index: 0), Self.log(2, "a", .error, index: 1)]
        let untimed = [Self.log(1, "a", index: 0), Self.log(nil, "a", index: 1)]
        for logs in [error, untimed] {
            let outlines = logs.map { LogOutline(time: $0.time, severity: $0.severity, service: $0.service) }
            #expect(TraceAssembler.plainSummary(traceID: Self.trace, logs: outlines) == nil)
        }
        #expect(TraceAssembler.plainSummary(traceID: Self.trace, logs: []) == nil)
    }
}
