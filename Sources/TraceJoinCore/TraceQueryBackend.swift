/// Where the query server (`Query`, issue #17) reads traces: services, operations, one trace, a search.
/// `Pipeline` implements it over the store and the timeline assembly `show` uses, so the server knows HTTP and
/// the response formats and nothing of the stages behind them. Calls block on the database: call them off the
/// event loop.
package protocol TraceQueryBackend: Sendable {
    /// Service names seen in the spans and logs of stored traces, sorted.
    func serviceNames() throws -> [String]
    /// The distinct span names of a service with their kinds, sorted by name; `kind` nil for every kind.
    func operations(service: String, kind: SpanKind?) throws -> [OperationName]
    /// The traces a reference names (several for a Datadog lower-64-bit ID), full traces first; empty when none.
    func traces(for reference: TraceReference) throws -> [TraceView]
    /// Traces matching a search, newest first.
    func searchTraces(_ search: TraceSearch) throws -> [TraceView]
    /// Calls from one service to another (a span whose parent span is another service's) in the traces that
    /// started between `from` and `until` (nanoseconds, inclusive), by caller then callee.
    func dependencies(from: Int64, until: Int64) throws -> [ServiceDependency]
    /// The error classes of stored incidents, sorted.
    func errorClasses() throws -> [String]
    /// The distinct span names of every service, sorted.
    func spanNames() throws -> [String]

    // What the CLI prints with `--format json`, for the built-in page (`/api/tracejoin/…`): the same formatters,
    // so the page and the CLI cannot disagree.

    /// `incidents --format json` (with `grouped`: `incidents --group --format json`).
    func incidentsJSON(_ filter: IncidentFilter, grouped: Bool) throws -> String
    /// `show --format json` of each trace the reference names (several for a Datadog lower-64-bit ID).
    func timelinesJSON(for reference: TraceReference) throws -> [String]
    /// `logs --format json`: logs without trace context, by service and time.
    func uncorrelatedLogsJSON(service: String?, since: Int64?, until: Int64?, limit: Int) throws -> String
}

/// The `incidents` query: error traces, newest first. Times are nanoseconds since the Unix epoch.
package struct IncidentFilter: Sendable, Equatable {
    /// Traces that started at or after this time.
    package var since: Int64?
    /// Traces that started before this time (exclusive).
    package var until: Int64?
    /// Traces in which this service took part.
    package var service: String?
    /// Traces the classifier put in this class.
    package var errorClass: String?
    package var limit: Int?

    package init(
        since: Int64? = nil, until: Int64? = nil, service: String? = nil, errorClass: String? = nil, limit: Int? = nil
    ) {
        self.since = since
        self.until = until
        self.service = service
        self.errorClass = errorClass
        self.limit = limit
    }
}

/// Calls from `parent` to `child`: Jaeger's `DependencyLink`.
package struct ServiceDependency: Sendable, Hashable {
    package var parent: String
    package var child: String
    package var callCount: Int

    package init(parent: String, child: String, callCount: Int) {
        self.parent = parent
        self.child = child
        self.callCount = callCount
    }
}

/// A span name of a service and the kind of span that carries it.
package struct OperationName: Sendable, Hashable {
    package var name: String
    package var kind: SpanKind

    package init(name: String, kind: SpanKind) {
        self.name = name
        self.kind = kind
    }
}

/// A trace search (Jaeger's `GET /api/traces`). Times are nanoseconds since the Unix epoch.
///
/// - `service`: the trace involves this service.
/// - `operation`: the trace has a span of this name (of `service`, when given).
/// - `startFrom`, `startUntil`: the trace started in this range (both inclusive).
/// - `minDuration`, `maxDuration`: the trace's duration (first to last entry) in this range (inclusive).
/// - `tags`: every pair must match; `error` is the trace's status (`true`: an incident), the `tracejoin.*` keys
///   the trace's verdict, other keys a span or resource attribute of one of its spans.
/// - `limit`: at most this many traces.
package struct TraceSearch: Sendable, Equatable {
    package var service: String?
    package var operation: String?
    package var startFrom: Int64?
    package var startUntil: Int64?
    package var minDuration: Int64?
    package var maxDuration: Int64?
    package var tags: [TagCondition]
    package var limit: Int

    package static let defaultLimit = 100

    package init(
        service: String? = nil, operation: String? = nil, startFrom: Int64? = nil, startUntil: Int64? = nil,
        minDuration: Int64? = nil, maxDuration: Int64? = nil, tags: [TagCondition] = [],
        limit: Int = TraceSearch.defaultLimit
    ) {
        self.service = service
        self.operation = operation
        self.startFrom = startFrom
        self.startUntil = startUntil
        self.minDuration = minDuration
        self.maxDuration = maxDuration
        self.tags = tags
        self.limit = limit
    }
}

/// One `key = value` condition of a search, compared as text (`200`, `true`, `timeout`).
package struct TagCondition: Sendable, Hashable {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
