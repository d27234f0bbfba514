package import TraceJoinCore

/// Reads Jaeger's trace search parameters (`GET /api/traces`) into a ``TraceSearch``.
///
/// As jaeger-query reads them (`cmd/query/app/query_parser.go`): `start`/`end` in microseconds since the epoch,
/// `minDuration`/`maxDuration` as Go durations, `tags` a JSON object of strings (repeatable), `tag=key:value`
/// (repeatable), `limit` (default 100). Unlike Jaeger, `service` is optional (`tags={"error":"true"}` alone
/// lists incidents), `start` has no default (a nightly database is searched whole), and `limit` is capped at
/// ``maxLimit``: every trace is answered whole. `lookback` is ignored, as Jaeger ignores it.
package enum TraceSearchParser {
    package static let maxLimit = 1_000

    package static func search(from parameters: QueryParameters) throws(QueryRequestError) -> TraceSearch {
        var search = TraceSearch(service: parameters.value("service"), operation: parameters.value("operation"))
        search.startFrom = try microseconds(parameters, "start")
        search.startUntil = try microseconds(parameters, "end")
        search.minDuration = try duration(parameters, "minDuration")
        search.maxDuration = try duration(parameters, "maxDuration")
        if let min = search.minDuration, let max = search.maxDuration, max < min {
            throw .badParameter("maxDuration", "'maxDuration' should be greater than 'minDuration'")
        }
        search.tags = try tags(parameters)
        search.limit = try limit(parameters, "limit")
        return search
    }

    /// Jaeger's api/v3 search (`GET /api/v3/traces`): `query.service_name`, `query.operation_name`,
    /// `query.start_time_min`/`_max` (RFC 3339), `query.duration_min`/`_max` (Go durations), `query.num_traces`, and
    /// `query.attributes.KEY=VALUE` as tags (`query.attributes.error=true` lists incidents).
    package static func v3Search(from parameters: QueryParameters) throws(QueryRequestError) -> TraceSearch {
        var search = TraceSearch(
            service: parameters.value("query.service_name"), operation: parameters.value("query.operation_name"))
        search.startFrom = try rfc3339(parameters, "query.start_time_min")
        search.startUntil = try rfc3339(parameters, "query.start_time_max")
        search.minDuration = try duration(parameters, "query.duration_min")
        search.maxDuration = try duration(parameters, "query.duration_max")
        search.tags = parameters.names.filter { $0.hasPrefix("query.attributes.") }.compactMap { name in
            parameters.value(name).map {
                TagCondition(key: String(name.dropFirst("query.attributes.".count)), value: $0)
            }
        }
        search.limit = try limit(parameters, "query.num_traces")
        return search
    }

    /// Jaeger's limit: absent or 0 for the default, at most ``maxLimit`` (larger ones are read as it).
    private static func limit(_ parameters: QueryParameters, _ name: String) throws(QueryRequestError) -> Int {
        guard let text = parameters.value(name) else { return TraceSearch.defaultLimit }
        guard let limit = Int(text), limit >= 0 else { throw .badParameter(name, "not a non-negative integer") }
        return limit == 0 ? TraceSearch.defaultLimit : min(limit, maxLimit)
    }

    /// An RFC 3339 time (`2026-11-23T10:00:00Z`, fractions and offsets allowed), as nanoseconds since the epoch.
    static func rfc3339(_ parameters: QueryParameters, _ name: String) throws(QueryRequestError) -> Int64? {
        guard let text = parameters.value(name), !text.isEmpty else { return nil }
        guard let nanos = RFC3339.nanoseconds(text) else {
            throw .badParameter(name, "not an RFC 3339 time such as 2026-11-23T10:00:00Z")
        }
        return nanos
    }

    /// Microseconds since the epoch, as nanoseconds.
    private static func microseconds(_ parameters: QueryParameters, _ name: String) throws(QueryRequestError)
        -> Int64?
    {
        guard let text = parameters.value(name) else { return nil }
        guard let micros = Int64(text) else { throw .badParameter(name, "not an integer (microseconds since epoch)") }
        let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1_000)
        guard !overflow else { throw .badParameter(name, "out of range") }
        return nanos
    }

    private static func duration(_ parameters: QueryParameters, _ name: String) throws(QueryRequestError) -> Int64? {
        guard let text = parameters.value(name) else { return nil }
        guard let nanos = GoDuration.nanoseconds(text) else {
            throw .badParameter(name, "not a duration: write a number and a unit, such as 100ms, 1.5s or 2m")
        }
        guard nanos >= 0 else { throw .badParameter(name, "a duration may not be negative") }
        return nanos
    }

    /// `tag=key:value` pairs, then the members of each `tags` JSON object, in order.
    private static func tags(_ parameters: QueryParameters) throws(QueryRequestError) -> [TagCondition] {
        var tags: [TagCondition] = []
        for pair in parameters.values("tag") {
            guard let colon = pair.firstIndex(of: ":") else {
                throw .badParameter("tag", "malformed 'tag' parameter, expecting key:value")
            }
            tags.append(TagCondition(key: String(pair[..<colon]), value: String(pair[pair.index(after: colon)...])))
        }
        for text in parameters.values("tags") where !text.isEmpty {
            let json: JSONValue
            do {
                json = try JSONParser.parse(text)
            } catch {
                throw .badParameter("tags", "malformed 'tags' parameter, cannot parse JSON: \(error.description)")
            }
            guard let object = json.object else {
                throw .badParameter("tags", "malformed 'tags' parameter: expecting a JSON object of strings")
            }
            for (key, value) in object.members {
                guard let text = value.scalarText else {
                    throw .badParameter("tags", "malformed 'tags' parameter: each value must be a string")
                }
                tags.append(TagCondition(key: key, value: text))
            }
        }
        if tags.contains(where: { $0.key.isEmpty || $0.key.contains("\"") }) {
            throw .badParameter("tags", "a tag key may be neither empty nor hold a double quote")
        }
        return tags
    }
}

extension JSONValue {
    /// A string, number or boolean as text (Jaeger takes strings; numbers and booleans are read as written).
    fileprivate var scalarText: String? {
        switch self {
        case .string(let string): string
        case .number(let literal): literal
        case .bool(let bool): bool ? "true" : "false"
        case .null, .array, .object: nil
        }
    }
}
