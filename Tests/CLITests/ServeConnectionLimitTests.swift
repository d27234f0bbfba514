import Foundation
import Testing
import TraceJoinTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tracejoin serve` under a flood of connections that never finish their request head, in a process
/// limited to 1,024 descriptors (`prlimit`), as issue #15 found it: the receiver must keep answering and
/// stop on SIGTERM.
@Suite(.serialized) struct ServeConnectionLimitTests {
    /// User plus system CPU seconds the process has used (`/proc/PID/stat`).
    static func cpuSeconds(_ pid: Int32) -> Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let end = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    @Test("1,500 half-open connections under a 1,024-descriptor limit: /healthz answers, SIGTERM exits 0")
    func halfOpenFlood() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let port = try FreePort.find()
        let base = "http://127.0.0.1:\(port)"
        let serve = try BackgroundCommand.start(
            ["serve", "--db", "s.db", "--otlp-http", "127.0.0.1:\(port)"], in: folder, output: "serve.out",
            launcher: ["/usr/bin/prlimit", "--nofile=1024:1024", "--"])
        defer { serve.terminateIfRunning() }
        #expect(BackgroundCommand.waitUntil { BackgroundCommand.httpStatus(base + "/healthz") == 200 })
        #expect(serve.output().contains("lowered to 512"), "the cap was not fitted to the descriptor limit")

        var connections: [RawConnection] = []
        var written = 0
        let deadline = Date().addingTimeInterval(60)
        for _ in 0..<1500 where Date() < deadline {
            let connection = try RawConnection(port: port)
            if connection.write("POST /v1/logs HTTP/1.1\r\nHost: x\r\n", within: 2) { written += 1 }
            connections.append(connection)
        }
        #expect(written >= 1000, "only \(written) connections got their half head out")

        let asked = Date()
        #expect(
            BackgroundCommand.waitUntil(seconds: 20) { BackgroundCommand.httpStatus(base + "/healthz") == 200 },
            "/healthz did not answer within 20 s")
        let waited = Date().timeIntervalSince(asked)
        let descriptors = Self.openDescriptors(serve.processIdentifier)
        #expect(descriptors < 1024 - 64, "serve holds \(descriptors) descriptors")
        let cpuBefore = Self.cpuSeconds(serve.processIdentifier)
        Thread.sleep(forTimeInterval: 3)
        let cpu = Self.cpuSeconds(serve.processIdentifier) - cpuBefore
        #expect(cpu < 1.5, "serve used \(cpu) s of CPU in 3 s while holding the connections")

        #expect(serve.stop() == 0, "serve did not exit 0 on SIGTERM: \(serve.output().suffix(2000))")
        _ = connections
        print("healthz after \(waited) s; \(descriptors) descriptors; \(cpu) s CPU in 3 s")
    }
}
