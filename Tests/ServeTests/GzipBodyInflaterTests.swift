import Serve
import Testing

@Suite("Gzip body inflater")
struct GzipBodyInflaterTests {
    @Test("what gzip compressed comes back the same, across many output chunks")
    func roundTrip() throws {
        let text = Array((0..<20_000).map { "line \($0) of the body\n" }.joined().utf8)
        #expect(try GzipBodyInflater.inflate(Tools.gzip(text), outputLimit: 1 << 20) == text)
    }

    @Test("three members inflate to their concatenation")
    func multiMember() throws {
        let parts = [Array("first ".utf8), Array(repeating: 0x41, count: 200_000), Array(" last".utf8)]
        let gzip = try parts.flatMap { try Tools.gzip($0) }
        #expect(try GzipBodyInflater.inflate(gzip, outputLimit: 1 << 20) == parts.flatMap { $0 })
    }

    @Test("the limit is inclusive: one byte more stops inflating")
    func limitEdge() throws {
        let body = [UInt8](repeating: 0x61, count: 100_000)
        let gzip = try Tools.gzip(body)
        #expect(try GzipBodyInflater.inflate(gzip, outputLimit: body.count) == body)
        #expect(throws: GzipBodyError.tooLarge(limit: body.count - 1)) {
            try GzipBodyInflater.inflate(gzip, outputLimit: body.count - 1)
        }
    }

    @Test("an empty body is a truncated gzip stream")
    func emptyBody() {
        #expect(throws: GzipBodyError.truncated) { try GzipBodyInflater.inflate([], outputLimit: 100) }
    }
}
