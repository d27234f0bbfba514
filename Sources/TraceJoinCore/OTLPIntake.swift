/// Which OTLP export a request carries: `POST /v1/traces` or `POST /v1/logs`.
package enum OTLPSignal: String, Sendable, CaseIterable {
    case traces, logs
}

/// How an OTLP/HTTP request body is encoded (`Content-Type`).
package enum OTLPBodyEncoding: String, Sendable {
    /// `application/x-protobuf`
    case protobuf
    /// `application/json`
    case json
}

/// What became of one OTLP export request.
package enum OTLPIntakeOutcome: Sendable, Equatable {
    /// The body decoded; every accepted record is committed to the database (scrubbed) before this is
    /// returned. `rejected` records were invalid and are kept in the rejects table; `rejectionMessage`
    /// says why (the first reason, with a count), for the response's `partial_success`.
    case stored(accepted: Int, rejected: Int, rejectionMessage: String?)
    /// The body is not a valid export request: answer 400 with this message (never the body's bytes).
    case undecodable(message: String)
    /// The write queue is full: answer 503 with `Retry-After`, so the exporter retries later.
    case overloaded(retryAfterSeconds: Int)
    /// The database cannot be written (or the intake is shutting down): answer 503.
    case unavailable(message: String)
}

/// Whether an intake can take more work, for `GET /readyz`.
package struct IntakeReadiness: Sendable, Equatable {
    package var isReady: Bool
    /// Why not, or what was checked: "database writable; queue 12/2000 batches".
    package var detail: String

    package init(isReady: Bool, detail: String) {
        self.isReady = isReady
        self.detail = detail
    }
}

/// Where the OTLP/HTTP receiver (`Serve`) hands request bodies: decodes, scrubs, queues and commits them.
/// `Pipeline` implements it, so the receiver knows HTTP and nothing of the stages behind it.
package protocol OTLPIntake: Sendable {
    /// Decodes `body` (already decompressed, within the size limit) and stores its records.
    /// Returns once they are committed, or at once when the queue is full.
    func submit(_ body: [UInt8], signal: OTLPSignal, encoding: OTLPBodyEncoding) async -> OTLPIntakeOutcome
    /// Database writable and queues below their limits.
    func readiness() -> IntakeReadiness
}
