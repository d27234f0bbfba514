import Foundation

/// Names a running process so that another one can tell later whether it is still running: its boot, its
/// process ID and its start time, which together are not reused the way a process ID alone is.
enum ProcessIdentity {
    /// This process.
    static var current: String {
        let pid = getpid()
        return "\(bootID ?? "-") \(pid) \(status(of: pid)?.started ?? "-")"
    }

    /// Whether the process `identity` names is still running. A process of an earlier boot is not, nor one that
    /// has ended but not been waited for (a zombie); one whose start time cannot be read is taken to run while
    /// its process ID exists.
    static func isAlive(_ identity: String) -> Bool {
        let parts = identity.split(separator: " ").map(String.init)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return false }
        if let boot = bootID, parts[0] != "-", parts[0] != boot { return false }
        if parts[2] != "-", let (state, started) = status(of: pid) {
            return started == parts[2] && state != "Z" && state != "X"
        }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The process ID in `identity`, for messages.
    static func processID(of identity: String) -> String {
        let parts = identity.split(separator: " ")
        return parts.count == 3 ? String(parts[1]) : "?"
    }

    private static var bootID: String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Fields 3 and 22 of `/proc/PID/stat`: the state (R, S, Z, …) and the clock ticks from boot to the
    /// process's start. The fields are counted from after the command name, which may hold spaces and parentheses.
    private static func status(of pid: Int32) -> (state: String, started: String)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? (String(fields[0]), String(fields[19])) : nil
    }
}
