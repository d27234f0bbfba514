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

    @Test(
        "rows come out grouped by trace, in key order, each trace's in the order added; the rest stay in order",
        arguments: [1 << 30, 8 << 10])
    func grouping(runBytes: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Small runs merge with a small budget, so the buffers' bound shows (4 KiB a run, not the whole run).
        let sorter = TraceGroupSorter(directory: folder.path, runBytes: runBytes, mergeBudget: 64 << 10)
        var random = SplitMix64(seed: 7)
        var added: [TraceGroupKey: [String]] = [:]
        var outside: [String] = []
        var rest = RowBatch()
        var records: [SourcedRecord] = []
        var longLines = 0
        for line in 1...6_000 {
            let number = random.next() % 400
            let trace = TraceID(high: number, low: number % 37 + 1)
            let record: Record =
                if number < 20 {
                    .log(LogRecord(
                        time: 1, message: "dd \(line)", trace: .lower64(number + 1),
                        origin: InputLocation(source: "dd.log", line: line)))
                } else if number < 40 {
                    .log(LogRecord(
                        time: 1, message: "plain \(line)", trace: number < 30 ? nil : .full(TraceID(high: 0, low: 0)),
                        attributes: [Attribute("n", .int(Int64(line)))], origin: InputLocation(source: "a.log", line: line)))
                } else if number < 45 {
                    .reject(RejectedRecord(origin: InputLocation(source: "a.log", line: line), reason: "bad", raw: "r \(line)"))
                } else if random.next() % 4 == 0 {
                    .span(SpanRecord(
                        traceID: trace, spanID: SpanID(UInt64(line)), service: "api", name: "op \(line)", startTime: 1,
                        endTime: 2, origin: InputLocation(source: "spans.json", line: line)))
                } else {
                    // Every 1,000th line is longer than a run's buffer: read whole, then the buffer shrinks back.
                    .log(LogRecord(
                        time: Int64(line), message: "line \(line)" + (line % 1_000 == 0 ? String(repeating: "x", count: 20_000) : ""),
                        service: "svc \(number)", trace: .full(trace),
                        attributes: [Attribute("k", .string("v \(line)"))], origin: InputLocation(source: "app.log", line: line)))
                }
            if case .log(let log) = record, log.message.utf8.count > 10_000 { longLines += 1 }
            if let key = TraceGroupKey(of: record) {
                added[key, default: []].append(Self.label(record))
            } else {
                outside.append(Self.label(record))
            }
            records.append(SourcedRecord(sourceID: 1, record: record))
            if records.count == 500 {
                try sorter.add(RowBatch(records), rest: &rest)
                records = []
            }
        }
        #expect(sorter.count == added.values.reduce(0) { $0 + $1.count })
        if runBytes < 1 << 20 {
            #expect(sorter.runs.count > 10, "a small run size spills many runs")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "the spill file is unlinked")
        } else {
            #expect(sorter.runs.isEmpty)
        }
        let sortedRuns = sorter.runs.count
        #expect(Self.labels(rest).map(\.label) == outside, "rows outside any trace are kept out, in order")
        var handedOut: [TraceGroupKey: [String]] = [:]
        var keys: [TraceGroupKey] = []
        var batches: [(count: Int, first: TraceGroupKey?, last: TraceGroupKey?)] = []
        try sorter.finish(batchEntries: 256) { batch in
            let labels = Self.labels(batch)
            batches.append((batch.count, labels.first?.key, labels.last?.key))
            for (key, label) in labels {
                let key = try #require(key, "only rows of a trace are grouped")
                if keys.last != key { keys.append(key) }
                handedOut[key, default: []].append(label)
            }
        }
        #expect(keys == keys.sorted() && Set(keys).count == keys.count, "each trace once, in key order")
        // Batches end at the first trace boundary after 256 entries (no trace here is longer than 4 × 256).
        #expect(batches.dropLast().allSatisfy { $0.count >= 256 } && batches.allSatisfy { $0.count <= 1_024 })
        #expect(zip(batches, batches.dropFirst()).allSatisfy { $0.last != $1.first }, "no trace is cut")
        let wrong = added.keys.filter { handedOut[$0] != added[$0] }
        #expect(handedOut.count == added.count)
        #expect(wrong.isEmpty, "every row once, as it was, in the order added; \(wrong.count) traces differ, e.g. \(wrong.first.map { "\($0): \(handedOut[$0] ?? []) for \(added[$0] ?? [])" } ?? "")")
        #expect(sorter.count == 0)
        if runBytes < 1 << 20 {
            // Each run's buffer holds 4 KiB (its part of the budget, at least the smallest), or one long record
            // until it is read: never the whole run.
            #expect(longLines > 0)
            let bound = Int(Double(sortedRuns * RunMerge.smallestBuffer) * 1.1) + longLines * 20_100
            #expect(sorter.lastMergePeakBytes <= bound, "merge buffers \(sorter.lastMergePeakBytes) bytes for \(sortedRuns) runs")
        }
    }

    @Test("a trace longer than 4 × batchEntries is cut, and only whole plain traces come with a summary")
    func longTrace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sorter = TraceGroupSorter(directory: folder.path, runBytes: 300)
        let long = TraceID(high: 9, low: 9), short = TraceID(high: 9, low: 10)
        var records: [SourcedRecord] = []
        for line in 1...10 {
            records.append(SourcedRecord(sourceID: 1, record: .log(LogRecord(
                time: Int64(line), message: "m", service: "a", trace: .full(long),
                origin: InputLocation(source: "a", line: line)))))
        }
        records.append(SourcedRecord(sourceID: 1, record: .log(LogRecord(
            time: 5, message: "m", service: "b", trace: .full(short), origin: InputLocation(source: "a", line: 11)))))
        var rest = RowBatch()
        try sorter.add(RowBatch(records), rest: &rest)
        var batches: [(count: Int, summarised: [TraceID])] = []
        try sorter.finish(batchEntries: 2) { batch in batches.append((batch.count, Array(batch.summaries.keys))) }
        #expect(batches.map(\.count) == [8, 2, 1])
        #expect(batches.map(\.summarised) == [[], [], [short]], "the cut trace is left to the summary pass")
    }

    /// What a test compares of a record: its kind, text and where it came from.
    static func label(_ record: Record) -> String {
        switch record {
        case .log(let log):
            "log \(log.origin.line) \(log.message) \(log.service) \(attributeJSON(log.attributes))"
        case .span(let span): "span \(span.origin.line) \(span.name)"
        case .reject(let reject): "reject \(reject.origin.line) \(reject.raw)"
        }
    }

    /// The stored JSON of the attributes these tests use (a string or an integer each); "-" for none.
    static func attributeJSON(_ attributes: [Attribute]) -> String {
        guard !attributes.isEmpty else { return "-" }
        let members = attributes.map { attribute in
            switch attribute.value {
            case .string(let text): "\"\(attribute.key)\":\"\(text)\""
            default: "\"\(attribute.key)\":\(attribute.value.text)"
            }
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// The trace key and ``label(_:)`` of every entry of `batch`.
    static func labels(_ batch: RowBatch) -> [(key: TraceGroupKey?, label: String)] {
        batch.entries.map { entry in
            switch entry {
            case .log(let row):
                (TraceGroupKey(row.trace),
                 "log \(row.line) \(batch.string(row.message)) \(batch.string(row.service)) \(row.attributes.map(batch.string) ?? "-")")
            case .record(let sourced): (TraceGroupKey(of: sourced.record), label(sourced.record))
            }
        }
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
