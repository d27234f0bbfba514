import Correlate
import Testing
import TraceJoinCore
import TraceJoinTesting

/// A log whose service has no spans in the trace sits under the span that was open when it was written,
/// so depth and time can name it as the root cause (issue #14).
@Suite struct LogPlacementTests {
    typealias R = TestRecords

    static let checkout = R.span(
        id: 1, service: "checkout", name: "POST /checkout", at: 0, lasting: 12, status: .error, statusMessage: "500")
    static let reserveStock = R.span(
        id: 2, parent: 1, service: "checkout", name: "reserve-stock", at: 2, lasting: 6, status: .error,
        statusMessage: "reservation failed")
    /// `warehouse-adapter` has no spans; its log carries the trace ID only.
    static let quotaLog = R.log(
        "upstream quota exhausted (429)", at: 6, severity: .error, severityText: "ERROR", service: "warehouse-adapter")

    @Test("an error log of a service without spans, 2 ms before its caller's error span ends, is the root cause")
    func calleeWithoutSpansIsRootCause() throws {
        let assembled = TraceAssembler.assembleWithSources(
            traceID: Samples.traceA, spans: [Self.checkout, Self.reserveStock],
            logs: [
                Self.quotaLog,
                R.log("stock reservation failed: HTTP 429", at: 8, severity: .error, service: "checkout", span: 2),
            ])
        let cause = try #require(assembled.summary.rootCause)
        #expect(cause.service == "warehouse-adapter")
        #expect(cause.name == "ERROR")
        #expect(cause.message == "upstream quota exhausted (429)")
        let entry = try #require(assembled.rootCauseEntry?.entry)
        #expect(entry.depth == 3, "one level below reserve-stock's own logs (depth 2): it is another service's")
        #expect(entry.service == "warehouse-adapter")
        #expect(entry.attributes[key: CorrelateAttributeKey.placedUnder] == .string(SpanID(2).hex))
        #expect(assembled.timeline.entries.map(\.label).prefix(3) == ["span:POST /checkout", "span:reserve-stock", "log:upstream quota exhausted (429)"])
    }

    @Test("a log of a service with spans goes under its own innermost open span, even inside another's deeper span")
    func ownServiceFirst() throws {
        let inner = R.span(id: 3, parent: 2, service: "inventory", name: "SELECT stock", at: 3, lasting: 4)
        let log = R.log("retrying", at: 5, service: "checkout")
        let timeline = R.assemble(spans: [Self.checkout, Self.reserveStock, inner], logs: [log])
        let entry = try #require(timeline.entries.first { $0.kind == .log })
        #expect(entry.depth == 2)
        #expect(entry.attributes[key: CorrelateAttributeKey.placedUnder] == .string(SpanID(2).hex))
    }

    @Test("a log whose own span was not exported is placed too; it keeps its span ID and service")
    func unexportedSpanID() throws {
        var log = Self.quotaLog
        log.spanID = SpanID(0x77)
        let timeline = R.assemble(spans: [Self.checkout, Self.reserveStock], logs: [log])
        let entry = try #require(timeline.entries.first { $0.kind == .log })
        #expect(entry.depth == 3)
        #expect(entry.spanID == SpanID(0x77))
        #expect(timeline.summary.rootCause?.service == "warehouse-adapter")
    }

    @Test("a log outside every span's time, or without a time, stays at depth 0 and is not marked")
    func notCovered() throws {
        let late = R.log("gave up", at: 50, severity: .error, service: "gateway")
        let untimed = R.log("no time", at: nil, severity: .error, service: "gateway")
        let timeline = R.assemble(spans: [Self.checkout, Self.reserveStock], logs: [late, untimed])
        for entry in timeline.entries where entry.kind == .log {
            #expect(entry.depth == 0)
            #expect(entry.attributes[key: CorrelateAttributeKey.placedUnder] == nil)
        }
        #expect(timeline.summary.rootCause?.name == "reserve-stock")
    }

    @Test("a span's start and end both count as open; a span that ended earlier does not", arguments: [2, 8])
    func inclusiveBounds(at time: Int64) throws {
        let earlier = R.span(id: 9, parent: 1, service: "checkout", name: "load-cart", at: 0, lasting: 1)
        let earlierChild = R.span(id: 10, parent: 9, service: "cart", name: "GET cart", at: 0, lasting: 1)
        let log = R.log("edge", at: time, service: "warehouse-adapter")
        let timeline = R.assemble(spans: [Self.checkout, earlier, earlierChild, Self.reserveStock], logs: [log])
        let entry = try #require(timeline.entries.first { $0.kind == .log })
        #expect(entry.attributes[key: CorrelateAttributeKey.placedUnder] == .string(SpanID(2).hex))
    }

    @Test("placement agrees with trying every span, on random traces, whatever the input order")
    func matchesBruteForce() throws {
        var random = SplitMix64(seed: 14)
        for _ in 0..<200 {
            let services = ["a", "b", "c", "d"]
            var spans: [SpanRecord] = []
            for id in 1...UInt64(random.next() % 12 + 1) {
                let parent = id > 1 && random.next() % 4 != 0 ? random.next() % (id - 1) + 1 : nil
                spans.append(
                    R.span(
                        id: id, parent: parent, service: services[Int(random.next() % 3)],
                        at: Int64(random.next() % 40), lasting: Int64(random.next() % 20)))
            }
            let logs = (0..<Int(random.next() % 10)).map { line in
                R.log("l\(line)", at: Int64(random.next() % 70), service: services[Int(random.next() % 4)], line: line)
            }
            let expected = Self.bruteForce(spans: spans, logs: logs)
            for order in [spans, spans.reversed()] {
                let entries = R.assemble(spans: order, logs: logs).entries.filter { $0.kind == .log }
                let placed = Dictionary(uniqueKeysWithValues: entries.map { entry in
                    (entry.message, Placed(depth: entry.depth, under: entry.attributes[key: CorrelateAttributeKey.placedUnder]))
                })
                #expect(placed == expected)
            }
        }
    }

    struct Placed: Equatable {
        var depth: Int
        var under: AttributeValue?
    }

    /// For each log: its depth and the span it sits under, trying every span.
    static func bruteForce(spans: [SpanRecord], logs: [LogRecord]) -> [String: Placed] {
        let tree = SpanTree(spans: spans)
        func innermost(_ candidates: [Int]) -> Int? {
            candidates.max { lhs, rhs in
                let l = tree.spans[lhs], r = tree.spans[rhs]
                return (tree.depths[lhs], l.startTime, r.endTime, l.spanID.value)
                    < (tree.depths[rhs], r.startTime, l.endTime, r.spanID.value)
            }
        }
        var result: [String: Placed] = [:]
        for log in logs {
            let time = log.time!
            let open = tree.spans.indices.filter { tree.spans[$0].startTime <= time && time <= tree.spans[$0].endTime }
            if let own = innermost(open.filter { tree.spans[$0].service == log.service }) {
                result[log.message] = Placed(depth: tree.depths[own] + 1, under: .string(tree.spans[own].spanID.hex))
            } else if let other = innermost(open) {
                result[log.message] = Placed(depth: tree.depths[other] + 2, under: .string(tree.spans[other].spanID.hex))
            } else {
                result[log.message] = Placed(depth: 0, under: nil)
            }
        }
        return result
    }
}
