import Foundation
import Testing
import TraceJoinTesting

/// Issue #5's real producer: `../shared/realclient` runs two Flask services instrumented with the
/// OpenTelemetry Python SDK from PyPI. They export spans and log records over OTLP/HTTP (protobuf with
/// gzip, and JSON) to `tracejoin serve`, and write JSON-lines application logs that the same process
/// tails. One request carries a `traceparent` the test chose, so its trace ID is known in advance.
///
/// The SDK's virtual environment is `.build-venv/realclient` (git-ignored): `.ci/run` creates it, and so
/// does this test when it is missing (pip from PyPI, pinned by `requirements.lock.txt`).
@Suite(.serialized) struct RealClientTests {
    /// The trace ID of the demo's request sent with `traceparent: 00-4bf92f35…-00f067aa0ba902b7-01`.
    static let knownTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let venv = FixturePaths.repositoryRoot + "/.build-venv/realclient"
    static let plantedPII = ["4111 1111 1111 1111", "4111111111111111", "alice@example.com", "bob@example.org"]

    @Test("spans of both services and their logs meet in one scrubbed timeline")
    func realClientIntoServeAndTail() throws {
        try Self.ensureVirtualEnvironment()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let out = folder.file("out")
        let port = try FreePort.find()
        let serve = try BackgroundCommand.start(
            [
                "serve", "--db", "rc.db", "--otlp-http", "127.0.0.1:\(port)", "--trace-idle", "1",
                "--tail", out + "/*.log.jsonl",
            ], in: folder, output: "serve.out")
        defer { serve.terminateIfRunning() }
        #expect(BackgroundCommand.waitUntil { BackgroundCommand.httpStatus("http://127.0.0.1:\(port)/healthz") == 200 })

        let demo = try Self.runDemo(base: "http://127.0.0.1:\(port)", out: out)
        #expect(demo.contains("traceparent -> HTTP 200"), "the demo's requests did not run: \(demo)")

        // Tailed lines and exported records arrive within seconds; wait for both services' logs.
        var timeline: [String: Any] = [:]
        let complete = try BackgroundCommand.waitUntil(seconds: 30) {
            let shown = try CommandRunner.run(
                ["show", "--db", "rc.db", "--format", "json", Self.knownTraceID], in: folder.path)
            guard shown.status == 0,
                let object = try JSONSerialization.jsonObject(with: Data(shown.standardOutput.utf8)) as? [String: Any]
            else { return false }
            timeline = object
            let logServices = Set(Self.entries(object, kind: "log").compactMap { $0["service"] as? String })
            return logServices.isSuperset(of: ["order-service", "user-service"])
        }
        #expect(complete, "the timeline never showed logs of both services: \(timeline)")
        #expect(serve.stop() == 0, "serve did not stop cleanly on SIGTERM: \(serve.output())")

        let services = Set(timeline["services"] as? [String] ?? [])
        #expect(services.isSuperset(of: ["order-service", "user-service"]))
        let spans = Self.entries(timeline, kind: "span")
        #expect(Set(spans.compactMap { $0["service"] as? String }) == ["order-service", "user-service"])
        // The order service's server span is a child of the caller's span 00f067aa0ba902b7.
        #expect(spans.contains { $0["parentSpanId"] as? String == "00f067aa0ba902b7" })
        #expect(Self.entries(timeline, kind: "log").contains { ($0["message"] as? String)?.contains("charging card") == true })

        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: folder.file("rc.db") + suffix) { bytes.append(data) }
        }
        let leaked = Self.plantedPII.filter { bytes.range(of: Data($0.utf8)) != nil }
        #expect(leaked.isEmpty, "personal data reached the database: \(leaked)")
        let logText = (try? String(contentsOfFile: out + "/order-service.log.jsonl", encoding: .utf8)) ?? ""
        #expect(logText.contains("4111 1111 1111 1111"), "the demo no longer logs the card number this test looks for")
    }

    static func entries(_ timeline: [String: Any], kind: String) -> [[String: Any]] {
        (timeline["entries"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == kind }
    }

    /// Runs `run_demo.sh` with both OTLP bases pointing at tracejoin; returns its request log.
    static func runDemo(base: String, out: String) throws -> String {
        let process = Process()
        // A child started from a test thread inherits its blocked signals (libdispatch workers block them),
        // and the demo stops its services with SIGTERM: clear the mask before running the script.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])",
            "bash", FixturePaths.shared("realclient/run_demo.sh"), venv,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["REALCLIENT_PROTO_BASE"] = base
        environment["REALCLIENT_JSON_BASE"] = base
        environment["REALCLIENT_OUT"] = out
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()  // summarize.py fails its sink checks (the sink got nothing): not ours
        return (try? String(contentsOfFile: out + "/requests.txt", encoding: .utf8)) ?? ""
    }

    static func ensureVirtualEnvironment() throws {
        try PythonEnvironment.ensure(
            at: venv, requirements: FixturePaths.shared("realclient/requirements.lock.txt"),
            holding: "the OpenTelemetry SDK")
    }
}
