#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`), which bounds the connections `serve` can hold.
enum DescriptorLimit {
    /// Raises the soft limit to the hard one, as far as the system allows, and returns the soft limit in force.
    ///
    /// The soft limit is often 1,024 while the hard one is far higher; a server that needs descriptors may
    /// take them up to the hard limit without privileges. nil when the limit cannot be read.
    static func raiseToHard() -> Int? {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            #if canImport(Darwin)
                // macOS refuses a soft limit above OPEN_MAX with an unlimited hard one.
                raised.rlim_cur = min(limit.rlim_max, rlim_t(OPEN_MAX))
            #endif
            if setrlimit(resourceNoFile, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY is the largest value: no limit
    }

    /// The connections that leave half of `descriptors` for the database, tailed files and the runtime.
    static func connectionBudget(descriptors: Int) -> Int {
        max(1, descriptors / 2)
    }

    #if canImport(Glibc)
        private static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resourceNoFile = RLIMIT_NOFILE
    #endif
}
