import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection to 127.0.0.1 driven byte by byte, for what an HTTP client library hides: a request
/// head that never ends, an HTTP/1.0 request, waiting for the server to close.
///
/// Its waits block a thread. From async tests use the `async` forms, which wait on a thread of their own:
/// blocking the few threads of Swift's cooperative pool would stall the server under test when it runs in
/// the same process (Hummingbird answers requests on that pool).
package final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32

    /// Connects without blocking; `write` and `waitForEOF` wait for the connection to be made.
    package init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 || errno == EINPROGRESS else {
            let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// Writes `text` once the connection is made; false if it was not made within `seconds` or the write
    /// failed.
    @discardableResult
    package func write(_ text: String, within seconds: Double = 5) -> Bool {
        guard wait(for: Int16(POLLOUT), seconds: seconds) else { return false }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            == bytes.count
    }

    /// Reads until the server closes (EOF, or a reset) or `seconds` pass; what was read, and whether it was closed.
    package func readUntilClosed(within seconds: Double) -> (bytes: [UInt8], closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, wait(for: Int16(POLLIN), seconds: left) else { return (received, false) }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                return (received, true)
            }
        }
    }

    /// ``write(_:within:)`` waiting on a thread of its own.
    @discardableResult
    package func write(_ text: String, within seconds: Double = 5) async -> Bool {
        await Self.onOwnThread { self.write(text, within: seconds) }
    }

    /// ``readUntilClosed(within:)`` waiting on a thread of its own.
    package func readUntilClosed(within seconds: Double) async -> (bytes: [UInt8], closed: Bool) {
        await Self.onOwnThread { self.readUntilClosed(within: seconds) }
    }

    private static func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// Whether the server has closed the connection by now, without waiting.
    package var isClosedByServer: Bool { readUntilClosed(within: 0.001).closed }

    private func wait(for events: Int16, seconds: Double) -> Bool {
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        let ready = poll(&entry, 1, Int32(max(1, min(seconds, 3600) * 1000)))
        return ready > 0
    }
}
