import Foundation
import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The real TrainTicket minute from the Nezha dataset: Docker json-file wrapped Java logs with
/// `TraceID: … SpanID: …` in the text and UTC+8 time-of-day inner stamps (see ../shared/samples).
@Suite struct NezhaSampleTests {
    static let logsFolder = FixturePaths.shared("samples/nezha-trainticket/logs")

    static func decodeFolder() throws -> (records: [Record], lines: Int) {
        let files = try FileManager.default.contentsOfDirectory(atPath: logsFolder).filter { $0.hasSuffix(".log") }.sorted()
        var records: [Record] = []
        var lines = 0
        for file in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: logsFolder + "/" + file)))
            lines += bytes.filter { $0 == 0x0A }.count
            let service = String(file.dropLast(4))
            records += LogDecoding.records(bytes: bytes, source: file, service: service)
        }
        return (records, lines)
    }

    @Test("every line of every service log decodes: no rejects, one record per line, trace and span on each")
    func everyLineDecodes() throws {
        let (records, lines) = try Self.decodeFolder()
        #expect(LogDecoding.rejects(records).isEmpty)
        let logs = records.compactMap { if case .log(let log) = $0 { log } else { nil } }
        #expect(logs.count == lines)
        #expect(logs.allSatisfy { $0.trace != nil && $0.spanID != nil })
        #expect(logs.allSatisfy { $0.attributes[key: "log.iostream"] == .string("stdout") })
        #expect(logs.allSatisfy { $0.serviceFromFileName && $0.service.hasPrefix("ts-") })
        // Docker's UTC time of the recorded minute, never the UTC+8 inner time of day.
        let start = LogDecoding.nanos(2023, 1, 29, 8, 48, 0)
        let end = LogDecoding.nanos(2023, 1, 29, 8, 52, 0)
        #expect(logs.allSatisfy { ($0.time ?? 0) > start && ($0.time ?? 0) < end })
    }

    @Test("the number of records carrying each trace ID equals logCount in truth.json")
    func countsMatchTruth() throws {
        let truthBytes = try Data(contentsOf: URL(fileURLWithPath: FixturePaths.shared("samples/nezha-trainticket/truth.json")))
        let truth = try JSONParser.parse(Array(truthBytes))
        let traces = try #require(truth["traces"]?.array)
        #expect(traces.count == 71)
        var expected: [TraceReference: Int] = [:]
        for trace in traces {
            let id = try #require(trace["trace_id"]?.string.flatMap { TraceID(hex: $0) })
            expected[.full(id)] = try #require(trace["logs"]?.int64).map(Int.init)
        }
        var counted: [TraceReference: Int] = [:]
        for record in try Self.decodeFolder().records {
            if case .log(let log) = record, let trace = log.trace { counted[trace, default: 0] += 1 }
        }
        // truth counts lines whose text carries the trace ID; in this minute no line is a continuation
        // (every one starts with a time of day), so records and lines coincide.
        #expect(counted == expected.filter { $0.value > 0 })
        #expect(counted.values.reduce(0, +) == 2489)
    }
}
