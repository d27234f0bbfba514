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

    /// What the night holds, as a user reading its incidents would check it: the failing checkout, whose root
    /// cause is payment-service's `psp.charge` timing out, and the forms `show` accepts for its ID.
    static var facts: [String: Any] {
        [
        "traceID": "6b03c5b70000000036fc1d6adddbf569",
        "errorClass": "timeout",
        "causeService": "payment-service",
        "otherService": "inventory-worker",
        "operations": ["POST /api/checkout", "POST /orders", "GET /users/:id", "psp.charge"],
        "messages": ["checkout started", "charge failed", "user loaded"],
        "rootSpan": "2cd69f6e00160fcd",
        "deepSpan": "e80dfab7c4497c25",
        "causeSpan": "a305e530a6d5236f",
        "otherForms": [
            "3962074117005112681",  // its lower 64 bits in decimal, as Datadog writes them
            "00-6b03c5b70000000036fc1d6adddbf569-2cd69f6e00160fcd-01",
            "6B03C5B70000000036FC1D6ADDDBF569",
        ],
        "markupTraceID": markupTrace,
        "markupMessage": markup,
        ]
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

    func drive(_ base: String, token: String? = nil) throws {
        try Self.ensureVirtualEnvironment()
        let facts = String(decoding: try JSONSerialization.data(withJSONObject: Self.facts), as: UTF8.self)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.venv + "/bin/python")
        process.arguments = [Self.script, "--url", base, "--facts", facts] + (token.map { ["--token", $0] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text)
        #expect(process.terminationStatus == 0, "the page failed in Chromium:\n\(text)")
    }

    @Test("in Chromium: incidents listed, searched by service, a timeline with nested spans and their logs")
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
