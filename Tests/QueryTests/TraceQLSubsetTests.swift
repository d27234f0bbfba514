import Query
import Testing
import TraceJoinCore

/// The TraceQL of Grafana's Tempo search builder, read into the search the Jaeger API runs; anything else refused
/// with the column where reading stopped.
@Suite struct TraceQLSubsetTests {
    @Test("the builder's conditions become the same search the Jaeger parameters give")
    func builderQuery() throws {
        let search = try TraceQLSubset.search(
            #"{ resource.service.name = "order service" && name="GET /orders/:id" && status=error && duration>100ms"#
                + #" && span.http.status_code=500 && .tracejoin.error_class="time\"out" && traceDuration<=2s }"#)
        #expect(search.service == "order service")
        #expect(search.operation == "GET /orders/:id")
        #expect(search.minDuration == 100_000_001)
        #expect(search.maxDuration == 2_000_000_000)
        #expect(
            search.tags == [
                TagCondition(key: "error", value: "true"), TagCondition(key: "http.status_code", value: "500"),
                TagCondition(key: "tracejoin.error_class", value: #"time"out"#),
            ])
        #expect(try TraceQLSubset.search("{}") == TraceSearch())
        #expect(try TraceQLSubset.search("  ") == TraceSearch())
        #expect(try TraceQLSubset.search(#"{name="a && b"}"#).operation == "a && b", "&& inside a string")
    }

    @Test(
        "other TraceQL is a 400 naming the column where it stopped",
        arguments: [
            (#"{name="a" || name="b"}"#, 11), (#"{name!="a"}"#, 2), (#"{status=error && name=~"a.*"}"#, 18),
            (#"{duration>fast}"#, 2), ("{status=error} | count() > 2", 28), (#"{name="a""#, 9), (#"{span.x="a" && }"#, 15),
            (#"{foo="a"}"#, 2),
        ] as [(String, Int)])
    func refused(_ query: String, _ column: Int) {
        #expect {
            try TraceQLSubset.search(query)
        } throws: { error in
            guard let refusal = error as? QueryRequestError else { return false }
            return refusal.status == 400 && refusal.message.hasSuffix("(at column \(column))")
                && refusal.message.contains("unsupported TraceQL")
        }
    }
}
