import Foundation
@testable import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The grouping stage of issue #16's write path (docs/grouped-store.md): records spilled and read back unchanged,
/// and every trace's records handed out together, in the order added, with bounded memory.
@Suite struct TraceGroupSorterTests {
    @Test("a spilled record reads back as it was: spans with events and links, logs, rejects, every value kind")
    func codecRoundTrip() throws {
        let records = Self.varied()
        var buffer: [UInt8] = []
        for record in records { RecordSpillCodec.encode(record, into: &buffer) }
        var decoded: [SourcedRecord] = []
        try buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count { decoded.append(try RecordSpillCodec.decode(bytes, at: &offset)) }
        }
        #expect(decoded.map { "\($0)" } == records.map { "\($0)" })
        // Cut short, it is damage, not a crash or a wrong record.
        let cut = Array(buffer.prefix(buffer.count - 3))
        #expect(throws: RecordSpillCodec.Damaged.self) {
            try cut.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count { _ = try RecordSpillCodec.decode(bytes, at: &offset) }
            }
        }
    }

    @Test("groups come out in key order, each trace's records together and in the order added", arguments: [1 << 30, 8 << 10])
    func grouping(runBytes: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sorter = TraceGroupSorter(directory: folder.path, runBytes: runBytes)
        var random = SplitMix64(seed: 7)
        var added: [TraceGroupKey: [Int]] = [:]
        for line in 1...6_000 {
            let number = random.next() % 400
            let record: Record =
                if number < 20 {
                    .log(LogRecord(
                        time: 1, message: "dd \(line)", trace: .lower64(number + 1),
                        origin: InputLocation(source: "dd.log", line: line)))
                } else if random.next() % 4 == 0 {
                    .span(SpanRecord(
                        traceID: TraceID(high: number, low: number % 37 + 1), spanID: SpanID(UInt64(line)),
                        service: "api", name: "op \(line)", startTime: 1, endTime: 2,
                        origin: InputLocation(source: "spans.json", line: line)))
                } else {
                    .log(LogRecord(
                        time: Int64(line), message: "line \(line)",
                        trace: .full(TraceID(high: number, low: number % 37 + 1)),
                        origin: InputLocation(source: "app.log", line: line)))
                }
            let key = try #require(TraceGroupKey(of: record))
            try sorter.add(SourcedRecord(sourceID: 1, record: record), key: key)
            added[key, default: []].append(line)
        }
        if runBytes < 1 << 20 {
            #expect(sorter.runs.count > 10, "a small run size spills many runs")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "the spill file is unlinked")
        } else {
            #expect(sorter.runs.isEmpty)
        }
        var seen: [TraceGroupKey] = []
        var handedOut: [TraceGroupKey: [Int]] = [:]
        try sorter.finish { key, records in
            seen.append(key)
            for record in records {
                #expect(TraceGroupKey(of: record.record) == key)
                switch record.record {
                case .log(let log): handedOut[key, default: []].append(log.origin.line)
                case .span(let span): handedOut[key, default: []].append(span.origin.line)
                case .reject: Issue.record("no rejects were added")
                }
            }
        }
        #expect(seen == seen.sorted() && Set(seen).count == seen.count, "each trace once, in key order")
        let wrong = added.keys.filter { handedOut[$0] != added[$0] }
        #expect(handedOut.count == added.count)
        #expect(wrong.isEmpty, "every record once, in the order added; \(wrong.count) traces differ, e.g. \(wrong.first.map { "\($0): \(handedOut[$0] ?? []) for \(added[$0] ?? [])" } ?? "")")
    }

    @Test("a trace larger than maxGroupRecords comes in consecutive parts")
    func largeTrace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sorter = TraceGroupSorter(directory: folder.path, runBytes: 300, maxGroupRecords: 4)
        let id = TraceID(high: 9, low: 9)
        for line in 1...10 {
            let log = LogRecord(time: 1, message: "m", trace: .full(id), origin: InputLocation(source: "a", line: line))
            try sorter.add(SourcedRecord(sourceID: 1, record: .log(log)), key: TraceGroupKey(id))
        }
        var sizes: [Int] = []
        try sorter.finish { key, records in
            #expect(key == TraceGroupKey(id))
            sizes.append(records.count)
        }
        #expect(sizes == [4, 4, 2])
    }

    static func varied() -> [SourcedRecord] {
        let id = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
        let attributes: [Attribute] = [
            Attribute("s", .string("café ☕")), Attribute("t", .bool(true)), Attribute("f", .bool(false)),
            Attribute("i", .int(-42)), Attribute("d", .double(-0.5)), Attribute("b", .bytes([0, 255, 7])),
            Attribute("a", .array([.int(1), .string("x"), .array([])])),
            Attribute("k", .keyValueList([Attribute("inner", .null)])), Attribute("n", .null),
        ]
        let span = SpanRecord(
            traceID: id, spanID: SpanID(0x00f0_67aa_0ba9_02b7), parentSpanID: SpanID(1), service: "checkout",
            name: "POST /pay", kind: .server, startTime: 1_700_000_000_000_000_000, endTime: 1_700_000_000_500_000_000,
            status: .error, statusMessage: "boom", attributes: attributes, resource: [Attribute("host", .string("h1"))],
            scope: "io.opentelemetry", events: [SpanEvent(time: 5, name: "exception", attributes: attributes)],
            links: [SpanLink(traceID: id, spanID: SpanID(3), kind: "follows", attributes: attributes)],
            flags: 0x301, isSharedServerHalf: true,
            origin: InputLocation(source: "/data/spans.json", line: 3, byteOffset: 1 << 40, ordinal: 2))
        let bare = SpanRecord(
            traceID: id, spanID: SpanID(2), service: "", name: "", startTime: -1, endTime: 0,
            origin: InputLocation(source: ""))
        let log = LogRecord(
            time: nil, severity: .warn, severityText: "WARNING", message: "line\nwith\u{0}nul", service: "api",
            serviceFromFileName: true, trace: .lower64(0xdead_beef), spanID: SpanID(.max), sampled: false,
            attributes: attributes, origin: InputLocation(source: "app.log", line: 9, byteOffset: 400, ordinal: 1))
        let plain = LogRecord(time: 17, message: "", origin: InputLocation(source: "x"))
        let full = LogRecord(
            time: .min, message: "m", trace: .full(id), sampled: true, origin: InputLocation(source: "y"))
        let reject = RejectedRecord(
            origin: InputLocation(source: "bad.log", line: 2), reason: "unterminated string", raw: "{\"a")
        return [
            SourcedRecord(sourceID: 1, record: .span(span)), SourcedRecord(sourceID: -5, record: .span(bare)),
            SourcedRecord(sourceID: .max, record: .log(log)), SourcedRecord(sourceID: 0, record: .log(plain)),
            SourcedRecord(sourceID: 3, record: .log(full)), SourcedRecord(sourceID: 2, record: .reject(reject)),
        ]
    }
}
