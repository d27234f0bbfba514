package import Foundation

/// Cuts a dedicated thread's sleep short: rung once (to stop), it stays rung, so every later sleep on it
/// returns at once too.
///
/// A ``ThreadClock`` sleeps on it; a manual clock also pokes it when its time moves, so a sleeper whose
/// deadline has come wakes without being rung.
package final class ThreadWakeup: @unchecked Sendable {
    private let condition = NSCondition()
    private var rung = false

    package init() {}

    /// Wakes every sleeper, now and later.
    package func ring() {
        condition.withLock {
            rung = true
            condition.broadcast()
        }
    }

    package var isRung: Bool { condition.withLock { rung } }

    /// Wakes the sleepers without ringing, so they look at their clock again.
    package func poke() {
        condition.withLock { condition.broadcast() }
    }

    /// Blocks while `stillWaiting()` holds, until rung or `deadline` (nil: none). Returns `isRung`.
    ///
    /// `stillWaiting` is called with the wakeup's lock held, so a clock that changes what it answers and
    /// then calls ``poke()`` never loses the wakeup.
    package func wait(while stillWaiting: () -> Bool, until deadline: Date?) -> Bool {
        condition.withLock {
            while !rung, stillWaiting() {
                if let deadline {
                    if !condition.wait(until: deadline) { break }
                } else {
                    condition.wait()
                }
            }
            return rung
        }
    }
}
