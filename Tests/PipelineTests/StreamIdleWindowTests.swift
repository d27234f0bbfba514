import Foundation
import OTLPProto
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The idle window: a trace is summarised (status, root cause, class) once no data has reached it for
/// `traceIdle`, and again after late data. `show` sees its entries before that.
@Suite struct StreamIdleWindowTests {
    static let trace = "0af7651916cd43dd8448eb211c80319c"

    static func errorSpans() throws -> [UInt8] {
        try StreamBodies.traces(
            service: "orders",
            [
                StreamBodies.span(trace: trace, id: "b7ad6b7169203331", name: "GET /orders/:id"),
                StreamBodies.span(trace: trace, id: "b7ad6b7169203332", parent: "b7ad6b7169203331", name: "pg.connect")
                {
                    $0.status.code = .error
                    $0.status.message = "connect ECONNREFUSED"
                },
            ])
    }

    @Test("a trace is summarised only after traceIdle without data, and again after late data")
    func summarisedWhenIdle() async throws {
        // The service's own finalizer and the calls below use an idle window no slow machine reaches while the
        // test runs; the calls move the clock past it instead (a parameter, so the test need not sleep).
        let idle = Duration.seconds(3_600)
        var configuration = StreamConfiguration()
        configuration.traceIdle = idle
        let setup = try StreamSetup(configuration: configuration)
        defer { setup.folder.remove() }
        setup.service.start()
        let traceID = try #require(TraceID(hex: Self.trace))
        #expect(await setup.intake.submit(try Self.errorSpans(), signal: .traces, encoding: .protobuf) == stored(2))
        let key = try #require(try setup.store.traceKeys(for: .full(traceID)).first)

        // Just written: not idle yet, so not summarised (and not listed by `incidents`).
        #expect(try TraceFinalizer.finalizeIdleTraces(in: setup.store, idle: idle, now: wallClockNow()) == 0)
        #expect(try setup.store.summary(traceKey: key) == nil)
        #expect(try setup.store.incidents(IncidentFilter()).isEmpty)
        #expect(try setup.store.dirtyTraceCount() == 1)

        // An hour and a second later: summarised.
        #expect(
            try TraceFinalizer.finalizeIdleTraces(in: setup.store, idle: idle, now: wallClockNow() + 3_601_000_000_000)
                == 1)
        let first = try #require(try setup.store.summary(traceKey: key))
        #expect(first.isError && first.spanCount == 2 && first.logCount == 0)
        #expect(first.rootCause?.name == "pg.connect")
        #expect(try setup.store.dirtyTraceCount() == 0)

        // Late data: the trace is open again; the old summary stays until it is idle once more.
        let late = StreamBodies.logs(service: "orders", trace: Self.trace, severity: "ERROR", ["retry failed"])
        #expect(await setup.intake.submit(late, signal: .logs, encoding: .json) == stored(1))
        #expect(try setup.store.dirtyTraceCount() == 1)
        #expect(try TraceFinalizer.finalizeIdleTraces(in: setup.store, idle: idle, now: wallClockNow()) == 0)
        #expect(try setup.store.summary(traceKey: key)?.logCount == 0)
        #expect(
            try TraceFinalizer.finalizeIdleTraces(in: setup.store, idle: idle, now: wallClockNow() + 3_601_000_000_000)
                == 1)
        #expect(try setup.store.summary(traceKey: key)?.logCount == 1)
        try await setup.service.shutdown()
    }

    @Test(
        "the finalizer loop summarises a trace by itself once it has been idle for traceIdle, not before",
        .timeLimit(.minutes(1)))
    func loopSummarises() async throws {
        var configuration = StreamConfiguration()
        configuration.traceIdle = .seconds(3_600)
        configuration.finalizeInterval = .seconds(1)
        // Rows are stamped with the real time, never before the manual clock's start (the real time when made).
        let clock = ManualThreadClock()
        let setup = try StreamSetup(configuration: configuration, clock: clock)
        defer { setup.folder.remove() }
        setup.service.start()
        await clock.sleepers(atLeast: 1)  // the finalizer, between passes
        #expect(await setup.intake.submit(try Self.errorSpans(), signal: .traces, encoding: .protobuf) == stored(2))
        let traceID = try #require(TraceID(hex: Self.trace))
        let key = try #require(try setup.store.traceKeys(for: .full(traceID)).first)

        // A pass a second short of the idle window after the clock's start, so at most that after the write.
        await clock.advance(by: .seconds(3_599))
        #expect(try setup.store.summary(traceKey: key) == nil, "summarised before it was idle")
        #expect(try setup.store.dirtyTraceCount() == 1)

        // A pass an hour later: idle for at least traceIdle, whenever within the first hour it was written.
        await clock.advance(by: .seconds(3_600))
        #expect(try setup.store.summary(traceKey: key)?.isError == true)
        #expect(try setup.store.dirtyTraceCount() == 0)
        try await setup.service.shutdown()
    }

    @Test(
        "tail uses the same rule: a trace it wrote is summarised only once idle, and never when finalizesTraces is off")
    func tailIdleRule() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        try Data(
            "{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"error\",\"msg\":\"boom\",\"trace_id\":\"\(Self.trace)\"}\n"
                .utf8
        ).write(to: URL(fileURLWithPath: log))
        let store = try IncidentStore(path: folder.file("tail.db"))
        var configuration = TailRunConfiguration(patterns: [log])
        configuration.holdBack = .zero
        configuration.finalizeInterval = .zero
        configuration.traceIdle = .seconds(3600)
        let runner = try TailRunner(configuration: configuration, store: store)
        try runner.pollAll()
        try runner.finalizeIfDue()
        #expect(try store.incidents(IncidentFilter()).isEmpty, "summarised before it was idle")

        configuration.finalizesTraces = false
        configuration.traceIdle = .zero
        let silent = try TailRunner(configuration: configuration, store: store)
        try silent.finalizeIfDue()
        let stop = TailStopSignal()
        stop.stop()
        try silent.run(until: stop)
        #expect(try store.dirtyTraceCount() == 1, "a runner with finalizesTraces off summarised")

        configuration.finalizesTraces = true
        let finalizing = try TailRunner(configuration: configuration, store: store)
        try finalizing.run(until: stop)  // the end of a run summarises everything still open
        #expect(try store.incidents(IncidentFilter()).map(\.traceID.hex) == [Self.trace])
    }
}
