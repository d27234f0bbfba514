import Foundation
import Logging
import Pipeline
import ServiceLifecycle
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `StreamService` and `TailService` in a swift-service-lifecycle `ServiceGroup`: graceful shutdown drains,
/// commits and summarises before `run()` returns.
@Suite struct StreamLifecycleTests {
    static let logger = Logger(label: "tracejoin.test")

    @Test("graceful shutdown commits every queued request and summarises every open trace before returning")
    func shutdownDrains() async throws {
        let setup = try StreamSetup()  // traceIdle 30 s: nothing would be summarised by the loop
        defer { setup.folder.remove() }
        let intake = setup.intake
        // Queued before the service runs, as if they arrived just before SIGTERM: the writer has not written them.
        let requests = (0..<10).map { number in
            Task {
                await intake.submit(
                    StreamBodies.logs(
                        service: "api", trace: "4bf92f3577b34da6a3ce929d0e0e47" + String(format: "%02d", number),
                        ["request \(number)"]),
                    signal: .logs, encoding: .json)
            }
        }
        #expect(try await eventually { setup.service.queuedRecords == 10 })

        let group = ServiceGroup(services: [setup.service], logger: Self.logger)
        let running = Task { try await group.run() }
        await group.triggerGracefulShutdown()
        try await running.value

        for request in requests {
            #expect(await request.value == stored(1))
        }
        #expect(try setup.store.counts().logs == 10)
        #expect(try setup.store.dirtyTraceCount() == 0, "open traces are summarised at shutdown")
        #expect(try setup.store.counts().traces == 10)
        let late = await intake.submit(StreamBodies.logs(service: "api", ["late"]), signal: .logs, encoding: .json)
        #expect(late == .unavailable(message: "shutting down"))
    }

    @Test("tail as a service stores what it follows and stops on graceful shutdown, writing what it holds")
    func tailService() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        // The last record has no successor: tail holds it back (it may go on) until it stops.
        try Data(
            (1...3).map { "{\"time\":\"2026-03-01T10:00:0\($0)Z\",\"level\":\"info\",\"msg\":\"line-\($0)\"}\n" }
                .joined()
                .utf8
        ).write(to: URL(fileURLWithPath: log))
        let store = try IncidentStore(path: folder.file("tail.db"))
        var configuration = TailRunConfiguration(patterns: [log])
        configuration.holdBack = .seconds(3600)
        configuration.pollInterval = .milliseconds(20)
        let service = TailService(runner: try TailRunner(configuration: configuration, store: store))
        let group = ServiceGroup(services: [service], logger: Self.logger)
        let running = Task { try await group.run() }
        let messages = {
            try Set(store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 10).map(\.message))
        }
        #expect(try await eventually { try messages().count == 2 })
        let stored = try messages()
        #expect(stored == ["line-1", "line-2"], "stored: \(stored)")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try messages() == ["line-1", "line-2", "line-3"])
    }
}
