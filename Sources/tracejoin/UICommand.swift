import ArgumentParser
import Foundation
import Logging
import Pipeline
import Query
import TraceJoinCore

struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Serve the database's timelines to Grafana and Jaeger UI (the Jaeger query API), read-only.",
        discussion: """
            Answers the Jaeger query API (GET /api/services, /api/services/{service}/operations, /api/operations, \
            /api/traces, /api/traces/{id}) that Grafana's Jaeger data source and Jaeger UI call, with every log of \
            a trace inside the span it belongs to and the verdict (class, rule, root cause) on the root span. Add a \
            Grafana data source of type Jaeger with the URL http://HOST:PORT.

            The database is opened read-only, as `show` opens it: it may belong to another user or be written \
            by a running batch, tail or serve meanwhile. Listening beyond loopback needs --query-token-file; \
            clients then send Authorization: Bearer <token> (401 otherwise).

            SIGTERM or SIGINT: stop accepting, finish the requests in flight, exit 0.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("query-http"), help: "HOST:PORT to listen on (loopback unless a token file is given).")
    var queryHTTP: String = "\(QueryServerConfiguration.defaultHost):\(QueryServerConfiguration.defaultPort)"

    @Option(
        name: .customLong("query-token-file"),
        help: "A file holding the token clients must send as Authorization: Bearer; needed beyond loopback.")
    var queryTokenFile: String?

    @Option(help: "Log level of tracejoin's own messages on standard error.")
    var logLevel: LogLevel = .info

    func validate() throws {
        guard let address = ListenAddress(queryHTTP) else {
            throw ValidationError("--query-http must be HOST:PORT (e.g. 127.0.0.1:16686 or [::1]:16686)")
        }
        if queryTokenFile == nil && !QueryServerConfiguration.isLoopback(address.host) {
            throw ValidationError(
                "--query-http \(queryHTTP) is reachable from other machines: pass --query-token-file FILE "
                    + "(clients send Authorization: Bearer <token>), or listen on 127.0.0.1")
        }
    }

    func run() async throws {
        let logger = ServiceRuntime.bootstrap(level: logLevel, label: "tracejoin.ui")
        let token = try queryTokenFile.map(Self.loadToken)
        let store = try openStore(database.db)
        let address = ListenAddress(queryHTTP)!
        let server = QueryServer(
            configuration: QueryServerConfiguration(
                host: address.host, port: address.port, token: token, logger: logger),
            backend: StoreQueryBackend(store: store))
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

    /// The token in `path` (surrounding whitespace dropped); a file that cannot be read or holds no usable token
    /// is a bad configuration (78). The token itself is never printed.
    static func loadToken(_ path: String) throws -> BearerToken {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            Console.note("\(path): error: cannot read the token file")
            Console.note("  hint: check that it exists and is readable, and holds UTF-8 text")
            throw ExitStatus.configurationError
        }
        guard let token = BearerToken(text.trimmingWhitespace()) else {
            Console.note(
                "\(path): error: the token file holds no usable token (empty, or spaces or control characters inside)")
            Console.note("  hint: write one line of letters, digits and punctuation, e.g. from `openssl rand -hex 32`")
            throw ExitStatus.configurationError
        }
        return token
    }
}
