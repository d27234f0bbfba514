import Logging
import Synchronization

/// A swift-log handler that keeps the messages, to check what an operator would read.
struct CapturingLogHandler: LogHandler {
    final class Messages: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    let messages: Messages
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        messages.append("\(event.level): \(event.message)")
    }
}
