import Dispatch
import Rules
import Store
import TraceJoinCore

/// Summarises the traces `batch` has written while it writes the rest (issue #16): the grouped writes are one
/// thread's work, and this uses some of the other core for the traces left dirty (those that gained rows, or could
/// not be summarised from their group), instead of leaving them all to a summary pass after.
///
/// A trace is written whole before the next, so one that is dirty and committed has all its rows, except a
/// trace longer than a batch: it is read half-written, and the rows that come after bump its revision, so the
/// summary saved from that read leaves it dirty, to be summarised again (``IncidentStore/saveSummaries(_:classifications:)``).
final class BackgroundSummaries: @unchecked Sendable {
    private let wakeup = ThreadWakeup()
    private let ended = DispatchSemaphore(value: 0)
    private var failure: (any Error)?
    private let workerCPU = CPUTally()
    private var threadCPU = 0.0

    /// How long the thread waits when nothing was dirty.
    static let idle = Duration.milliseconds(20)

    init(store: IncidentStore, classifier: Classifier, clock: any ThreadClock = SystemThreadClock()) {
        DedicatedThread.start(named: "tj-summaries") { [self] in
            let started = ThreadCPUTime.now()
            do {
                while !wakeup.isRung {
                    // Merging Datadog-only traces is a write transaction over all of them: every 20 ms, it kept the
                    // writer waiting. The summary pass after merges them once.
                    let done = try TraceFinalizer.finalizeDirtyTraces(
                        in: store, classifier: classifier, threads: 1, mergingLower64: false, stopping: { wakeup.isRung },
                        workerCPU: workerCPU)
                    if done == 0 { clock.sleep(for: Self.idle, unless: wakeup) }
                }
            } catch {
                failure = error
            }
            threadCPU = ThreadCPUTime.now() - started
            ended.signal()
        }
    }

    /// CPU seconds it used: its thread (saving) and the workers that read and assembled (read after ``stop()``).
    var cpuSeconds: Double { threadCPU + workerCPU.seconds }

    /// Stops after the chunk being summarised (the summary pass after does the rest), and throws what stopped it
    /// early, if anything did.
    func stop() throws {
        wakeup.ring()
        ended.wait()
        if let failure { throw failure }
    }
}
