import Foundation

/// CPU time the calling thread has used, in seconds: phase costs that stay meaningful when other
/// processes compete for the cores (wall-clock time does not).
enum ThreadCPUTime {
    static func now() -> Double { seconds(of: CLOCK_THREAD_CPUTIME_ID) }

    /// The reading of a CPU clock, in seconds.
    static func seconds(of clock: clockid_t) -> Double {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// CPU time the whole process has used, in seconds, all threads together.
enum ProcessCPUTime {
    static func now() -> Double { ThreadCPUTime.seconds(of: CLOCK_PROCESS_CPUTIME_ID) }
}
