import Foundation
import TraceJoinCore

/// A second thread that scrubs half of each large batch while the thread that decoded it scrubs the other
/// half (``RecordIntake/scrub(with:helper:)``).
///
/// Scrubbing is the longest stage of decoding: 24 of the decoder thread's 41 s of CPU on the 1 GB benchmark
/// (issue #16). Each half is scrubbed in order and put back in place, so records, counts and order are those of
/// one loop; the scrubbed text of a value depends on the value alone (docs/rules.md), not on the thread or its
/// caches. The thread is made once and reused, so its per-thread rule caches stay warm.
package final class ScrubHelper: @unchecked Sendable {
    /// Fewer records waiting than this are scrubbed on the calling thread alone: handing work over costs a
    /// wakeup of each thread.
    package static let smallestSplit = 256

    private let condition = NSCondition()
    private var work: (@Sendable () -> Void)?
    private var busy = false
    private var stopping = false
    private var cpu = 0.0

    package init(name: String = "tj-scrub") {
        DedicatedThread.start(named: name) { [self] in run() }
    }

    /// Ends the thread once it is idle; scrubbing with it afterwards is a programming error.
    package func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    /// CPU seconds the thread spent on work so far.
    package var cpuSeconds: Double { condition.withLock { cpu } }

    /// Runs `body` on the helper thread while the caller runs `alongside`; returns both results once both ended.
    func run<Other, Own>(_ body: @escaping @Sendable () -> Other, alongside: () -> Own) -> (Own, Other) {
        let box = ResultBox<Other>()
        condition.withLock {
            precondition(!busy && !stopping, "one split at a time, before stop()")
            busy = true
            work = { box.value = body() }
            condition.broadcast()
        }
        let own = alongside()
        condition.withLock {
            while busy { condition.wait() }
        }
        return (own, box.value!)
    }

    private func run() {
        while true {
            let next: (@Sendable () -> Void)? = condition.withLock {
                while work == nil, !stopping { condition.wait() }
                defer { work = nil }
                return work
            }
            guard let next else { return }
            let started = ThreadCPUTime.now()
            next()
            let used = ThreadCPUTime.now() - started
            condition.withLock {
                cpu += used
                busy = false
                condition.broadcast()
            }
        }
    }
}

extension ScrubHelper {
    /// `body` over `range`, in one call on this thread, or, with a `helper` and at least ``smallestSplit``
    /// indices, over the range's two halves at once: the second on the helper's thread. The results are in the
    /// order of their halves.
    static func split<Part>(
        _ range: Range<Int>, over helper: ScrubHelper?, _ body: @escaping @Sendable (Range<Int>) -> Part
    ) -> [Part] {
        guard let helper, range.count >= smallestSplit else { return [body(range)] }
        let middle = range.lowerBound + range.count / 2
        let (first, second) = helper.run { body(middle..<range.upperBound) } alongside: {
            body(range.lowerBound..<middle)
        }
        return [first, second]
    }
}

/// Carries one result from the helper thread back; the helper's lock orders the write before the read.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
