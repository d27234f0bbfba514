import Foundation
import Testing
import TraceJoinTesting

/// Stored text cannot drive the terminal: control sequences in logs, service names and file names are
/// printed visibly escaped by every text view (issue #15), while JSON keeps the exact value.
@Suite struct TerminalEscapeTests {
    static let traceID = "abababababababababababababababab"
    /// The issue's repro line (as an error, so it is an incident too), an uncorrelated line with an email
    /// address (for `logs` and `report pii`), and a line with a raw ESC byte in broken JSON (a reject).
    static let lines = [
        #"{"time":"2026-11-23T10:00:00Z","level":"error","msg":"\u001b]2;pwned\u0007 \u001b[2J","service":"esc\u001b[1Asvc","trace_id":"abababababababababababababababab"}"#,
        #"{"time":"2026-11-23T10:00:01Z","level":"info","msg":"mail to bob@example.com \u001b[2J","service":"esc\u001b[1Asvc"}"#,
        "{\"level\":\"info\",\"msg\":\"\u{1B}]2;pwned\u{07}",
    ]

    /// True when `text` holds a byte a terminal acts on: ESC, BEL, or a C1 control such as CSI.
    static func hasControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || (0x80..<0xA0).contains($0.value) }
    }

    @Test("show, incidents, logs, rejects --raw, report pii and rules explain print \\x1b, never ESC or BEL")
    func textViewsEscape() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app\u{1B}[2J.log")
        try (Self.lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let db = folder.file("t.db")
        let batch = try CommandRunner.run(["batch", "--db", db, log])
        #expect(batch.status == 0, "\(batch.standardError)")
        #expect(batch.standardError.contains(#"app\x1b[2J.log:3: warning: record skipped"#), "\(batch.standardError)")
        let commands: [[String]] = [
            ["show", "--db", db, Self.traceID],
            ["incidents", "--db", db],
            ["incidents", "--group", "--db", db],
            ["logs", "--db", db],
            ["rejects", "--raw", "--db", db],
            ["report", "pii", "--db", db],
        ]
        for arguments in commands {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            #expect(!Self.hasControls(result.standardOutput), "\(arguments) printed a control byte")
            #expect(!Self.hasControls(result.standardError), "\(arguments) printed a control byte on stderr")
            #expect(result.standardOutput.contains(#"esc\x1b[1Asvc"#) || arguments[0] == "rejects", "\(arguments)")
        }
        let show = try CommandRunner.run(["show", "--db", db, Self.traceID])
        #expect(show.standardOutput.contains(#"\x1b]2;pwned\x07 \x1b[2J"#), "\(show.standardOutput)")
        let rejects = try CommandRunner.run(["rejects", "--raw", "--db", db])
        #expect(rejects.standardOutput.contains(#"app\x1b[2J.log:3"#), "\(rejects.standardOutput)")
        #expect(rejects.standardOutput.contains(#"\x1b]2;pwned\x07"#), "\(rejects.standardOutput)")
        let explain = try CommandRunner.run(["rules", "explain", "mail bob@example.com \u{1B}[2J\u{9B}1m"])
        #expect(explain.status == 0)
        #expect(!Self.hasControls(explain.standardOutput))
        #expect(explain.standardOutput.contains(#"\x1b[2J\u009b1m"#), "\(explain.standardOutput)")
    }

    @Test("show --format json keeps the exact characters, escaped as JSON")
    func jsonKeepsValues() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        try (Self.lines[0] + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let db = folder.file("t.db")
        #expect(try CommandRunner.run(["batch", "--quiet", "--db", db, log]).status == 0)
        let show = try CommandRunner.run(["show", "--db", db, "--format", "json", Self.traceID])
        #expect(!Self.hasControls(show.standardOutput))
        #expect(show.standardOutput.contains(#""service":"esc\u001b[1Asvc""#), "\(show.standardOutput)")
    }
}
