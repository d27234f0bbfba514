import HTTPTypes
import HummingbirdTesting
import Serve
import Testing
import TraceJoinCore

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("an export still being committed when shutdown begins is answered 200 once the commit is done")
    func inFlightExportIsAnswered() async throws {
        let intake = GatedIntake()
        let body = try ExportBodies.traceProtobuf()
        let response: (TestClient.Response, Bool) = try await RunningReceiver.with(intake: intake) { receiver in
            async let answer = receiver.post("/v1/traces", contentType: "application/x-protobuf", body: body)
            await intake.waitForArrival()
            await receiver.beginShutdown()
            let refusedNewConnections = await receiver.waitUntilRefusingConnections()
            intake.commit()
            return (try await answer, refusedNewConnections)
        }
        #expect(response.1, "the receiver kept accepting connections after shutdown began")
        #expect(response.0.status == .ok)
    }
}

extension RunningReceiver {
    /// Whether new connections were refused within 10 s: the sign that shutdown has really begun.
    fileprivate func waitUntilRefusingConnections() async -> Bool {
        for _ in 0..<200 {
            do {
                _ = try await send(.get, "/healthz")
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                return true
            }
        }
        return false
    }
}

/// An intake whose commit waits until the test says so, to hold a request in flight.
private final class GatedIntake: OTLPIntake {
    private let arrivals = AsyncStream.makeStream(of: Void.self)
    private let commits = AsyncStream.makeStream(of: Void.self)

    func waitForArrival() async {
        var iterator = arrivals.stream.makeAsyncIterator()
        _ = await iterator.next()
    }

    func commit() {
        commits.continuation.yield()
    }

    func submit(_ body: [UInt8], signal: OTLPSignal, encoding: OTLPBodyEncoding) async -> OTLPIntakeOutcome {
        arrivals.continuation.yield()
        var iterator = commits.stream.makeAsyncIterator()
        _ = await iterator.next()
        return .stored(accepted: 1, rejected: 0, rejectionMessage: nil)
    }

    func readiness() -> IntakeReadiness {
        IntakeReadiness(isReady: true, detail: "gated")
    }
}
