import Foundation
package import Normalize
package import Rules
package import TraceJoinCore

/// The rules `serve` and `tail` apply right now, swapped whole on SIGHUP without stopping them.
///
/// Each OTLP request takes one ``Snapshot`` when it starts and uses it to the end, and a ``TailRunner`` takes
/// one at the start of each poll, so a reload never mixes two rule sets inside one request or poll. The CLI
/// loads and checks a new set first and calls ``replace(_:)`` only when it is valid, so a broken rule file
/// leaves the running set in force.
///
/// The one holder of the rules: `serve --tail` hands the same one to its receiver and its tail runner, so a
/// reload cannot put a set in force for the OTLP path and miss the tailed files. `batch`, which reloads nothing,
/// takes a ``Snapshot``.
package final class RulesInForce: @unchecked Sendable {
    /// One consistent set: scrubbing, classification and trace-context extraction.
    package struct Snapshot: Sendable {
        package var scrubber: any RecordScrubber
        package var classifier: Classifier
        package var traceContextPatterns: [TraceContextPattern]

        package init(
            scrubber: any RecordScrubber = PassThroughScrubber(), classifier: Classifier = .builtIn,
            traceContextPatterns: [TraceContextPattern] = TraceContextRules.builtIn
        ) {
            self.scrubber = scrubber
            self.classifier = classifier
            self.traceContextPatterns = traceContextPatterns
        }

        /// The digest of every rule in the set, as recorded with a run.
        package var digest: String {
            TraceContextRules.combinedDigest(
                scrubbing: scrubber.digest, classification: classifier.digest,
                extraction: TraceContextRules.digest(traceContextPatterns))
        }
    }

    private let lock = NSLock()
    private var snapshot: Snapshot
    private var version = 0

    package init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
    }

    /// The set in force now.
    package var current: Snapshot { lock.withLock { snapshot } }

    /// The set in force now, and its version: 0 for the set the holder was made with, one more per ``replace(_:)``.
    package var currentVersion: (snapshot: Snapshot, version: Int) { lock.withLock { (snapshot, version) } }

    /// Puts `snapshot` in force for every request and poll that starts from now on.
    package func replace(_ snapshot: Snapshot) {
        lock.withLock {
            self.snapshot = snapshot
            version += 1
        }
    }
}
