import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import TraceJoinCore

/// Answers every request of the query server: the Jaeger query API (v1) over a ``TraceQueryBackend``.
///
/// A responder of its own rather than Hummingbird's `Router`, as the OTLP receiver's: paths are decoded a segment
/// at a time (a base64 trace ID may hold `%2F`), other methods get 405 with `Allow`, and every refusal is
/// Jaeger's error envelope. Reads block on SQLite, so they run on NIO's thread pool, never on an event loop.
struct QueryResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let backend: any TraceQueryBackend
    let token: BearerToken?
    let logger: Logger
    let wallClockNanos: @Sendable () -> Int64

    func respond(to request: Request, context: Context) async throws -> Response {
        // A malformed path is refused after the token check, as any path that is not the page.
        let route = Result { () throws(QueryRequestError) in try QueryRoute(path: request.uri.path) }
        let isPage = (try? route.get())??.isPage ?? false
        if let token, !isPage, !token.isCarried(by: request.headers[.authorization]) {
            var response = Self.refusal(
                QueryRequestError(status: 401, message: "unauthorized: send Authorization: Bearer <token>"))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        do {
            guard let route = try route.get() else {
                throw QueryRequestError(
                    status: 404,
                    message: "not found: no such endpoint (the Jaeger and Tempo query APIs tracejoin serves are listed "
                        + "in its README)")
            }
            guard request.method == .get || request.method == .head else {
                var response = Self.refusal(QueryRequestError(status: 405, message: "method not allowed: use GET"))
                response.headers[.allow] = "GET, HEAD"
                return response
            }
            let parameters = try QueryParameters(query: request.uri.query)
            let wantsProtobuf = request.headers[.accept].map(Self.prefersProtobuf) ?? false
            return try await answer(route, parameters: parameters, protobuf: wantsProtobuf)
        } catch let refusal as QueryRequestError {
            // Each API family refuses in its own shape: api/v3's error object, Tempo's plain text, else Jaeger's.
            switch (try? route.get()) ?? nil {
            case .v3Services, .v3Operations, .v3Trace, .v3SearchTraces, .v3TraceSummaries:
                return Self.v3Error(refusal.status, refusal.message)
            case nil where request.uri.path.hasPrefix("/api/v3/"):
                return Self.v3Error(refusal.status, refusal.message)
            case .tempoTrace, .tempoSearch, .tempoTags, .tempoTagValues:
                return Self.text(refusal.message + "\n", status: HTTPResponse.Status(code: refusal.status))
            default:
                return Self.refusal(refusal)
            }
        } catch {
            // Store errors name the database file, not stored values; the client only learns that reading failed.
            logger.error("query failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.refusal(QueryRequestError(status: 500, message: "the database could not be read"))
        }
    }

    /// Whether an `Accept` header asks for protobuf (Grafana's Tempo data source sends `application/protobuf`).
    static func prefersProtobuf(_ accept: String) -> Bool {
        accept.split(separator: ",").contains {
            let type = $0.split(separator: ";").first.map { String($0).trimmingWhitespace().lowercased() } ?? ""
            return type == "application/protobuf" || type == "application/x-protobuf"
        }
    }

    private func answer(_ route: QueryRoute, parameters: QueryParameters, protobuf: Bool) async throws -> Response {
        switch route {
        case .home:
            return PageFiles.response(for: "index.html")
        case .pageFile(let name):
            guard name != "index.html" else { throw QueryRequestError(status: 404, message: "not found") }
            return PageFiles.response(for: name)
        case .services:
            let services = try await read { try $0.serviceNames() }
            return Self.json(JaegerEnvelope.strings(services))
        case .serviceOperations(let service):
            let operations = try await read { try $0.operations(service: service, kind: nil) }
            var names: [String] = []
            for operation in operations where names.last != operation.name { names.append(operation.name) }
            return Self.json(JaegerEnvelope.strings(names))
        case .operations:
            guard let service = parameters.value("service") else {
                throw QueryRequestError.badParameter("service", "parameter 'service' is required")
            }
            let kind = try Self.spanKind(parameters, "spanKind")
            let operations = try await read { try $0.operations(service: service, kind: kind) }
            return Self.json(JaegerEnvelope.data(total: operations.count) { Self.write(operations, to: &$0) })
        case .searchTraces:
            // Jaeger UI looks up several traces at once (`traceID=a&traceID=b`, to compare them): those traces,
            // in the order asked, whatever the other parameters say; an ID that names no trace is left out.
            let ids = parameters.values("traceID")
            let traces: [TraceView]
            if ids.isEmpty {
                let search = try TraceSearchParser.search(from: parameters)
                traces = try await read { try $0.searchTraces(search) }
            } else {
                var found: [TraceView] = []
                for id in ids.prefix(TraceSearchParser.maxLimit) { found += try await self.traces(id) }
                traces = found
            }
            return Self.json(JaegerEnvelope.data(total: traces.count) { Self.write(traces, to: &$0) })
        case .dependencies:
            // Jaeger's parameters are milliseconds: `endTs` (default now) and `lookback` (default 24 h).
            let end =
                try Self.wholeUnits(parameters, "endTs", nanosPerUnit: 1_000_000, what: "milliseconds")
                ?? wallClockNanos()
            let lookback =
                try Self.wholeUnits(parameters, "lookback", nanosPerUnit: 1_000_000, what: "milliseconds")
                ?? 86_400_000_000_000
            let links = try await read { try $0.dependencies(from: end - lookback, until: end) }
            return Self.json(JaegerEnvelope.data(total: links.count) { Self.write(links, to: &$0) })
        case .v3Services:
            let services = try await read { try $0.serviceNames() }
            var writer = JSONWriter()
            writer.raw("{\"services\":")
            writer.write(strings: services)
            writer.raw("}")
            return Self.json(writer.bytes)
        case .v3Operations:
            guard let service = parameters.value("service") else {
                throw QueryRequestError.badParameter("service", "parameter 'service' is required")
            }
            let kind = try Self.spanKind(parameters, "spanKind", "span_kind")
            let operations = try await read { try $0.operations(service: service, kind: kind) }
            var writer = JSONWriter()
            writer.raw("{\"operations\":")
            Self.write(operations, to: &writer)
            writer.raw("}")
            return Self.json(writer.bytes)
        case .v3Trace(let id):
            let traces = try await traces(id)
            guard !traces.isEmpty else { return Self.v3Error(404, "trace not found") }
            return Self.v3Result(traces)
        case .v3SearchTraces:
            let search = try TraceSearchParser.v3Search(from: parameters)
            let traces = try await read { try $0.searchTraces(search) }
            guard !traces.isEmpty else { return Self.v3Error(404, "no traces found") }
            return Self.v3Result(traces)
        case .v3TraceSummaries:
            // The same search as `/api/v3/traces`; nothing found is an empty list, which the search page shows.
            let search = try TraceSearchParser.v3Search(from: parameters)
            let traces = try await read { try $0.searchTraces(search) }
            var writer = JSONWriter()
            TraceSummaryEncoder.write(traces, to: &writer)
            return Self.json(writer.bytes)
        case .incidents:
            let filter = IncidentFilter(
                since: try TraceSearchParser.rfc3339(parameters, "since"),
                until: try TraceSearchParser.rfc3339(parameters, "until"),
                service: parameters.value("service"), errorClass: parameters.value("class"),
                limit: try Self.positiveLimit(parameters, "limit", cap: TraceSearchParser.maxLimit) ?? 100)
            let grouped = parameters.value("group") == "true"
            let json = try await read { try $0.incidentsJSON(filter, grouped: grouped) }
            return Self.json(Array(json.utf8))
        case .timeline(let id):
            let timelines = try await read(byID: id) { try $0.timelinesJSON(for: $1) }
            guard !timelines.isEmpty else {
                return Self.json(
                    JaegerEnvelope.error(code: 404, message: "trace not found", traceID: nil), status: .notFound)
            }
            return Self.json(Array(("[" + timelines.joined(separator: ",") + "]").utf8))
        case .uncorrelatedLogs:
            let since = try TraceSearchParser.rfc3339(parameters, "since")
            let until = try TraceSearchParser.rfc3339(parameters, "until")
            let limit = try Self.positiveLimit(parameters, "limit", cap: 10_000) ?? 200
            let service = parameters.value("service")
            let json = try await read {
                try $0.uncorrelatedLogsJSON(service: service, since: since, until: until, limit: limit)
            }
            return Self.json(Array(json.utf8))
        case .errorClasses:
            let classes = try await read { try $0.errorClasses() }
            return Self.json(JaegerEnvelope.strings(classes))
        case .tempoSearch:
            var search = try TraceQLSubset.search(parameters.value("q") ?? "")
            let seconds = (nanosPerUnit: Int64(1_000_000_000), what: "seconds since the epoch")
            search.startFrom = try Self.wholeUnits(parameters, "start", nanosPerUnit: seconds.0, what: seconds.what)
            search.startUntil = try Self.wholeUnits(parameters, "end", nanosPerUnit: seconds.0, what: seconds.what)
            search.limit = try Self.positiveLimit(parameters, "limit", cap: TraceSearchParser.maxLimit) ?? 20
            let found = try await read { [search] in try $0.searchTraces(search) }
            var writer = JSONWriter()
            TempoSearchEncoder.write(found, to: &writer)
            return Self.json(writer.bytes)
        case .tempoTags(let version):
            var writer = JSONWriter()
            TempoSearchEncoder.writeTags(version: version, to: &writer)
            return Self.json(writer.bytes)
        case .tempoTagValues(let tag, let version):
            let values = try await read { try TempoSearchEncoder.values(of: tag, in: $0) }
            var writer = JSONWriter()
            TempoSearchEncoder.write(values: values, version: version, to: &writer)
            return Self.json(writer.bytes)
        case .echo:
            return Self.text("echo")
        case .buildInfo:
            var writer = JSONWriter()
            writer.raw("{\"version\":")
            writer.string(TraceJoinVersion.current)
            writer.raw(",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}")
            return Self.json(writer.bytes)
        case .tempoTrace(let id):
            let traces = try await traces(id)
            guard !traces.isEmpty else {
                return Self.text("trace not found\n", status: .notFound)
            }
            if protobuf { return Self.protobuf(try OTLPTraceEncoder.traceByIDResponseProtobuf(traces)) }
            var writer = JSONWriter()
            writer.raw("{\"trace\":{\"resourceSpans\":")
            OTLPTraceEncoder.writeResourceSpans(traces, to: &writer)
            writer.raw("}}")
            return Self.json(writer.bytes)
        case .trace(let id):
            let traces = try await traces(id)
            if protobuf {
                // Tempo's v1 trace by ID (Grafana's Tempo data source before v2): `tempopb.Trace`.
                guard !traces.isEmpty else { return Self.text("trace not found\n", status: .notFound) }
                return Self.protobuf(try OTLPTraceEncoder.traceProtobuf(traces))
            }
            guard !traces.isEmpty else {
                let readings = TraceIDText.readings(id)
                let canonical =
                    switch readings[0] {
                    case .full(let id): JaegerTraceEncoder.jaegerHex(id)
                    case .lower64(let low): String(low)
                    }
                return Self.json(
                    JaegerEnvelope.error(code: 404, message: "trace not found", traceID: canonical), status: .notFound)
            }
            return Self.json(JaegerEnvelope.data(total: traces.count) { Self.write(traces, to: &$0) })
        }
    }

    /// The traces an ID in any form `show` accepts names; 400 for an ID in no form.
    private func traces(_ id: String) async throws -> [TraceView] {
        try await read(byID: id) { try $0.traces(for: $1) }
    }

    /// What `body` reads for the first reading of `id` that names a trace; 400 for an ID in no form. 16 decimal
    /// digits are read as hex first, then as a Datadog ID, as `show` reads them.
    private func read<Item: Sendable>(
        byID id: String, _ body: @escaping @Sendable (any TraceQueryBackend, TraceReference) throws -> [Item]
    ) async throws -> [Item] {
        let readings = TraceIDText.readings(id)
        guard !readings.isEmpty else { throw QueryRequestError.malformedTraceID }
        return try await read { backend in
            var items: [Item] = []
            for reference in readings where items.isEmpty { items = try body(backend, reference) }
            return items
        }
    }

    /// Runs a blocking read of the backend on NIO's thread pool.
    private func read<Result: Sendable>(
        _ body: @escaping @Sendable (any TraceQueryBackend) throws -> Result
    ) async throws -> Result {
        let backend = backend
        return try await NIOThreadPool.singleton.runIfActive { try body(backend) }
    }

    /// Jaeger's span kinds (`server`, `client`, `producer`, `consumer`, `internal`); empty or absent for all.
    /// The span kind of the first of `names` the request gives (api/v3 takes `spanKind` and its older `span_kind`);
    /// a refusal names the parameter as the request wrote it.
    static func spanKind(_ parameters: QueryParameters, _ names: String...) throws(QueryRequestError) -> SpanKind? {
        guard let name = names.first(where: { parameters.value($0) != nil }), let text = parameters.value(name) else {
            return nil
        }
        guard let kind = SpanKind.allCases.first(where: { $0 != .unspecified && $0.name == text }) else {
            throw .badParameter(name, "unsupported span kind: use server, client, producer, consumer or internal")
        }
        return kind
    }

    /// A non-negative whole number of `unit` (`nanosPerUnit` ns each, `what` in the refusal), as nanoseconds; nil
    /// when absent. Tempo's `start`/`end` are seconds since the epoch, Jaeger's `endTs`/`lookback` milliseconds.
    static func wholeUnits(
        _ parameters: QueryParameters, _ name: String, nanosPerUnit: Int64, what: String
    ) throws(QueryRequestError) -> Int64? {
        guard let text = parameters.value(name), !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0, value <= Int64.max / nanosPerUnit else {
            throw .badParameter(name, "not a whole number of \(what)")
        }
        return value * nanosPerUnit
    }

    /// A positive count, at most `cap` (larger ones are read as `cap`); nil when absent.
    static func positiveLimit(_ parameters: QueryParameters, _ name: String, cap: Int) throws(QueryRequestError)
        -> Int?
    {
        guard let text = parameters.value(name) else { return nil }
        guard let limit = Int(text), limit > 0 else { throw .badParameter(name, "not a positive integer") }
        return min(limit, cap)
    }

    // MARK: - Writing

    private static func write(_ links: [ServiceDependency], to writer: inout JSONWriter) {
        writer.array(links) { writer, link in
            writer.raw("{\"parent\":")
            writer.string(link.parent)
            writer.raw(",\"child\":")
            writer.string(link.child)
            writer.raw(",\"callCount\":\(link.callCount)}")
        }
    }

    private static func write(_ operations: [OperationName], to writer: inout JSONWriter) {
        writer.array(operations) { writer, operation in
            writer.raw("{\"name\":")
            writer.string(operation.name)
            writer.raw(",\"spanKind\":")
            writer.string(operation.kind == .unspecified ? "" : operation.kind.name)
            writer.raw("}")
        }
    }

    private static func write(_ traces: [TraceView], to writer: inout JSONWriter) {
        writer.array(traces) { JaegerTraceEncoder.write($1, to: &$0) }
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// api/v3's answer for traces: the OTLP JSON of their spans under `result`, as Jaeger's HTTP gateway writes a
    /// stream of one chunk.
    static func v3Result(_ traces: [TraceView]) -> Response {
        var writer = JSONWriter()
        writer.raw("{\"result\":{\"resourceSpans\":")
        OTLPTraceEncoder.writeResourceSpans(traces, to: &writer)
        writer.raw("}}")
        return json(writer.bytes)
    }

    /// api/v3's error: `{"error": {"httpCode", "message"}}`.
    static func v3Error(_ code: Int, _ message: String) -> Response {
        var writer = JSONWriter()
        writer.raw("{\"error\":{\"httpCode\":\(code),\"message\":")
        writer.string(message)
        writer.raw("}}")
        return json(writer.bytes, status: HTTPResponse.Status(code: code))
    }

    static func protobuf(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/protobuf"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func refusal(_ refusal: QueryRequestError) -> Response {
        json(
            JaegerEnvelope.error(code: refusal.status, message: refusal.message),
            status: HTTPResponse.Status(code: refusal.status))
    }
}
