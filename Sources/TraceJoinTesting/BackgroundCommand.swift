import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `tracejoin` process running in the background (`tail`, `serve`), its output going to a file.
package final class BackgroundCommand: @unchecked Sendable {
    let process: Process
    let outputPath: String

    private init(process: Process, outputPath: String) {
        self.process = process
        self.outputPath = outputPath
    }

    /// Starts `tracejoin <arguments>` in `folder`, standard output and error to `folder/<output>`.
    /// - Parameter launcher: a command that sets something up and execs tracejoin in its place (same process),
    ///   e.g. `["/usr/bin/prlimit", "--nofile=1024:1024", "--"]`.
    package static func start(
        _ arguments: [String], in folder: TemporaryFolder, output: String, launcher: [String] = []
    ) throws -> BackgroundCommand {
        let process = Process()
        let command = launcher + [CommandRunner.executablePath] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = CommandRunner.environment()
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        let path = folder.file(output)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        process.standardOutput = handle
        process.standardError = handle
        try withNoSignalsBlocked { try process.run() }
        return BackgroundCommand(process: process, outputPath: path)
    }

    /// Runs `body` with no signal blocked on the calling thread. A child inherits the blocked signals of the
    /// thread that starts it, and test threads are libdispatch workers, which block SIGTERM, SIGINT and SIGHUP;
    /// a shell starts commands with none blocked, and the tests must see what the shell's child does.
    private static func withNoSignalsBlocked<Result>(_ body: () throws -> Result) rethrows -> Result {
        var none = sigset_t()
        var saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        return try body()
    }

    /// The process ID, to look at the process in `/proc`.
    package var processIdentifier: Int32 { process.processIdentifier }

    /// Sends `signal` (SIGHUP, SIGKILL…) to the process.
    package func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// What the process printed so far.
    package func output() -> String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Sends SIGTERM (or SIGINT) and waits up to `seconds` for the exit; returns the exit status, or -1
    /// when it did not exit in time (it is then killed).
    package func stop(interrupt: Bool = false, seconds: Double = 15) -> Int32 {
        if interrupt { process.interrupt() } else { process.terminate() }
        guard Self.waitUntil(seconds: seconds, { !process.isRunning }) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    /// Whether the process has not exited yet.
    package var isRunning: Bool { process.isRunning }

    /// Kills the process with SIGKILL and waits for it; true when the signal is what ended it (it had not exited
    /// on its own before).
    package func killAndWait() -> Bool {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// For `defer`: kills the process if a failed test left it running.
    package func terminateIfRunning() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits until `condition` holds, checking every `interval` seconds (50 ms), for at most `seconds`.
    package static func waitUntil(seconds: Double = 30, every interval: Double = 0.05, _ condition: () throws -> Bool)
        rethrows -> Bool
    {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: interval)
        }
        return try condition()
    }

    /// Whether the process's code has begun to take the signals `serve` and `tail` answer: its main thread
    /// blocks SIGTERM, SIGINT and SIGHUP, or a `signalfd` is open (Linux `/proc`). Until then the process is
    /// still being loaded, before any of its code runs.
    package func hasTakenSignals() -> Bool {
        let proc = "/proc/\(process.processIdentifier)"
        let status = (try? String(contentsOfFile: proc + "/status", encoding: .utf8)) ?? ""
        let blockedHex = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") }?.split(separator: "\t").last
        let blocked = blockedHex.flatMap { UInt64($0, radix: 16) } ?? 0
        let wanted = [SIGTERM, SIGINT, SIGHUP].reduce(UInt64(0)) { $0 | (1 << UInt64($1 - 1)) }
        if blocked & wanted == wanted { return true }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: proc + "/fd")) ?? []
        return descriptors.contains { name in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: proc + "/fd/" + name))
                == "anon_inode:[signalfd]"
        }
    }

    /// The HTTP status `curl` gets for a GET of `url`, or nil when nothing answers.
    package static func httpStatus(_ url: String) -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = Int(String(decoding: data, as: UTF8.self)) ?? 0
        return status == 0 ? nil : status
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
package enum FreePort {
    package static func find() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(socketFD, socketAddress, length) == 0 && getsockname(socketFD, socketAddress, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
