import Foundation
package import Normalize
package import Rules
package import TraceJoinCore

/// The rules `serve` applies right now, swapped whole on SIGHUP without stopping the receiver.
///
/// Each request takes one ``Snapshot`` when it starts and uses it to the end, so a reload never mixes two
/// rule sets inside one request. The CLI loads and checks a new set first and calls ``replace(_:)`` only
/// when it is valid, so a broken rule file leaves the running set in force.
///
/// The one holder of `serve`'s rules: what else applies them (the tail runner of `serve --tail`) follows it
/// with ``follow(_:)``, so a reload cannot put a set in force for the OTLP path and miss the tailed files.
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
    private var followers: [@Sendable (Snapshot) -> Void] = []

    package init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
    }

    /// The set in force now.
    package var current: Snapshot { lock.withLock { snapshot } }

    /// Puts `snapshot` in force for every request that starts from now on, and hands it to every follower.
    package func replace(_ snapshot: Snapshot) {
        let followers = lock.withLock {
            self.snapshot = snapshot
            return self.followers
        }
        for follower in followers { follower(snapshot) }
    }

    /// Calls `follower` with each set put in force from now on; `current` is the set in force until then.
    package func follow(_ follower: @escaping @Sendable (Snapshot) -> Void) {
        lock.withLock { followers.append(follower) }
    }
}
