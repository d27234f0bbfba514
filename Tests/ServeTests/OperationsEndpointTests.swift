import HTTPTypes
import HummingbirdTesting
import Logging
import Serve
import Synchronization
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite("Health, readiness and metrics endpoints")
struct OperationsEndpointTests {
    @Test("the receiver reports the loopback port it bound when asked for port 0")
    func reportsBoundAddress() async throws {
        let (address, health) = try await RunningReceiver.with { receiver in
            (receiver.address, try await receiver.send(.get, "/healthz"))
        }
        #expect(health.status == .ok)
        #expect(address.host == "127.0.0.1")
        #expect(address.port > 0)
    }

    @Test("at startup the receiver logs the address and port it really listens on")
    func logsWhereItListens() async throws {
        let messages = CapturingLogHandler.Messages()
        let logger = Logger(label: "tracejoin.serve.tests") { _ in CapturingLogHandler(messages: messages) }
        let address = try await RunningReceiver.with(configure: { $0.logger = logger }) { $0.address }
        #expect(
            messages.all.contains { $0.hasPrefix("info: OTLP/HTTP receiver listening on 127.0.0.1:\(address.port)") })
    }

    @Test("GET /healthz says alive; POST /healthz gets 405")
    func healthz() async throws {
        let (get, post) = try await RunningReceiver.with { receiver in
            (try await receiver.send(.get, "/healthz"), try await receiver.send(.post, "/healthz", body: []))
        }
        #expect(get.status == .ok)
        #expect(get.bodyText == "alive\n")
        #expect(post.status == .methodNotAllowed)
    }

    @Test("GET /readyz follows the intake's readiness, with its detail")
    func readyz() async throws {
        let intake = RecordingIntake(readiness: IntakeReadiness(isReady: true, detail: "queue 3/2000 batches"))
        let (ready, notReady) = try await RunningReceiver.with(intake: intake) { receiver in
            let ready = try await receiver.send(.get, "/readyz")
            intake.setReadiness(IntakeReadiness(isReady: false, detail: "database is read-only"))
            return (ready, try await receiver.send(.get, "/readyz"))
        }
        #expect(ready.status == .ok)
        #expect(ready.bodyText.contains("queue 3/2000 batches"))
        #expect(notReady.status == .serviceUnavailable)
        #expect(notReady.bodyText.contains("database is read-only"))
    }

    @Test("GET /metrics answers the configured closure's text, asked anew on each request")
    func metricsText() async throws {
        let scrapes = Mutex(0)
        let configure: (inout OTLPReceiverConfiguration) -> Void = {
            $0.metricsText = {
                let scrape = scrapes.withLock { count in
                    count += 1
                    return count
                }
                return "# TYPE tracejoin_scrapes counter\ntracejoin_scrapes \(scrape)\n"
            }
        }
        let (first, second) = try await RunningReceiver.with(configure: configure) { receiver in
            (try await receiver.send(.get, "/metrics"), try await receiver.send(.get, "/metrics"))
        }
        #expect(first.status == .ok)
        #expect(first.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(first.bodyText == "# TYPE tracejoin_scrapes counter\ntracejoin_scrapes 1\n")
        #expect(second.bodyText.hasSuffix("tracejoin_scrapes 2\n"))
    }

    @Test("without a metrics closure /metrics is not served")
    func noMetrics() async throws {
        let response = try await RunningReceiver.with { try await $0.send(.get, "/metrics") }
        #expect(response.status == .notFound)
    }

    @Test("requests, bytes, durations and records are counted in swift-metrics by signal and status")
    func receiverMetrics() async throws {
        let factory = RecordingMetricsFactory()
        let intake = RecordingIntake { submission in
            submission.signal == .traces
                ? .stored(accepted: 3, rejected: 1, rejectionMessage: "1 span rejected: no start time")
                : .overloaded(retryAfterSeconds: 2)
        }
        let body = try ExportBodies.traceProtobuf()
        try await RunningReceiver.with(intake: intake, configure: { $0.metricsFactory = factory }) { receiver in
            _ = try await receiver.post("/v1/traces", contentType: "application/x-protobuf", body: body)
            _ = try await receiver.post("/v1/traces", contentType: "text/plain", body: body)
            _ = try await receiver.post("/v1/logs", contentType: "application/json", body: try ExportBodies.logsJSON())
        }
        let requests = "tracejoin_receiver_requests_total"
        #expect(factory.sum(requests, ["signal": "traces", "code": "200"]) == 1)
        #expect(factory.sum(requests, ["signal": "traces", "code": "415"]) == 1)
        #expect(factory.sum(requests, ["signal": "logs", "code": "503"]) == 1)
        #expect(factory.count("tracejoin_receiver_request_duration_seconds", ["signal": "traces"]) == 2)
        #expect(factory.sum("tracejoin_receiver_received_bytes_total", ["signal": "traces"]) == Int64(body.count))
        #expect(factory.sum("tracejoin_receiver_records_total", ["signal": "traces", "result": "accepted"]) == 3)
        #expect(factory.sum("tracejoin_receiver_records_total", ["signal": "traces", "result": "rejected"]) == 1)
    }
}
