import Foundation
import Logging
import Store
import TraceJoinCore

/// Summarises traces once they have gone idle, on a thread of its own: every `finalizeInterval`, the dirty
/// traces no row has reached for `traceIdle` (``TraceFinalizer/finalizeIdleTraces(in:classifier:idle:now:chunk:)``);
/// when stopped, every dirty trace, idle or not, since nothing more will arrive. Both times are read from an
/// injected ``ThreadClock`` (manual in tests).
///
/// Keeps no per-trace state: the open traces are the dirty rows of `traces`, so memory does not grow with
/// the number of traces in flight. It summarises whatever is dirty, whoever wrote it, so one finalizer
/// covers `serve` and a `tail` in the same process (`TailRunConfiguration.finalizesTraces = false`).
final class IdleTraceFinalizer: @unchecked Sendable {
    private let store: IncidentStore
    private let rules: RulesInForce
    private let configuration: StreamConfiguration
    private let metrics: StreamMetrics
    private let logger: Logger
    private let clock: any ThreadClock
    /// Rung when stopping: ends the thread's sleep between passes at once.
    private let stopping = ThreadWakeup()
    private let completion = ThreadCompletion()
    private let lock = NSLock()
    private var started = false

    init(
        store: IncidentStore, rules: RulesInForce, configuration: StreamConfiguration, metrics: StreamMetrics,
        logger: Logger, clock: any ThreadClock
    ) {
        self.store = store
        self.rules = rules
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Starts the thread (once).
    func start() {
        let first = lock.withLock {
            defer { started = true }
            return !started
        }
        guard first else { return }
        DedicatedThread.start(named: "tj-finalizer") { [self] in
            while !clock.sleep(for: configuration.finalizeInterval, unless: stopping) {
                finalizeIdle()
            }
            completion.finish(Result { try finalizeEverything() })
        }
    }

    /// Stops the passes, summarises every dirty trace, and returns when done (throws what that threw).
    /// Call it after the writers have drained, so their last rows are included.
    func finish() async throws {
        start()
        stopping.ring()
        try await completion.wait()
    }

    /// One pass; a failure is logged and the next pass tries again (the traces stay dirty).
    private func finalizeIdle() {
        do {
            let summarised = try TraceFinalizer.finalizeIdleTraces(
                in: store, classifier: rules.current.classifier, idle: configuration.traceIdle,
                now: clock.wallNanos)
            let open = try store.dirtyTraceCount()
            metrics.recordOpenTraces(open)
            if summarised > 0 {
                logger.debug("summarised idle traces", metadata: ["traces": "\(summarised)", "open": "\(open)"])
            }
        } catch {
            logger.error(
                "summarising idle traces failed; they stay open and are tried again", metadata: ["error": "\(error)"])
        }
    }

    private func finalizeEverything() throws {
        try TraceFinalizer.finalizeDirtyTraces(in: store, classifier: rules.current.classifier)
        metrics.recordOpenTraces(try store.dirtyTraceCount())
    }
}
