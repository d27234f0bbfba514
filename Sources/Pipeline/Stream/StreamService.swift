package import Logging
import ServiceLifecycle
package import Store
package import TraceJoinCore

/// The streaming write path as one swift-service-lifecycle `Service`: the writer thread and the idle-trace
/// finalizer, with ``intake`` for the OTLP/HTTP receiver.
///
/// `run()` starts both and waits for graceful shutdown (or cancellation); then it refuses new requests
/// (`unavailable("shutting down")`), commits everything queued, summarises every dirty trace and returns.
/// Put it BEFORE the HTTP server in the `ServiceGroup`: services shut down in reverse order, so the server
/// stops taking requests first and the writer drains what they queued.
package final class StreamService: Service, Sendable {
    /// Hand this to the HTTP server.
    package let intake: StreamIntake
    private let writer: StreamWriter
    private let finalizer: IdleTraceFinalizer

    /// Registers the receiver's sources in `store` (throws if the database cannot be written). `clock` times
    /// the writer's batches and the finalizer's passes and idle window; tests pass a manual one.
    package init(
        store: IncidentStore, rules: RulesInForce, configuration: StreamConfiguration = StreamConfiguration(),
        metrics: StreamMetrics = StreamMetrics(), logger: Logger = Logger(label: "tracejoin.stream"),
        clock: any ThreadClock = SystemThreadClock()
    ) throws {
        writer = StreamWriter(store: store, configuration: configuration, metrics: metrics, clock: clock)
        finalizer = IdleTraceFinalizer(
            store: store, rules: rules, configuration: configuration, metrics: metrics, logger: logger, clock: clock)
        intake = try StreamIntake(
            store: store, writer: writer, rules: rules, metrics: metrics, configuration: configuration)
    }

    package func run() async throws {
        start()
        // Returns on graceful shutdown, throws on cancellation: either way, drain and stop.
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Starts the writer and the finalizer (done by `run()`; for use without a `ServiceGroup`).
    package func start() {
        writer.start()
        finalizer.start()
    }

    /// Refuses new requests, commits what is queued, summarises every dirty trace; returns when all is done.
    /// Throws when the final summaries cannot be saved (the rows themselves are committed).
    package func shutdown() async throws {
        writer.stopAccepting()
        await writer.finished()
        try await finalizer.finish()
    }

    /// What was written, rejected, dropped and refused since the start.
    package var counts: StreamCounts { writer.counts }

    /// Records accepted and not yet committed (what `tracejoin_stream_queue_records` reports).
    package var queuedRecords: Int { writer.queuedRecordCount }
}
