import Dispatch
import Foundation
import Logging
import Pipeline

/// SIGHUP: load the rule files again and, if the whole set loads, put it in force; a bad set is refused
/// with its diagnostics on standard error and the rules in force stay.
final class RuleReload: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(rules: RuleOptions, logger: Logger, apply: @escaping @Sendable (RulesInForce.Snapshot) -> Void) {
        #if canImport(Darwin)
            // kqueue reports a signal without stopping its default action (exit): ignore it. On Linux it is
            // blocked from the start (`ServiceSignals`) and read from a signalfd; setting SIG_IGN there would
            // discard a SIGHUP that arrived before this source.
            signal(SIGHUP, SIG_IGN)
        #endif
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "tracejoin.sighup"))
        source.setEventHandler {
            logger.info("SIGHUP: reloading rule files")
            guard let snapshot = try? rules.loadSnapshot() else {
                logger.error("SIGHUP: the rule set was refused (diagnostics above); the rules in force stay")
                return
            }
            apply(snapshot)
            logger.notice("SIGHUP: new rules in force", metadata: ["digest": "\(snapshot.digest.prefix(12))"])
        }
        source.resume()
    }

    func cancel() { source.cancel() }
}

extension RuleOptions {
    /// Every kind of rule, loaded together; a bad set prints its diagnostics and throws exit status 78.
    func loadSnapshot() throws -> RulesInForce.Snapshot {
        RulesInForce.Snapshot(
            scrubber: try loadScrubber(), classifier: try loadClassifier(),
            traceContextPatterns: try loadTraceContextPatterns())
    }
}

extension TailRunConfiguration {
    /// Takes the rules of `snapshot`.
    mutating func apply(_ snapshot: RulesInForce.Snapshot) {
        scrubber = snapshot.scrubber
        classifier = snapshot.classifier
        traceContextPatterns = snapshot.traceContextPatterns
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
