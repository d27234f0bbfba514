/// The endpoints of the query server, read from a request's raw path.
///
/// Each path segment is percent-decoded on its own, so a service name or a base64 trace ID may hold an escaped
/// `/` (`%2F`). Empty segments are skipped (`/api//services/`, a data source URL with a trailing slash).
package enum QueryRoute: Equatable, Sendable {
    /// `GET /`: the built-in page.
    case home
    /// `GET /ui/{file}`: the page's script and style sheet.
    case pageFile(String)
    /// `GET /api/services`
    case services
    /// `GET /api/services/{service}/operations`
    case serviceOperations(service: String)
    /// `GET /api/operations?service=&spanKind=`
    case operations
    /// `GET /api/traces?…`
    case searchTraces
    /// `GET /api/traces/{traceID}`
    case trace(id: String)
    /// `GET /api/dependencies?endTs=&lookback=`
    case dependencies
    /// `GET /api/v2/traces/{traceID}`: Tempo's trace by ID (OTLP, protobuf or JSON).
    case tempoTrace(id: String)
    /// `GET /api/v3/services`, `/api/v3/operations?service=&span_kind=`, `/api/v3/traces/{traceID}` and
    /// `/api/v3/traces?query.…`: Jaeger's api/v3 (OTLP), as current Jaeger UI calls it.
    case v3Services
    case v3Operations
    case v3Trace(id: String)
    case v3SearchTraces
    /// `GET /api/v3/trace-summaries?query.…`: one summary per trace found (Jaeger UI 2.19 and later search with it).
    case v3TraceSummaries
    /// `GET /api/tracejoin/incidents?since=&until=&service=&class=&limit=&group=`, `/api/tracejoin/traces/{id}`,
    /// `/api/tracejoin/logs?service=&since=&until=&limit=` and `/api/tracejoin/classes`: the CLI's JSON, for the page.
    case incidents
    case timeline(id: String)
    case uncorrelatedLogs
    case errorClasses
    /// `GET /api/search?q=&start=&end=&limit=`: Tempo's search, for the TraceQL of Grafana's search builder.
    case tempoSearch
    /// `GET /api/v2/search/tags` (`version` 2) and `/api/search/tags` (1): the tags a search can name.
    case tempoTags(version: Int)
    /// `GET /api/v2/search/tag/{tag}/values` and `/api/search/tag/{tag}/values`.
    case tempoTagValues(tag: String, version: Int)
    /// `GET /api/echo`: Tempo's "Save & test".
    case echo
    /// `GET /api/status/buildinfo`: Tempo's build information.
    case buildInfo

    /// Whether the route serves the built-in page rather than stored data: answered without a token, since the
    /// page holds none and a browser cannot send one when it opens a page (the page asks for it and sends it
    /// with each API call).
    package var isPage: Bool {
        switch self {
        case .home, .pageFile: true
        default: false
        }
    }

    /// The route of `path` (without its query), nil for a path the server does not serve.
    package init?(path: String) throws(QueryRequestError) {
        var segments: [String] = []
        for raw in path.utf8.split(separator: UInt8(ascii: "/")) {
            guard let segment = QueryParameters.decode(raw, plusIsSpace: false) else {
                throw QueryRequestError(status: 400, message: "malformed path: bad %-escape or not UTF-8")
            }
            segments.append(segment)
        }
        switch segments.count {
        case 0: self = .home
        case 2 where segments == ["api", "services"]: self = .services
        case 2 where segments == ["api", "operations"]: self = .operations
        case 2 where segments == ["api", "traces"]: self = .searchTraces
        case 2 where segments == ["api", "dependencies"]: self = .dependencies
        case 2 where segments == ["api", "echo"]: self = .echo
        case 3 where segments == ["api", "tracejoin", "incidents"]: self = .incidents
        case 3 where segments == ["api", "tracejoin", "logs"]: self = .uncorrelatedLogs
        case 3 where segments == ["api", "tracejoin", "classes"]: self = .errorClasses
        case 4 where segments[0] == "api" && segments[1] == "tracejoin" && segments[2] == "traces":
            self = .timeline(id: segments[3])
        case 2 where segments == ["api", "search"]: self = .tempoSearch
        case 3 where segments == ["api", "search", "tags"]: self = .tempoTags(version: 1)
        case 4 where segments == ["api", "v2", "search", "tags"]: self = .tempoTags(version: 2)
        case 5 where segments[0] == "api" && segments[1] == "search" && segments[2] == "tag" && segments[4] == "values":
            self = .tempoTagValues(tag: segments[3], version: 1)
        case 6 where segments[0] == "api" && segments[1] == "v2" && segments[2] == "search" && segments[3] == "tag"
            && segments[5] == "values":
            self = .tempoTagValues(tag: segments[4], version: 2)
        case 3 where segments == ["api", "status", "buildinfo"]: self = .buildInfo
        case 3 where segments == ["api", "v3", "services"]: self = .v3Services
        case 3 where segments == ["api", "v3", "operations"]: self = .v3Operations
        case 3 where segments == ["api", "v3", "traces"]: self = .v3SearchTraces
        case 3 where segments == ["api", "v3", "trace-summaries"]: self = .v3TraceSummaries
        case 4 where segments[0] == "api" && segments[1] == "v3" && segments[2] == "traces":
            self = .v3Trace(id: segments[3])
        case 4 where segments[0] == "api" && segments[1] == "v2" && segments[2] == "traces":
            self = .tempoTrace(id: segments[3])
        case 2 where segments[0] == "ui": self = .pageFile(segments[1])
        case 3 where segments[0] == "api" && segments[1] == "traces": self = .trace(id: segments[2])
        case 4 where segments[0] == "api" && segments[1] == "services" && segments[3] == "operations":
            self = .serviceOperations(service: segments[2])
        default: return nil
        }
    }
}
