import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGTERM, SIGINT and SIGHUP for `serve`, `tail` and `ui`, taken from (almost) the first instant after exec, so a
/// signal at any moment gets the documented answer (shut down gracefully, exit 0; reload the rules) and not
/// the default action (SIGTERM used to end a starting `serve` with 143, SIGHUP with 129).
///
/// Why the service group's own signal handling was not enough: its libdispatch sources exist only once
/// `group.run()` starts, a second or so after exec, and blocking the signals until then does not do it on
/// Linux either, because the async `main` hands the main thread to `dispatch_main`, which parks it in
/// `sigsuspend` with an empty mask: an early signal reaches it there with the default action. So the
/// signals are blocked at load time (`blockServiceSignalsAtLoad`, before `main` and before any thread) and
/// the sources are made first thing in `main`, which waits for them to register before it goes on. A
/// signal sent meanwhile stays pending, and libdispatch reads it from a `signalfd`, which also returns
/// signals that became pending before it was opened. Once registered, libdispatch's handler forwards a
/// signal that lands on the parked main thread to its own thread, and the source sees every one. Left:
/// the few milliseconds in which the dynamic loader maps the libraries, before any of our code runs.
///
/// A shutdown request that comes before the command has a service group is kept, and handed over when
/// the command calls `onShutdown`; a SIGHUP before the rules are in force, likewise, becomes one reload.
/// Only `serve`, `tail` and `ui` take the signals: for `batch`, Ctrl-C keeps its default action. The blocked
/// signals would be inherited by child processes; tracejoin starts none.
final class ServiceSignals: @unchecked Sendable {
    /// Made (and the signals taken) on first use: `TraceJoinMain` uses it first thing for `serve`, `tail` and `ui`.
    static let shared = ServiceSignals()

    private static let taken: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Reloads run here, so a slow one never holds up a SIGTERM behind it on the signal queue.
    private let reloadQueue = DispatchQueue(label: "tracejoin.sighup")
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var shutdownAction: (@Sendable (String) -> Void)?
    private var hangUpAction: (@Sendable () -> Void)?
    /// The signal that asked for a shutdown before there was an action for it.
    private var shutdownRequested: String?
    private var hangUpPending = false

    private init() {
        Self.blockOnCallingThread()  // again: a no-op after the load-time block, kept where that cannot run
        let queue = DispatchQueue(label: "tracejoin.signals")
        let registered = DispatchGroup()
        for signal in Self.taken {
            #if canImport(Darwin)
                Darwin.signal(signal, SIG_IGN)  // kqueue reports a signal without stopping its default action
            #endif
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler { [self] in received(signal) }
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            sources.append(source)
        }
        // Registration takes microseconds; the bound only keeps a broken libdispatch from hanging startup.
        _ = registered.wait(timeout: .now() + .seconds(5))
    }

    /// Takes the signals now when `arguments` (as `CommandLine.arguments`) run `serve`, `tail` or `ui`.
    static func takeIfRunningServices(arguments: [String]) {
        guard arguments.count > 1, arguments[1].withCString(runsServices) else { return }
        _ = shared
    }

    /// Whether `command` (argv[1]) is `serve`, `tail` or `ui`, the subcommands that run a service group. C calls
    /// only: it also runs at load time.
    static func runsServices(_ command: UnsafePointer<CChar>) -> Bool {
        strcmp(command, "serve") == 0 || strcmp(command, "tail") == 0 || strcmp(command, "ui") == 0
    }

    /// Blocks SIGTERM, SIGINT and SIGHUP on the calling thread. C calls only: it also runs at load time.
    static func blockOnCallingThread() {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGINT)
        sigaddset(&blocked, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
    }

    /// SIGTERM and SIGINT call `action` with the signal's name, at once if one already came.
    func onShutdown(_ action: @escaping @Sendable (String) -> Void) {
        let earlier = lock.withLock { () -> String? in
            shutdownAction = action
            return shutdownRequested
        }
        if let earlier { action(earlier) }
    }

    /// SIGHUP calls `action` (on a queue of its own), at once if one came while there was none; nil stops
    /// calling.
    func onHangUp(_ action: (@Sendable () -> Void)?) {
        let pending = lock.withLock { () -> Bool in
            hangUpAction = action
            defer { hangUpPending = false }
            return hangUpPending && action != nil
        }
        if pending, let action { reloadQueue.async(execute: action) }
    }

    private func received(_ signal: Int32) {
        if signal == SIGHUP {
            let action = lock.withLock { () -> (@Sendable () -> Void)? in
                if hangUpAction == nil { hangUpPending = true }
                return hangUpAction
            }
            if let action { reloadQueue.async(execute: action) }
        } else {
            let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
            let action = lock.withLock { () -> (@Sendable (String) -> Void)? in
                if shutdownAction == nil, shutdownRequested == nil { shutdownRequested = name }
                return shutdownAction
            }
            action?(name)
        }
    }
}

#if os(Linux)
    /// Blocks the signals for `serve`, `tail` and `ui` while the process loads, before `main` and before any thread
    /// exists, so every thread inherits the mask: glibc calls each `.init_array` entry with argc and argv.
    @section(".preinit_array") @used
    private let blockServiceSignalsAtLoad:
        @convention(c) (
            Int32, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
            UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        ) -> Void = { argc, argv, _ in
            guard argc > 1, let command = argv?[1], ServiceSignals.runsServices(command) else { return }
            ServiceSignals.blockOnCallingThread()
        }
#endif
