import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// A real HTTP client for `tracejoin ui`: curl, as an operator or a data source would call it.
enum QueryHTTP {
    struct Answer {
        var status: Int
        var body: String

        /// The body as JSON (Jaeger's envelope).
        func json() throws -> JSONValue { try JSONParser.parse(body) }
    }

    /// GETs `url` (or sends `method`) with `headers`; the status and the body.
    static func request(_ url: String, method: String = "GET", headers: [String] = []) throws -> Answer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        // --globoff: `{` and `[` in a query are the server's to read, not curl's URL patterns.
        process.arguments =
            ["-s", "--globoff", "--max-time", "20", "-X", method, "-w", "\n%{http_code}"]
            + headers.flatMap { ["-H", $0] } + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let newline = text.lastIndex(of: "\n") ?? text.startIndex
        return Answer(status: Int(text[text.index(after: newline)...]) ?? 0, body: String(text[..<newline]))
    }

    /// `tracejoin ui` on `database` at a free loopback port (with `arguments` added), once it answers.
    static func startUI(
        database: String, in folder: TemporaryFolder, arguments: [String] = [], launcher: [String] = [],
        host: String = "127.0.0.1", headers: [String] = []
    ) throws -> (ui: BackgroundCommand, base: String) {
        let port = try FreePort.find()
        let ui = try BackgroundCommand.start(
            ["ui", "--db", database, "--query-http", "\(host):\(port)"] + arguments, in: folder,
            output: "ui-\(port).out", launcher: launcher)
        let base = "http://127.0.0.1:\(port)"
        let up = BackgroundCommand.waitUntil(seconds: 60) {
            (try? request(base + "/api/services", headers: headers).status) ?? 0 > 0
        }
        #expect(up, "ui did not answer: \(ui.output())")
        return (ui, base)
    }

    /// The tags of a Jaeger span as a dictionary of values.
    static func tags(_ span: JSONValue) -> [String: JSONValue] {
        var tags: [String: JSONValue] = [:]
        for tag in span["tags"]?.array ?? [] { tags[tag["key"]?.string ?? ""] = tag["value"] ?? .null }
        return tags
    }

    /// The fields of a Jaeger span log as a dictionary of values.
    static func fields(_ log: JSONValue) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for field in log["fields"]?.array ?? [] { fields[field["key"]?.string ?? ""] = field["value"] ?? .null }
        return fields
    }

    /// Percent-encodes a query value.
    static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }
}
