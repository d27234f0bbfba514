import ArgumentParser
import Foundation
import Logging
import Pipeline
import Query
import Store
import TraceJoinCore

/// `--query-http` and `--query-token-file`: where the read side (the Jaeger query API and the built-in page)
/// listens, for `ui` (always, loopback by default) and `serve` (only when asked).
struct QueryOptions: ParsableArguments {
    @Option(
        name: .customLong("query-http"),
        help: """
            HOST:PORT for the page and the Jaeger query API (loopback unless a token file is given); \
            ui: default 127.0.0.1:16686; serve: only when given.
            """)
    var queryHTTP: String?

    @Option(
        name: .customLong("query-token-file"),
        help: "A file holding the token clients must send as Authorization: Bearer; needed beyond loopback.")
    var queryTokenFile: String?

    static let defaultAddress = "\(QueryServerConfiguration.defaultHost):\(QueryServerConfiguration.defaultPort)"

    func validate() throws {
        guard let queryHTTP else { return }
        guard let address = ListenAddress(queryHTTP) else {
            throw ValidationError("--query-http must be HOST:PORT (e.g. 127.0.0.1:16686 or [::1]:16686)")
        }
        if queryTokenFile == nil && !QueryServerConfiguration.isLoopback(address.host) {
            throw ValidationError(
                "--query-http \(queryHTTP) is reachable from other machines: pass --query-token-file FILE "
                    + "(clients send Authorization: Bearer <token>), or listen on 127.0.0.1")
        }
    }

    /// The token of `--query-token-file`, nil without one; exits 78 when the file is unusable.
    func token() throws -> BearerToken? {
        try queryTokenFile.map(Self.loadToken)
    }

    /// The query server on `store` at `address` (a `--query-http` value, checked by `validate()`).
    static func server(at address: String, store: IncidentStore, token: BearerToken?, logger: Logger) -> QueryServer {
        let address = ListenAddress(address)!
        return QueryServer(
            configuration: QueryServerConfiguration(
                host: address.host, port: address.port, token: token, logger: logger),
            backend: StoreQueryBackend(store: store))
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
