import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `tracejoin serve --query-http` (issue #17): one process receives OTLP and serves what `ui` serves, the page and
/// the Jaeger query API, over the database it is writing.
@Suite struct ServeQueryTests {
    @Test("what an exporter sent is readable through the query API of the same process, then SIGTERM exits 0")
    func receiveAndRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let otlp = try FreePort.find()
        let query = try FreePort.find()
        let serve = try BackgroundCommand.start(
            [
                "serve", "--db", "s.db", "--otlp-http", "127.0.0.1:\(otlp)", "--query-http", "127.0.0.1:\(query)",
                "--trace-idle", "1",
            ], in: folder, output: "serve.out")
        defer { serve.terminateIfRunning() }
        let base = "http://127.0.0.1:\(query)"
        #expect(BackgroundCommand.waitUntil { BackgroundCommand.httpStatus("http://127.0.0.1:\(otlp)/healthz") == 200 })

        let body = ServeCommandTests.logsBody(["payment declined"], time: 1)
            .replacingOccurrences(of: "\"severityText\":\"INFO\"", with: "\"severityText\":\"ERROR\"")
        #expect(try ServeCommandTests.post(body, to: "http://127.0.0.1:\(otlp)/v1/logs") == 200)

        // Opened by ID at once; listed once the idle trace is summarised.
        let trace = try QueryHTTP.request(base + "/api/traces/" + ServeCommandTests.trace)
        #expect(trace.status == 200, "\(trace.body.prefix(300))")
        #expect(trace.body.contains("payment declined"))
        let listed = try BackgroundCommand.waitUntil(seconds: 60) {
            let search = try QueryHTTP.request(base + "/api/traces?service=zoo")
            return search.body.contains(ServeCommandTests.trace)
        }
        #expect(listed, "the trace never appeared in a search")
        #expect(try QueryHTTP.request(base + "/").body.contains("<title>tracejoin</title>"))
        #expect(serve.stop() == 0, "serve did not exit 0 on SIGTERM: \(serve.output())")
    }

    @Test("a token file without --query-http, or a non-loopback --query-http without a token, is bad usage (64)")
    func refusedAtStart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tokenAlone = try CommandRunner.run(
            ["serve", "--db", "s.db", "--otlp-http", "127.0.0.1:0", "--query-token-file", "t"], in: folder.path)
        #expect(tokenAlone.status == 64)
        #expect(tokenAlone.standardError.contains("--query-http"), "\(tokenAlone.standardError)")
        let open = try CommandRunner.run(
            ["serve", "--db", "s.db", "--otlp-http", "127.0.0.1:0", "--query-http", "0.0.0.0:0"], in: folder.path)
        #expect(open.status == 64)
        #expect(open.standardError.contains("--query-token-file"), "\(open.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("s.db")), "nothing is written before it starts")
    }
}
