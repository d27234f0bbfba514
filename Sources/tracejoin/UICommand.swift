import ArgumentParser
import Foundation
import Logging
import Pipeline
import Query
import TraceJoinCore

struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Serve the database's timelines to a browser, Grafana and Jaeger UI (the Jaeger query API), read-only.",
        discussion: """
            Serves a page at http://HOST:PORT/ that lists incidents and draws their timelines, and answers the \
            Jaeger query API (GET /api/services, /api/services/{service}/operations, /api/operations, \
            /api/traces, /api/traces/{id}) that Grafana's Jaeger data source and Jaeger UI call, with every log of \
            a trace inside the span it belongs to and the verdict (class, rule, root cause) on the root span. Add a \
            Grafana data source of type Jaeger with the URL http://HOST:PORT.

            The database is opened read-only, as `show` opens it: it may belong to another user or be written \
            by a running batch, tail or serve meanwhile. Listening beyond loopback needs --query-token-file; \
            clients then send Authorization: Bearer <token> (401 otherwise).

            SIGTERM or SIGINT: stop accepting, finish the requests in flight, exit 0.
            """)

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var query: QueryOptions

    @Option(help: "Log level of tracejoin's own messages on standard error.")
    var logLevel: LogLevel = .info

    func run() async throws {
        let logger = ServiceRuntime.bootstrap(level: logLevel, label: "tracejoin.ui")
        let token = try query.token()
        let store = try openStore(database.db)
        let server = QueryOptions.server(
            at: query.queryHTTP ?? QueryOptions.defaultAddress, store: store, token: token, logger: logger)
        do {
            try await ServiceRuntime.run([server], logger: logger)
        } catch {
            // Most often the port: "bind(…): Address already in use (errno: 98)".
            Console.note("error: ui stopped: \(error)")
            Console.note("  hint: if the address is in use, stop the other process or pass --query-http HOST:PORT")
            throw ExitStatus.failure
        }
        logger.info("ui: stopped")
    }
}
