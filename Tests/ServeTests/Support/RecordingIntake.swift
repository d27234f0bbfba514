import Synchronization
import TraceJoinCore

/// An intake that keeps every body it is given and answers what the test scripted.
///
/// Honest here: these tests are about the HTTP contract (what reaches the intake, what the exporter hears);
/// decoding and committing are tested with the real database elsewhere.
final class RecordingIntake: OTLPIntake {
    struct Submission: Sendable, Equatable {
        var body: [UInt8]
        var signal: OTLPSignal
        var encoding: OTLPBodyEncoding
    }

    private let state: Mutex<(submissions: [Submission], readiness: IntakeReadiness)>
    private let outcome: @Sendable (Submission) -> OTLPIntakeOutcome

    init(
        readiness: IntakeReadiness = IntakeReadiness(isReady: true, detail: "database writable; queue 0/10 batches"),
        outcome: @escaping @Sendable (Submission) -> OTLPIntakeOutcome = { _ in
            .stored(accepted: 1, rejected: 0, rejectionMessage: nil)
        }
    ) {
        state = Mutex((submissions: [], readiness: readiness))
        self.outcome = outcome
    }

    var submissions: [Submission] { state.withLock { $0.submissions } }

    /// How many bodies arrived; for "never reached the intake", without printing a body if one did.
    var submissionCount: Int { state.withLock { $0.submissions.count } }

    func setReadiness(_ readiness: IntakeReadiness) {
        state.withLock { $0.readiness = readiness }
    }

    func submit(_ body: [UInt8], signal: OTLPSignal, encoding: OTLPBodyEncoding) async -> OTLPIntakeOutcome {
        let submission = Submission(body: body, signal: signal, encoding: encoding)
        state.withLock { $0.submissions.append(submission) }
        return outcome(submission)
    }

    func readiness() -> IntakeReadiness {
        state.withLock { $0.readiness }
    }
}
