import Foundation
import Testing
import TraceJoinTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tracejoin serve` as an operator runs it: bad flags and bad rules refused before anything listens,
/// health, readiness and metrics endpoints, SIGHUP reloading the rule files (a bad set refused, the old
/// one kept), and SIGTERM draining and exiting 0.
@Suite(.serialized) struct ServeCommandTests {
    static let trace = "7be2a4c0ad3c4b14bd1d0bd0cfd2fb11"

    /// An OTLP/JSON logs request with one record per message, all in `trace`.
    static func logsBody(_ messages: [String], time: Int) -> String {
        let records = messages.enumerated().map { index, message in
            "{\"timeUnixNano\":\"\(1_764_000_000_000_000_000 + time * 1000 + index)\",\"severityText\":\"INFO\","
                + "\"traceId\":\"\(trace)\",\"body\":{\"stringValue\":\"\(message)\"}}"
        }
        return """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"zoo"}}]},\
            "scopeLogs":[{"logRecords":[\(records.joined(separator: ","))]}]}]}
            """
    }

    /// POSTs `body` with curl; returns the HTTP status.
    static func post(_ body: String, to url: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = [
            "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json", "--data-binary",
            body, url,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self)) ?? 0
    }

    static func get(_ url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("a malformed --otlp-http is bad usage (64); a bad rule file is refused with file:line (78)")
    func refusedAtStart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let usage = try CommandRunner.run(["serve", "--db", "s.db", "--otlp-http", "localhost"], in: folder.path)
        #expect(usage.status == 64)
        #expect(usage.standardError.contains("HOST:PORT"))

        try FileManager.default.createDirectory(atPath: folder.file("rules"), withIntermediateDirectories: true)
        try "- id: broken\n  match: {pattern: '(unclosed'}\n  action: {redact: x}\n".write(
            toFile: folder.file("rules/broken.yaml"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(
            ["serve", "--db", "s.db", "--otlp-http", "127.0.0.1:0", "--rules", folder.file("rules")], in: folder.path)
        #expect(bad.status == 78)
        #expect(bad.standardError.contains("broken.yaml:"))
    }

    @Test("healthz, readyz and metrics answer; SIGHUP reloads rules, refuses a bad set; SIGTERM exits 0")
    func operability() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let rules = folder.file("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try PlantedRules.write(PlantedRules.rule("test.zebra", word: "zebra"), as: "zoo.yaml", in: rules)
        let port = try FreePort.find()
        let base = "http://127.0.0.1:\(port)"
        let serve = try BackgroundCommand.start(
            ["serve", "--db", "s.db", "--otlp-http", "127.0.0.1:\(port)", "--rules", rules], in: folder,
            output: "serve.out")
        defer { serve.terminateIfRunning() }
        #expect(BackgroundCommand.waitUntil { BackgroundCommand.httpStatus(base + "/healthz") == 200 })
        #expect(BackgroundCommand.httpStatus(base + "/readyz") == 200)

        #expect(try Self.post(Self.logsBody(["zebra one", "giraffe one"], time: 1), to: base + "/v1/logs") == 200)
        let metrics = try Self.get(base + "/metrics")
        #expect(metrics.contains("# TYPE"), "not Prometheus text: \(metrics.prefix(200))")

        // A bad set: refused, and the zebra rule stays in force.
        try PlantedRules.write(PlantedRules.broken, as: "broken.yaml", in: rules)
        serve.send(SIGHUP)
        #expect(BackgroundCommand.waitUntil(seconds: 10) { serve.output().contains("rules in force stay") })
        #expect(serve.output().contains("broken.yaml:"), "the refused set's diagnostics name the file")
        #expect(try Self.post(Self.logsBody(["zebra two", "giraffe two"], time: 2), to: base + "/v1/logs") == 200)

        // A good set: giraffe is now scrubbed too.
        try FileManager.default.removeItem(atPath: rules + "/broken.yaml")
        try PlantedRules.write(
            PlantedRules.rule("test.zebra", word: "zebra") + PlantedRules.rule("test.giraffe", word: "giraffe"),
            as: "zoo.yaml", in: rules)
        serve.send(SIGHUP)
        #expect(BackgroundCommand.waitUntil(seconds: 10) { serve.output().contains("new rules in force") })
        #expect(try Self.post(Self.logsBody(["zebra three", "giraffe three"], time: 3), to: base + "/v1/logs") == 200)

        #expect(serve.stop() == 0, "serve did not exit 0 on SIGTERM: \(serve.output())")
        let shown = try CommandRunner.run(["show", "--db", "s.db", "--format", "json", Self.trace], in: folder.path)
        #expect(shown.status == 0)
        let text = shown.standardOutput
        #expect(!text.contains("zebra"), "the zebra rule was not in force throughout")
        #expect(text.contains("giraffe one") && text.contains("giraffe two"), "giraffe scrubbed before the reload")
        #expect(!text.contains("giraffe three"), "the reloaded rule was not applied")
        #expect(text.contains("<planted> three"))
    }

    @Test("serve --tail: SIGHUP puts the new rules in force for tailed lines too, not only for OTLP requests")
    func reloadRulesForTailedFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let rules = folder.file("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try PlantedRules.write(PlantedRules.rule("test.zebra", word: "zebra"), as: "zoo.yaml", in: rules)
        let log = folder.file("zoo.log")
        func write(_ message: String) throws {
            try TailCommandTests.append(
                "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"\(message)\"}\n", to: log)
        }
        func stored(_ suffix: String) throws -> Bool {
            try BackgroundCommand.waitUntil {
                try TailCommandTests.allMessages(in: folder, database: "s.db").contains { $0.hasSuffix(suffix) }
            }
        }
        try write("zebra one giraffe one")
        let port = try FreePort.find()
        let serve = try BackgroundCommand.start(
            [
                "serve", "--db", "s.db", "--otlp-http", "127.0.0.1:\(port)", "--rules", rules, "--tail", log,
                "--poll-interval", "20",
            ], in: folder, output: "serve.out")
        defer { serve.terminateIfRunning() }
        #expect(try stored("giraffe one"))

        try PlantedRules.write(
            PlantedRules.rule("test.zebra", word: "zebra") + PlantedRules.rule("test.giraffe", word: "giraffe"),
            as: "zoo.yaml", in: rules)
        serve.send(SIGHUP)
        #expect(BackgroundCommand.waitUntil(seconds: 10) { serve.output().contains("new rules in force") })
        try write("zebra two giraffe two")
        #expect(try stored(" two"))

        #expect(serve.stop() == 0, "serve did not exit 0 on SIGTERM: \(serve.output())")
        let messages = try TailCommandTests.allMessages(in: folder, database: "s.db")
        #expect(messages.contains("<planted> one giraffe one"))
        #expect(messages.contains("<planted> two <planted> two"), "tailed lines kept the old rules: \(messages)")
        #expect(!messages.contains { $0.contains("giraffe two") })
    }
}
