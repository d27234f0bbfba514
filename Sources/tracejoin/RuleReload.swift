import Foundation
import Logging
import Pipeline

/// SIGHUP: load the rule files again and, if the whole set loads, put it in force in `rulesInForce` (the holder
/// every part of the command takes its rules from); a bad set is refused with its diagnostics on standard error
/// and the rules in force stay. A SIGHUP that came before (while the command was starting) is answered at once.
struct RuleReload: Sendable {
    init(rules: RuleOptions, logger: Logger, into rulesInForce: RulesInForce) {
        ServiceSignals.shared.onHangUp {
            logger.info("SIGHUP: reloading rule files")
            guard let snapshot = try? rules.loadSnapshot() else {
                logger.error("SIGHUP: the rule set was refused (diagnostics above); the rules in force stay")
                return
            }
            rulesInForce.replace(snapshot)
            logger.notice("SIGHUP: new rules in force", metadata: ["digest": "\(snapshot.digest.prefix(12))"])
        }
    }

    /// Stops reloading: later SIGHUPs wait for the next `RuleReload`, if any.
    func cancel() { ServiceSignals.shared.onHangUp(nil) }
}

extension RuleOptions {
    /// Every kind of rule, loaded together; a bad set prints its diagnostics and throws exit status 78.
    func loadSnapshot() throws -> RulesInForce.Snapshot {
        RulesInForce.Snapshot(
            scrubber: try loadScrubber(), classifier: try loadClassifier(),
            traceContextPatterns: try loadTraceContextPatterns())
    }
}

/// Tells which files a tail follows, once, after its first poll.
final class FollowReport: @unchecked Sendable {
    private let report: @Sendable ([String]) -> Void
    private let lock = NSLock()
    private var reported = false

    init(report: @escaping @Sendable ([String]) -> Void) {
        self.report = report
    }

    /// Through `logger`, at info level.
    convenience init(logger: Logger) {
        self.init { paths in
            logger.info("tail: following \(paths.count) file(s)", metadata: ["files": "\(paths.joined(separator: ", "))"])
        }
    }

    var callback: @Sendable (TailRunner) -> Void {
        { [self] runner in
            let first = lock.withLock { () -> Bool in
                defer { reported = true }
                return !reported
            }
            if first { report(runner.followedPaths) }
        }
    }
}
