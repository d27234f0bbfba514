import ArgumentParser
import Foundation
import Logging
import Pipeline
import Serve
import ServiceLifecycle
import Store
import TraceJoinCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive OTLP/HTTP spans and logs (and optionally tail files) into the database, until SIGTERM.",
        discussion: """
            Listens for OTLP/HTTP exports the way Jaeger or the OpenTelemetry Collector does: POST /v1/traces \
            and /v1/logs, protobuf or JSON, gzip or not. A request is answered 200 only after its records are \
            scrubbed and committed; when the write queue is full the answer is 503 with Retry-After, so \
            exporters retry instead of tracejoin growing without bound. With --tail, the same process follows \
            log files as `tracejoin tail` does, into the same database; --from, --poll-interval and --poll-only \
            apply to those files as they do in `tail`.

            GET /healthz: alive. GET /readyz: database writable and queue below its limit. GET /metrics: \
            Prometheus text.

            Trace summaries (status, root cause, error class; what `incidents` lists) are computed once a \
            trace has had no new data for --trace-idle seconds, and again if late data arrives. `show` sees \
            new entries as soon as they are committed.

            SIGTERM or SIGINT, even while starting: stop accepting, drain the queue, write, checkpoint, exit 0 \
            within 10 s. \
            SIGHUP: reload the rule files; a bad set is refused with its diagnostics and the rules in force stay.

            With --query-http HOST:PORT, the same process also serves what `tracejoin ui` serves: the page and the \
            Jaeger query API, over the database it writes.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("otlp-http"), help: "HOST:PORT to listen on for OTLP/HTTP.")
    var otlpHTTP: String = "0.0.0.0:4318"

    @Option(help: "Largest request body accepted, in bytes, on the wire and after gzip (413 above).")
    var maxBodyBytes: Int = OTLPReceiverConfiguration.defaultMaxBodyBytes

    @Option(help: "Seconds a new connection has to send a complete request head before it is closed.")
    var headerTimeout: Int = Int(OTLPReceiverConfiguration.defaultHeaderTimeout.components.seconds)

    @Option(help: "Seconds a connection may send nothing, between requests or inside a body, before it is closed.")
    var idleTimeout: Int = Int(OTLPReceiverConfiguration.defaultIdleTimeout.components.seconds)

    @Option(
        help: """
            Connections open at once (at most half the descriptor limit); at the limit the one waiting longest \
            for a request is closed to make room.
            """)
    var maxConnections: Int = OTLPReceiverConfiguration.defaultMaxConnections

    @Option(help: "Records the write queue holds before requests are refused with 503 + Retry-After.")
    var queueRecords: Int = StreamConfiguration().queueRecords

    @Option(help: "Seconds without new data after which a trace's status, root cause and class are computed.")
    var traceIdle: Int = 30

    @OptionGroup(title: "Following files") var tail: ServeTailOptions

    @OptionGroup(title: "Reading timelines") var query: QueryOptions

    @Option(help: "Log level of tracejoin's own messages on standard error.")
    var logLevel: LogLevel = .info

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        guard ListenAddress(otlpHTTP) != nil else {
            throw ValidationError("--otlp-http must be HOST:PORT (e.g. 0.0.0.0:4318 or 127.0.0.1:14318)")
        }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard (1...86_400).contains(headerTimeout) else {
            throw ValidationError("--header-timeout must be between 1 and 86400 seconds")
        }
        guard (1...86_400).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 1 and 86400 seconds")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard queueRecords >= 1 else { throw ValidationError("--queue-records must be at least 1") }
        guard traceIdle >= 0 && traceIdle <= 86_400 else {
            throw ValidationError("--trace-idle must be between 0 and 86400 seconds")
        }
        if query.queryTokenFile != nil && query.queryHTTP == nil {
            throw ValidationError("--query-token-file applies to --query-http: pass both, or neither")
        }
    }

    func run() async throws {
        let logger = ServiceRuntime.bootstrap(level: logLevel, label: "tracejoin.serve")
        let metrics = ServiceRuntime.bootstrapMetrics()
        let snapshot = try rules.loadSnapshot()
        let timeZoneRules = try rules.loadTimeZoneRules()
        let address = ListenAddress(otlpHTTP)!
        let connections = connectionLimit(logger: logger)
        let queryToken = try query.token()

        do {
            let store = try IncidentStore(path: database.db, backgroundCheckpoints: true)
            let inputs = ["otlp-http://\(otlpHTTP)"] + tail.patterns
            let runID = try store.beginRun(command: "serve", inputs: inputs, rulesDigest: snapshot.digest)
            let rulesInForce = RulesInForce(snapshot)

            var streamConfiguration = StreamConfiguration()
            streamConfiguration.queueRecords = queueRecords
            streamConfiguration.traceIdle = .seconds(traceIdle)
            let stream = try StreamService(
                store: store, rules: rulesInForce, configuration: streamConfiguration, logger: logger)

            let receiver = OTLPReceiver(
                configuration: OTLPReceiverConfiguration(
                    host: address.host, port: address.port, maxBodyBytes: maxBodyBytes,
                    headerTimeout: .seconds(headerTimeout), idleTimeout: .seconds(idleTimeout),
                    maxConnections: connections, logger: logger, metricsText: metrics.text),
                intake: stream.intake)

            var tailService: TailService?
            if !tail.patterns.isEmpty {
                var configuration = TailRunConfiguration(patterns: tail.patterns)
                configuration.databasePath = database.db
                tail.follow.apply(to: &configuration)
                configuration.rules = rulesInForce  // a reload reaches the receiver and the tailed files alike
                configuration.timeZones.rules = timeZoneRules
                configuration.onNotice = { logger.notice("\($0)") }
                configuration.finalizesTraces = false  // the stream's finalizer covers every trace
                let runner = try TailRunner(configuration: configuration, store: store)
                tailService = TailService(runner: runner, onPoll: FollowReport(logger: logger).callback)
            }

            let reload = RuleReload(rules: rules, logger: logger, into: rulesInForce)
            defer { reload.cancel() }

            // Shut down in reverse order: stop receiving, then stop tailing, then drain and finalize.
            var services: [any Service] = [stream]
            if let tailService { services.append(tailService) }
            services.append(receiver)
            if let queryHTTP = query.queryHTTP {
                // Reads the database through the pool's readers, beside the writer: as `ui` would from outside.
                services.append(QueryOptions.server(at: queryHTTP, store: store, token: queryToken, logger: logger))
            }
            do {
                try await ServiceRuntime.run(services, logger: logger)
            } catch let error as StoreError {
                Console.note(error.description)  // names the database and says `error:` itself
                throw ExitStatus.failure
            } catch {
                // Most often the port: "bind(…): Address already in use (errno: 98)".
                Console.note("error: serve stopped: \(error)")
                Console.note(
                    "  hint: if the address is in use, stop the other process or pass --otlp-http HOST:PORT"
                        + (query.queryHTTP == nil ? "" : " or --query-http HOST:PORT"))
                throw ExitStatus.failure
            }

            let counts = stream.counts
            let stats =
                "{\"records\":\(counts.recordsWritten),\"rejects\":\(counts.rejectsWritten),"
                + "\"dropped\":\(counts.droppedByRules),\"overloaded\":\(counts.overloaded)}"
            try store.finishRun(runID, statsJSON: stats)
            logger.info(
                "serve: stopped",
                metadata: ["records": "\(counts.recordsWritten)", "rejects": "\(counts.rejectsWritten)",
                    "refused": "\(counts.overloaded)"])
        } catch let diagnostic as Diagnostic {
            Console.error(diagnostic)
            throw ExitStatus.failure
        }
    }

    /// `--max-connections`, kept to half the descriptor limit after raising it as far as allowed.
    private func connectionLimit(logger: Logger) -> Int {
        guard let descriptors = DescriptorLimit.raiseToHard() else { return maxConnections }
        let budget = DescriptorLimit.connectionBudget(descriptors: descriptors)
        guard maxConnections > budget else { return maxConnections }
        logger.notice(
            "serve: --max-connections \(maxConnections) lowered to \(budget), half the descriptor limit",
            metadata: ["descriptor-limit": "\(descriptors)"])
        return budget
    }
}
