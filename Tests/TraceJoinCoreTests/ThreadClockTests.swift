import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The clocks of the dedicated threads: a wakeup cuts a sleep short; a manual clock wakes a sleeper exactly
/// when its time has come and reports when the thread has reacted.
@Suite struct ThreadClockTests {
    /// A thread that sleeps `interval` between passes on `clock` until `stop` rings, counting its passes.
    final class Ticker: @unchecked Sendable {
        let lock = NSLock()
        var passes = 0
        let stop = ThreadWakeup()
        let ended = DispatchSemaphore(value: 0)

        init(clock: any ThreadClock, interval: Duration) {
            DedicatedThread.start(named: "tj-test-ticker") { [self] in
                while !clock.sleep(for: interval, unless: stop) { lock.withLock { passes += 1 } }
                ended.signal()
            }
        }

        var count: Int { lock.withLock { passes } }
    }

    @Test("a rung wakeup ends a system-clock sleep at once, and every later one")
    func wakeupEndsSleep() {
        let wakeup = ThreadWakeup()
        let clock = SystemThreadClock()
        let slept = DispatchSemaphore(value: 0)
        DedicatedThread.start(named: "tj-test-sleep") {
            if clock.sleep(for: .seconds(3_600), unless: wakeup) { slept.signal() }
        }
        wakeup.ring()
        slept.wait()
        #expect(clock.sleep(for: .seconds(3_600), unless: wakeup))
        #expect(!clock.sleep(for: .milliseconds(1), unless: ThreadWakeup()), "a sleep that runs out was not rung")
    }

    @Test(
        "a manual clock wakes a sleeper only once its interval has passed, and advance returns after its pass",
        .timeLimit(.minutes(1)))
    func manualClockDrivesAThread() async {
        let clock = ManualThreadClock(startWallNanos: 1_000_000_000)
        let ticker = Ticker(clock: clock, interval: .seconds(10))
        await clock.sleepers(atLeast: 1)
        await clock.advance(by: .seconds(9))
        #expect(ticker.count == 0)
        await clock.advance(by: .seconds(1))
        #expect(ticker.count == 1)
        await clock.advance(by: .seconds(25))  // one pass: the next sleep starts from the new time
        #expect(ticker.count == 2)
        #expect(clock.elapsed == .seconds(35))
        #expect(clock.wallNanos == 36_000_000_000)
        ticker.stop.ring()
        ticker.ended.wait()
        #expect(clock.sleeperCount == 0)
        #expect(ticker.count == 2)
    }
}
