import Foundation
import Store
package import TraceJoinCore

/// The `OTLPIntake` behind `tracejoin serve`: decodes a request body, passes its records through a
/// ``RecordIntake`` (scrubbed with the rules in force, counted), hands them to the ``StreamWriter`` and answers
/// once they are committed.
///
/// Received records need a place in the store like lines of a file. Each signal has a `sources` row of its
/// own, registered when the intake is made (`otlp-http /v1/traces`, `otlp-http /v1/logs`; a new pair per
/// start, so positions never collide with an earlier run's), and each request takes the next sequence number
/// as its position (`byte_offset`), its records numbered within it (`ordinal`): that is where rejects are
/// kept. Spans are unique by their IDs and log records by their content (``ReceivedLogKey``, one long-lived
/// source), so an exporter's retry of a request that did commit stores nothing twice.
package final class StreamIntake: OTLPIntake, @unchecked Sendable {
    private let writer: StreamWriter
    private let rules: RulesInForce
    private let metrics: StreamMetrics
    private let sources: [OTLPSignal: Int64]
    /// Where accepted log records go, at positions from their content (``ReceivedLogKey``): one row for
    /// every run, so a record received again, even after a restart, is stored once.
    private let receivedLogs: Int64
    private let lock = NSLock()
    private var lastSequence: Int64 = 0
    /// Estimated bytes of the requests between arrival and answer (``StreamConfiguration/inFlightBytes``).
    private var inFlightBytes = 0
    private let inFlightLimit: Int
    private let retryAfterSeconds: Int

    init(
        store: IncidentStore, writer: StreamWriter, rules: RulesInForce, metrics: StreamMetrics,
        configuration: StreamConfiguration = StreamConfiguration()
    ) throws {
        self.writer = writer
        inFlightLimit = configuration.inFlightBytes
        retryAfterSeconds = configuration.retryAfterSeconds
        self.rules = rules
        self.metrics = metrics
        let run = UUID().uuidString
        var sources: [OTLPSignal: Int64] = [:]
        for signal in OTLPSignal.allCases {
            sources[signal] = try store.registerSource(
                path: Self.sourcePath(signal), fingerprint: "otlp-http:\(signal.rawValue):\(run)", size: 0)
        }
        self.sources = sources
        receivedLogs = try store.registerSource(
            path: Self.receivedLogsPath, fingerprint: "otlp-http:logs:by-content", size: 0)
    }

    /// `sources.path` of the received log records (rejects stay with their request's signal).
    package static let receivedLogsPath = "otlp-http /v1/logs (by content)"

    /// What `sources.path` says for a signal, and so where `rejects` says its rejects came from.
    package static func sourcePath(_ signal: OTLPSignal) -> String { "otlp-http /v1/\(signal.rawValue)" }

    package func submit(_ body: [UInt8], signal: OTLPSignal, encoding: OTLPBodyEncoding) async -> OTLPIntakeOutcome {
        let outcome = await store(body, signal: signal, encoding: encoding)
        metrics.refused(outcome)
        return outcome
    }

    package func readiness() -> IntakeReadiness { writer.readiness() }

    private func store(_ body: [UInt8], signal: OTLPSignal, encoding: OTLPBodyEncoding) async -> OTLPIntakeOutcome {
        let estimatedBytes = StreamConfiguration.estimatedBytes(bodyBytes: body.count)
        // Cheap, before decoding: a full queue answers at once and spends no CPU on the body.
        if let refusal = writer.refusal(estimatedBytes: estimatedBytes) { return Self.outcome(refusal) }
        guard admit(estimatedBytes) else { return .overloaded(retryAfterSeconds: retryAfterSeconds) }
        let outcome = await decodeAndStore(body, signal: signal, encoding: encoding, estimatedBytes: estimatedBytes)
        lock.withLock { inFlightBytes -= estimatedBytes }
        return outcome
    }

    /// Estimated bytes of the requests in flight now.
    package var bytesInFlight: Int { lock.withLock { inFlightBytes } }

    /// Counts the request as in flight, unless that would pass the bound.
    private func admit(_ estimatedBytes: Int) -> Bool {
        lock.withLock {
            guard inFlightBytes == 0 || inFlightBytes + estimatedBytes <= inFlightLimit else { return false }
            inFlightBytes += estimatedBytes
            return true
        }
    }

    private func decodeAndStore(
        _ body: [UInt8], signal: OTLPSignal, encoding: OTLPBodyEncoding, estimatedBytes: Int
    ) async -> OTLPIntakeOutcome {
        guard let sourceID = sources[signal] else { return .unavailable(message: "no source for \(signal.rawValue)") }
        let origin = InputLocation(source: Self.sourcePath(signal), byteOffset: nextSequence())
        let decoded: [Record]
        do {
            decoded = try OTLPBodyDecoder.decode(body, signal: signal, encoding: encoding, origin: origin)
        } catch {
            return .undecodable(message: error.message + (error.hint.map { " (hint: \($0))" } ?? ""))
        }
        var intake = RecordIntake(receivedLogs: .init(sourceID: receivedLogs, path: Self.receivedLogsPath))
        intake.add(contentsOf: decoded, sourceID: sourceID)
        intake.scrub(with: rules.current.scrubber)
        let counts = intake.counts
        let records = intake.takeRows().first ?? RowBatch()
        let rejection = RejectionTally(count: counts.rejects, firstReason: intake.firstRejectReason)
        if records.count > 0 {
            let written = await writer.submit(
                records, signal: signal, rejects: rejection.count, estimatedBytes: estimatedBytes)
            guard written == .committed else { return Self.outcome(written) }
        }
        // Counted once the request is stored: a refused one will be sent again and dropped then.
        writer.countDropped(counts.droppedByRules, signal: signal)
        return .stored(
            accepted: counts.spans + counts.logs, rejected: rejection.count,
            rejectionMessage: rejection.message(signal: signal))
    }

    private func nextSequence() -> Int64 {
        lock.withLock {
            lastSequence += 1
            return lastSequence
        }
    }

    private static func outcome(_ refusal: StreamWriteOutcome) -> OTLPIntakeOutcome {
        switch refusal {
        case .committed: .stored(accepted: 0, rejected: 0, rejectionMessage: nil)
        case .overloaded(let seconds): .overloaded(retryAfterSeconds: seconds)
        case .unavailable(let message): .unavailable(message: message)
        }
    }
}

/// Rejected records of one request: how many, and the first reason, for OTLP's `partial_success`.
struct RejectionTally {
    var count: Int
    var firstReason: String?

    /// "2 spans rejected: span has no start time", or nil when none was.
    func message(signal: OTLPSignal) -> String? {
        guard count > 0, let firstReason else { return nil }
        let noun =
            switch (signal, count) {
            case (.traces, 1): "span"
            case (.traces, _): "spans"
            case (.logs, 1): "log record"
            case (.logs, _): "log records"
            }
        return "\(count) \(noun) rejected: \(firstReason)"
    }
}
