import Foundation
import Query
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct QueryRequestParsingTests {
    @Test("query strings decode + as a space and %XX as bytes, and keep repeated names in order")
    func queryString() throws {
        let parameters = try QueryParameters(query: "operation=GET+%2Fusers%2F%3Aid&tag=a:1&tag=b%3A2&empty=&flag")
        #expect(parameters.value("operation") == "GET /users/:id")
        #expect(parameters.values("tag") == ["a:1", "b:2"])
        #expect(parameters.value("empty") == nil)
        #expect(parameters.value("flag") == nil)
        #expect(parameters.value("missing") == nil)
    }

    @Test("a bad %-escape or bytes that are not UTF-8 are a 400", arguments: ["a=%zz", "a=%4", "a=%ff%fe", "%=1"])
    func badQueryString(_ query: String) {
        #expect(throws: QueryRequestError.self) { try QueryParameters(query: query) }
    }

    @Test(
        "paths name the Jaeger endpoints, a segment decoded at a time",
        arguments: [
            ("/", QueryRoute.home), ("/api/services", .services), ("/api/services/", .services),
            ("/api/services/order%20service/operations", .serviceOperations(service: "order service")),
            ("/api/operations", .operations), ("/api/traces", .searchTraces),
            ("/api/traces/AAECAwQFBgcICQoLDA0ODw%3D%3D", .trace(id: "AAECAwQFBgcICQoLDA0ODw==")),
            ("/api/traces/a%2Fb", .trace(id: "a/b")), ("/ui/app.js", .pageFile("app.js")),
            ("/api/dependencies", .dependencies), ("/api/echo", .echo), ("/api/status/buildinfo", .buildInfo),
            ("/api/v2/traces/0af7651916cd43dd8448eb211c80319c", .tempoTrace(id: "0af7651916cd43dd8448eb211c80319c")),
        ] as [(String, QueryRoute)])
    func routes(_ path: String, _ route: QueryRoute) throws {
        #expect(try QueryRoute(path: path) == route)
        #expect(route.isPage == (path == "/" || path.hasPrefix("/ui/")), "only the page is served without a token")
    }

    @Test("the page built into the binary equals Page/ (run scripts/embed-page.sh after editing it)")
    func embeddedPageMatches() throws {
        for file in EmbeddedPage.files {
            let onDisk = try String(contentsOfFile: FixturePaths.repositoryRoot + "/" + file.path, encoding: .utf8)
            #expect(file.text == onDisk, "\(file.path) differs from its embedded copy")
        }
        let pageFiles = try FileManager.default.contentsOfDirectory(atPath: FixturePaths.repositoryRoot + "/Page")
            .filter { [".html", ".css", ".js", ".svg"].contains(where: $0.hasSuffix) }.sorted()
        #expect(EmbeddedPage.files.map { String($0.path.dropFirst("Page/".count)) }.sorted() == pageFiles)
    }

    @Test("other paths are not served", arguments: ["/api", "/api/traces/a/b", "/api/v4/services", "/metrics"])
    func unknownPaths(_ path: String) throws {
        #expect(try QueryRoute(path: path) == nil)
    }

    @Test("a trace search reads Jaeger's parameters: µs times, Go durations, tags as JSON and as tag=k:v")
    func search() throws {
        let query =
            "service=order-service&operation=GET+%2Forders&start=1795428000000000&end=1795428060000000"
            + "&minDuration=100ms&maxDuration=1.5s&limit=20&lookback=1h"
            + "&tags=%7B%22error%22%3A%22true%22%2C%22http.status_code%22%3A500%7D&tag=tracejoin.error_class:timeout"
        let search = try TraceSearchParser.search(from: QueryParameters(query: query))
        #expect(search.service == "order-service")
        #expect(search.operation == "GET /orders")
        #expect(search.startFrom == 1_795_428_000_000_000_000)
        #expect(search.startUntil == 1_795_428_060_000_000_000)
        #expect(search.minDuration == 100_000_000)
        #expect(search.maxDuration == 1_500_000_000)
        #expect(search.limit == 20)
        #expect(
            search.tags == [
                TagCondition(key: "tracejoin.error_class", value: "timeout"), TagCondition(key: "error", value: "true"),
                TagCondition(key: "http.status_code", value: "500"),
            ])
    }

    @Test("no parameters: every trace, 100 at most; a limit above the cap is cut to it")
    func defaults() throws {
        let search = try TraceSearchParser.search(from: QueryParameters(query: nil))
        #expect(search == TraceSearch())
        let capped = try TraceSearchParser.search(from: QueryParameters(query: "limit=1000000"))
        #expect(capped.limit == TraceSearchParser.maxLimit)
    }

    @Test(
        "bad search parameters are a 400 that names the parameter",
        arguments: [
            ("minDuration=fast", "minDuration"), ("maxDuration=10", "maxDuration"),
            ("minDuration=2s&maxDuration=1s", "maxDuration"), ("start=yesterday", "start"), ("end=1.5", "end"),
            ("limit=-1", "limit"), ("tags=%7Bnot+json", "tags"), ("tags=%5B%5D", "tags"),
            ("tags=%7B%22a%22%3A%7B%7D%7D", "tags"), ("tag=novalue", "tag"),
            ("tags=%7B%22a%5C%22b%22%3A%221%22%7D", "tags"),
        ] as [(String, String)])
    func badSearch(_ query: String, _ parameter: String) throws {
        let error = #expect(throws: QueryRequestError.self) {
            try TraceSearchParser.search(from: QueryParameters(query: query))
        }
        #expect(error?.status == 400)
        #expect(error?.message.contains("'\(parameter)'") == true, "\(error?.message ?? "")")
    }
}
