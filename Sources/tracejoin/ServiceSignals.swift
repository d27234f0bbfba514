import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps SIGTERM, SIGINT and SIGHUP pending from the first instruction of a long-running command until its
/// service group (and the SIGHUP rule reload) take them, so a signal at any moment after exec gets the
/// documented answer instead of the default action (SIGTERM at startup used to end `serve` with 143).
///
/// Why blocking works on Linux: libdispatch, under swift-service-lifecycle's `UnixSignalsSequence`, receives
/// signals through a `signalfd`, and a signalfd also reads signals that became pending before it was made;
/// libdispatch wants the signals blocked in every thread anyway, or a thread that does not block them takes
/// them the old way. Threads inherit the mask of the thread that creates them, so the mask is set on the
/// main thread before the command creates any (the runtime's cooperative pool, NIO's event loops, the
/// tailer's threads).
///
/// Only `serve` and `tail` block them: a batch command has no one to take a blocked SIGINT, and Ctrl-C must
/// still stop it at once. The mask is inherited by child processes too; tracejoin starts none.
enum ServiceSignals {
    /// The signals the long-running commands answer.
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// The subcommands that run a service group and so take the handled signals.
    static let commandNames = Set(
        [ServeCommand.configuration.commandName, TailCommand.configuration.commandName].compactMap { $0 })

    /// Blocks the handled signals on the calling thread when `arguments` (as `CommandLine.arguments`) run
    /// `serve` or `tail`; call it first thing in main, while the main thread is the only one.
    static func blockIfRunningServices(arguments: [String]) {
        guard arguments.count > 1, commandNames.contains(arguments[1]) else { return }
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
