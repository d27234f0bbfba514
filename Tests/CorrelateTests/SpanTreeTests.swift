import Correlate
import Testing
import TraceJoinCore

@Suite struct SpanTreeTests {
    typealias R = TestRecords

    func depths(_ tree: SpanTree) -> [UInt64: Int] {
        Dictionary(uniqueKeysWithValues: tree.spans.indices.map { (tree.spans[$0].spanID.value, tree.depths[$0]) })
    }

    @Test("depth is the distance from the root, whatever order the spans arrive in")
    func depthFromRoot() {
        let tree = SpanTree(spans: [
            R.span(id: 4, parent: 3), R.span(id: 2, parent: 1), R.span(id: 1), R.span(id: 3, parent: 2),
            R.span(id: 5, parent: 1),
        ])
        #expect(depths(tree) == [1: 0, 2: 1, 3: 2, 4: 3, 5: 1])
        #expect(tree.isOrphan.allSatisfy { !$0 })
    }

    @Test("a span whose parent is not in the trace is kept as an orphan root")
    func orphanKept() {
        let tree = SpanTree(spans: [R.span(id: 1), R.span(id: 7, parent: 99), R.span(id: 8, parent: 7)])
        #expect(tree.count == 3)
        #expect(depths(tree) == [1: 0, 7: 0, 8: 1])
        #expect(tree.isOrphan == [false, true, false])
    }

    @Test("a zero parent span ID means no parent, not an orphan")
    func zeroParentIsRoot() {
        var root = R.span(id: 1)
        root.parentSpanID = SpanID(0)
        let tree = SpanTree(spans: [root])
        #expect(tree.isOrphan == [false])
        #expect(tree.depths == [0])
    }

    @Test("the same span exported twice is kept once, the first copy")
    func duplicateDropped() {
        let tree = SpanTree(spans: [
            R.span(id: 1, name: "first"), R.span(id: 2, parent: 1), R.span(id: 1, name: "second copy"),
        ])
        #expect(tree.count == 2)
        #expect(tree.duplicateCount == 1)
        #expect(tree.spans.map(\.name) == ["first", "op"])
    }

    @Test("a Zipkin shared server half is a second span under its client half")
    func sharedPair() throws {
        let tree = SpanTree(spans: [
            R.span(id: 1, service: "gateway"),
            R.span(id: 2, parent: 1, service: "gateway", name: "GET /users"),
            R.span(id: 2, parent: 1, service: "user-service", name: "GET /users", shared: true),
            R.span(id: 3, parent: 2, service: "user-service", name: "SELECT users"),
            R.span(id: 2, parent: 1, service: "user-service", shared: true),  // exported twice
        ])
        #expect(tree.count == 4)
        #expect(tree.duplicateCount == 1)
        let client = try #require(tree.index(of: .init(spanID: SpanID(2), isSharedServerHalf: false)))
        let server = try #require(tree.index(of: .init(spanID: SpanID(2), isSharedServerHalf: true)))
        #expect(tree.depths[client] == 1)
        #expect(tree.parents[server] == client)
        #expect(tree.depths[server] == 2)
        // The server's child hangs under the server half, where the callee's work happens.
        #expect(tree.depths[3] == 3)
    }

    @Test("a reference to a shared span ID picks the half of the same service, else the server half")
    func resolveSharedPair() {
        let tree = SpanTree(spans: [
            R.span(id: 2, service: "gateway"), R.span(id: 2, service: "user-service", shared: true),
        ])
        #expect(tree.resolve(SpanID(2), service: "gateway") == 0)
        #expect(tree.resolve(SpanID(2), service: "user-service") == 1)
        #expect(tree.resolve(SpanID(2), service: "user-service.log") == 1)
        #expect(tree.resolve(SpanID(3), service: nil) == nil)
    }

    @Test("a server half whose client half was not exported is placed by its parent ID")
    func sharedWithoutClient() {
        let tree = SpanTree(spans: [R.span(id: 1), R.span(id: 2, parent: 1, shared: true)])
        #expect(tree.depths == [0, 1])
        #expect(tree.isOrphan == [false, false])
    }

    @Test(
        "a parent loop ends: it is cut at its earliest span, which becomes an orphan root",
        arguments: [
            [(id: UInt64(1), parent: UInt64(1), start: Int64(0))],
            [(1, 2, 5), (2, 1, 0)],
            [(1, 3, 2), (2, 1, 4), (3, 2, 0), (4, 2, 9)],
        ])
    func cycleCut(_ links: [(id: UInt64, parent: UInt64, start: Int64)]) throws {
        let tree = SpanTree(spans: links.map { R.span(id: $0.id, parent: $0.parent, at: $0.start) })
        #expect(tree.count == links.count)
        let cut = try #require(tree.isCycleBreak.firstIndex(of: true))
        #expect(tree.isCycleBreak.filter { $0 }.count == 1)
        let earliest = links.filter { $0.id != 4 }.min { $0.start < $1.start }!
        #expect(tree.spans[cut].spanID.value == earliest.id)
        #expect(tree.depths[cut] == 0)
        #expect(tree.isOrphan[cut])
        #expect(tree.depths.allSatisfy { $0 < links.count })
    }

    @Test("a chain of 100,000 spans is handled without deep recursion")
    func longChain() {
        let count: UInt64 = 100_000
        let spans = (1...count).reversed().map { R.span(id: $0, parent: $0 == 1 ? nil : $0 - 1) }
        let tree = SpanTree(spans: spans)
        #expect(tree.depths.first == Int(count) - 1)
        #expect(tree.depths.last == 0)
    }
}
