import Foundation

/// A blocking first-in first-out queue with a fixed capacity, between the decoding thread and the
/// writing thread. A full queue blocks the producer, which is what keeps memory bounded.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    private let capacity: Int
    /// Nanoseconds producers and consumers spent waiting, for the benchmark's phase breakdown.
    private(set) var pushWaitNanos: UInt64 = 0
    private(set) var popWaitNanos: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds an element, waiting while the queue is full. Returns false once the queue is closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if items.count >= capacity && !closed {
            let start = DispatchTime.now().uptimeNanoseconds
            while items.count >= capacity && !closed { condition.wait() }
            pushWaitNanos += DispatchTime.now().uptimeNanoseconds - start
        }
        guard !closed else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// The next element, waiting while the queue is empty; nil once closed and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        if items.isEmpty && !closed {
            let start = DispatchTime.now().uptimeNanoseconds
            while items.isEmpty && !closed { condition.wait() }
            popWaitNanos += DispatchTime.now().uptimeNanoseconds - start
        }
        guard !items.isEmpty else { return nil }
        let element = items.removeFirst()
        condition.broadcast()
        return element
    }

    /// No more elements will be pushed; waiting consumers drain what is left, then get nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
