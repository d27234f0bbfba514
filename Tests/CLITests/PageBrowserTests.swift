import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The built-in page of `tracejoin ui` (issue #17) in a real browser: Debian's Chromium, driven through Selenium by
/// Page/browser_test.py, against the real binary on a database the real `batch` made from the bundled night.
///
/// Needs `chromium` and `chromium-driver` (`scripts/setup --test` installs them) and Selenium in
/// `.build-venv/browser` (git-ignored), which this test creates when it is missing (pip from PyPI, pinned by
/// Page/requirements.lock.txt).
@Suite(.serialized) struct PageBrowserTests {
    static let venv = FixturePaths.repositoryRoot + "/.build-venv/browser"
    static let script = FixturePaths.repositoryRoot + "/Page/browser_test.py"
    static let markupTrace = "abababababababababababababababab"
    static let markup = #"<img src=x onerror="document.title='pwned'"><script>document.title='pwned2'</script> & done"#

    static let traceID = "6b03c5b70000000036fc1d6adddbf569"

    /// What the page must show, as the CLI prints it for the same database (`incidents`, `incidents --group`, `show`
    /// and `logs` with `--format json`), and what the night's failing checkout is: its traceparent, the order of its
    /// story, a log and one of its attributes.
    static func facts(database: String) throws -> String {
        func json(_ arguments: [String]) throws -> JSONValue {
            let result = try CommandRunner.run(arguments + ["--db", database, "--format", "json"])
            try #require(result.status == 0, "\(arguments): \(result.standardError)")
            return try JSONParser.parse(result.standardOutput)
        }
        let incidents = try json(["incidents"]).array ?? []
        let filtered = try json(["incidents", "--service", "payment-service", "--class", "timeout"]).array ?? []
        let trace = try json(["show", traceID])
        let fingerprint = try #require(trace["fingerprint"]?.string)
        let problems = try json(["incidents", "--group"]).array ?? []
        let problem = try #require(problems.first { $0["fingerprint"]?.string == fingerprint })
        let uncorrelated = try #require(try json(["logs", "--service", "order-service", "--limit", "1"]).array?.first)
        let facts: [String: Any] = [
            "incidentIDs": incidents.compactMap { $0["traceId"]?.string },
            "filteredIDs": filtered.compactMap { $0["traceId"]?.string },
            "fingerprint": fingerprint,
            "problemCount": problem["count"]?.int64 ?? -1,
            "traceID": traceID,
            "traceparent": "00-\(traceID)-2cd69f6e00160fcd-01",
            "entryCount": trace["entries"]?.array?.count ?? -1,
            "inOrder": ["POST /api/checkout", "checkout started", "calling order-service", "psp.charge", "charge failed"],
            "errorClass": trace["errorClass"]?.string ?? "?",
            "classRule": trace["classRule"]?.string ?? "?",
            "causeService": trace["rootCause"]?["service"]?.string ?? "?",
            "causeName": trace["rootCause"]?["name"]?.string ?? "?",
            "logMessage": "checkout started",
            "logAttribute": "thread_name",
            "logService": "order-service",
            "uncorrelatedMessage": uncorrelated["message"]?.string ?? "?",
            "markupTraceID": markupTrace,
            "markupMessage": markup,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: facts), as: UTF8.self)
    }

    static let database: Result<String, any Error> = Result {
        let folder = try TemporaryFolder()
        var line = JSONWriter()
        line.raw("{\"time\":\"2026-11-23T10:00:00Z\",\"level\":\"error\",\"service\":\"markup-svc\",\"trace_id\":")
        line.string(markupTrace)
        line.raw(",\"msg\":")
        line.string(markup)
        line.raw("}\n")
        try line.text.write(toFile: folder.file("markup.log"), atomically: true, encoding: .utf8)
        let path = folder.file("page.db")
        let result = try CommandRunner.run(
            ["batch", "--quiet", "--db", path, FixturePaths.fixture("night"), folder.file("markup.log")])
        guard result.status == 0 else { throw NightCommandTests.CommandFailure(result: result) }
        return path
    }

    /// Drives the page; with `TRACEJOIN_PAGE_SCREENSHOTS=DIR` in the environment, the browser saves the README's
    /// screenshots there (`docs/images`).
    func drive(_ base: String, token: String? = nil) throws {
        try Self.ensureVirtualEnvironment()
        let facts = try Self.facts(database: try Self.database.get())
        let screenshots = ProcessInfo.processInfo.environment["TRACEJOIN_PAGE_SCREENSHOTS"].map { ["--screenshots", $0] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.venv + "/bin/python")
        process.arguments =
            [Self.script, "--url", base, "--facts", facts] + (token.map { ["--token", $0] } ?? []) + (screenshots ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text)
        #expect(process.terminationStatus == 0, "the page failed in Chromium:\n\(text)")
    }

    @Test("in Chromium: incidents as the CLI lists them, filtered and grouped; a waterfall with its logs and root cause")
    func searchAndTimeline() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (ui, base) = try QueryHTTP.startUI(database: try Self.database.get(), in: folder)
        defer { ui.terminateIfRunning() }
        let page = try QueryHTTP.request(base + "/")
        #expect(page.status == 200 && page.body.contains("<script src=\"ui/app.js\">"))
        try drive(base)
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")
    }

    @Test("in Chromium, behind a token: the page loads without it, asks for it, then reads with it")
    func behindToken() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let token = "page-test-token-0123456789"
        try token.write(toFile: folder.file("ui.token"), atomically: true, encoding: .utf8)
        let (ui, base) = try QueryHTTP.startUI(
            database: try Self.database.get(), in: folder, arguments: ["--query-token-file", folder.file("ui.token")],
            headers: ["Authorization: Bearer \(token)"])
        defer { ui.terminateIfRunning() }
        #expect(try QueryHTTP.request(base + "/api/services").status == 401)
        #expect(try QueryHTTP.request(base + "/ui/app.js").status == 200)
        try drive(base, token: token)
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")
    }

    static func ensureVirtualEnvironment() throws {
        try PythonEnvironment.ensure(
            at: venv, requirements: FixturePaths.repositoryRoot + "/Page/requirements.lock.txt", holding: "Selenium")
    }
}
