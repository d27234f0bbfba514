import Foundation
import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The real TrainTicket minute from the Nezha dataset (../shared/samples/nezha-trainticket): one
/// trace table split by service over OTLP, Jaeger and Zipkin files, each span in exactly one of them.
@Suite struct NezhaSpanExportTests {
    struct TruthTrace {
        var spanIDs: Set<String>
        var spanCount: Int
        var services: Set<String>
    }

    static let root = FixturePaths.shared("samples/nezha-trainticket/")

    static func truth() throws -> [String: TruthTrace] {
        let document = try JSONParser.parse(try SpanFixtures.bytes(root + "truth.json"))
        var traces: [String: TruthTrace] = [:]
        for trace in document["traces"]?.array ?? [] {
            let id = try #require(trace["trace_id"]?.string)
            traces[id] = TruthTrace(
                spanIDs: Set((trace["span_ids"]?.array ?? []).compactMap(\.string)),
                spanCount: Int(trace["spans"]?.int64 ?? -1),
                services: Set((trace["services"]?.array ?? []).compactMap(\.string)))
        }
        return traces
    }

    /// Every file of one format folder, sniffed from its first 64 KiB as the pipeline will, then decoded.
    static func decode(folder: String) throws -> (formats: Set<InputFormat>, records: [Record]) {
        let directory = root + "spans/" + folder
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        var formats: Set<InputFormat> = []
        var records: [Record] = []
        for file in files {
            let bytes = try SpanFixtures.bytes(directory + "/" + file)
            let prefix = Array(bytes.prefix(SpanFormatSniffer.prefixLimit))
            let format = InputFormat.sniff(prefix: prefix, isWholeInput: prefix.count == bytes.count)
            formats.insert(format)
            records += SpanFixtures.decode(bytes, format: format, source: file)
        }
        return (formats, records)
    }

    @Test(
        "each format folder is sniffed as its format and decodes without a reject",
        arguments: [
            ("otlp", [InputFormat.otlpJSONLines], 2_156),
            // Files within the 64 KiB prefix are classified at once, larger one-line documents once read.
            ("jaeger", [.jsonDocument(.jaeger), .jsonDocument(nil)], 907),
            ("zipkin", [.jsonDocument(.zipkin), .jsonDocument(nil)], 1_827),
        ])
    func folder(name: String, allowed: [InputFormat], spanCount: Int) throws {
        let (formats, records) = try Self.decode(folder: name)
        #expect(formats.isSubset(of: Set(allowed)))
        #expect(records.rejectedRecords.isEmpty)
        #expect(records.spanRecords.count == spanCount)
    }

    @Test("the three formats together give each trace exactly the spans and services of truth.json")
    func matchesTruth() throws {
        let truth = try Self.truth()
        var spans: [SpanRecord] = []
        for folder in ["otlp", "jaeger", "zipkin"] { spans += try Self.decode(folder: folder).records.spanRecords }

        #expect(spans.count == 4_890)
        #expect(truth.values.map(\.spanCount).reduce(0, +) == 4_890)
        let byTrace = Dictionary(grouping: spans, by: { $0.traceID.hex })
        #expect(Set(byTrace.keys) == Set(truth.keys))
        for (traceID, expected) in truth {
            let decoded = byTrace[traceID] ?? []
            #expect(decoded.count == expected.spanCount, "span count of \(traceID)")
            #expect(Set(decoded.map(\.spanID.hex)) == expected.spanIDs, "span IDs of \(traceID)")
            #expect(Set(decoded.map(\.service)) == expected.services, "services of \(traceID)")
        }
        // Parents resolve across formats: one root per trace, no orphan.
        let known = Set(spans.map { "\($0.traceID)/\($0.spanID)" })
        let roots = spans.filter { $0.parentSpanID == nil }
        let orphans = spans.filter { span in span.parentSpanID.map { !known.contains("\(span.traceID)/\($0)") } ?? false
        }
        #expect(roots.count == truth.count)
        #expect(orphans.isEmpty)
    }
}
