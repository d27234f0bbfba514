import Foundation
package import TraceJoinCore

/// A ``ThreadClock`` that stands still until a test moves it, for driving dedicated threads without
/// sleeping: ``advance(by:)`` wakes the threads whose sleep has run out and returns once each is asleep again
/// (its pass done) or has ended, so the test then checks what the pass did, with no deadline.
///
/// ```swift
/// let clock = ManualThreadClock()
/// component.start()                      // a thread that sleeps `interval` between passes
/// await clock.sleepers(atLeast: 1)       // it reached its first sleep
/// await clock.advance(by: interval)      // one pass has run
/// ```
///
/// A component that does not sleep on the clock never lets these calls return: give such tests a time limit
/// (`.timeLimit(.minutes(1))`), which cancels the wait and fails the test.
package final class ManualThreadClock: ThreadClock, @unchecked Sendable {
    private struct Sleeper {
        var deadline: Duration
        var wakeup: ThreadWakeup
    }

    private struct Waiter {
        var isSatisfied: (State) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Duration = .zero
        var sleepers: [Int: Sleeper] = [:]
        var nextToken = 0

        var dueCount: Int { sleepers.values.filter { $0.deadline <= now }.count }
    }

    private let lock = NSLock()
    private var state = State()
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiter = 0
    private let startWallNanos: Int64

    /// `wallNanos` starts at `startWallNanos` (default: the real time now) and moves with ``elapsed``.
    package init(startWallNanos: Int64 = SystemThreadClock().wallNanos) {
        self.startWallNanos = startWallNanos
    }

    package var elapsed: Duration { lock.withLock { state.now } }

    package var wallNanos: Int64 { startWallNanos + elapsed.inNanoseconds }

    /// Threads asleep on this clock now.
    package var sleeperCount: Int { lock.withLock { state.sleepers.count } }

    @discardableResult
    package func sleep(for duration: Duration, unless wakeup: ThreadWakeup) -> Bool {
        let (token, deadline) = update { state in
            defer { state.nextToken += 1 }
            let deadline = state.now + duration
            state.sleepers[state.nextToken] = Sleeper(deadline: deadline, wakeup: wakeup)
            return (state.nextToken, deadline)
        }
        let rung = wakeup.wait(while: { self.elapsed < deadline }, until: nil)
        update { state in state.sleepers[token] = nil }
        return rung
    }

    /// Moves the time on by `duration`, wakes the sleepers whose deadline it reaches, and returns once none
    /// is due any more and at least as many threads sleep as before (each woken one did its work and went
    /// back to sleep; one that ends instead leaves the count lower: use ``sleepers(atLeast:)`` then).
    package func advance(by duration: Duration) async {
        let (before, woken) = update { state in
            state.now += duration
            return (state.sleepers.count, state.sleepers.values.filter { $0.deadline <= state.now }.map(\.wakeup))
        }
        for wakeup in woken { wakeup.poke() }
        await until { $0.dueCount == 0 && $0.sleepers.count >= before }
    }

    /// Returns once at least `count` threads sleep on this clock, none of them due (for instance once a
    /// component just started has reached its first sleep).
    package func sleepers(atLeast count: Int) async {
        await until { $0.dueCount == 0 && $0.sleepers.count >= count }
    }

    // MARK: - Waiting for the sleepers

    /// Returns once `isSatisfied` holds, or the task is cancelled (by a test's time limit, say).
    private func until(_ isSatisfied: @escaping (State) -> Bool) async {
        let id = lock.withLock {
            defer { nextWaiter += 1 }
            return nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = lock.withLock {
                    if isSatisfied(state) || Task.isCancelled { return true }
                    waiters[id] = Waiter(isSatisfied: isSatisfied, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            lock.withLock { waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    /// Changes the state and resumes the waiters it satisfies.
    private func update<Result>(_ change: (inout State) -> Result) -> Result {
        let (result, satisfied) = lock.withLock {
            let result = change(&state)
            let satisfied = waiters.filter { $0.value.isSatisfied(state) }
            for id in satisfied.keys { waiters[id] = nil }
            return (result, satisfied.values.map(\.continuation))
        }
        for continuation in satisfied { continuation.resume() }
        return result
    }
}
