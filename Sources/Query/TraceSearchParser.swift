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
    ///
    /// Parameter names are camel case as Jaeger 2.19 and later write them (`query.serviceName`,
    /// `query.searchDepth`), or the snake case of earlier versions (`query.service_name`, `query.num_traces`).
    /// Attributes come as `query.attributes.KEY=VALUE` parameters, or as one `query.attributes`: a JSON object
    /// (`{"error":"true"}`) or `key=value` pairs separated by spaces, as Jaeger UI's tags field holds them.
    package static func v3Search(from parameters: QueryParameters) throws(QueryRequestError) -> TraceSearch {
        let named = V3Names(parameters)
        var search = TraceSearch(
            service: parameters.value(named("serviceName")), operation: parameters.value(named("operationName")))
        search.startFrom = try rfc3339(parameters, named("startTimeMin"))
        search.startUntil = try rfc3339(parameters, named("startTimeMax"))
        search.minDuration = try duration(parameters, named("durationMin"))
        search.maxDuration = try duration(parameters, named("durationMax"))
        if let low = search.minDuration, let high = search.maxDuration, high < low {
            throw .badParameter(
                named("durationMax"), "'\(named("durationMax"))' should be greater than '\(named("durationMin"))'")
        }
        search.tags = parameters.names.filter { $0.hasPrefix("query.attributes.") }.compactMap { name in
            parameters.value(name).map {
                TagCondition(key: String(name.dropFirst("query.attributes.".count)), value: $0)
            }
        }
        if let attributes = parameters.value("query.attributes") {
            search.tags += try v3Attributes(attributes)
        }
        let depth = parameters.value("query.searchDepth") != nil ? "query.searchDepth" : "query.num_traces"
        search.limit = try limit(parameters, depth)
        return search
    }

    /// The name a request used for a camel-case v3 parameter: itself, or its snake-case alias when only that is given.
    private struct V3Names {
        let parameters: QueryParameters

        init(_ parameters: QueryParameters) { self.parameters = parameters }

        func callAsFunction(_ camel: String) -> String {
            let name = "query." + camel
            guard parameters.value(name) == nil else { return name }
            var snake = "query."
            for character in camel {
                if character.isUppercase { snake += "_" + character.lowercased() } else { snake.append(character) }
            }
            return snake
        }
    }

    /// `query.attributes` as a JSON object of strings, or as `key=value` pairs separated by spaces.
    private static func v3Attributes(_ text: String) throws(QueryRequestError) -> [TagCondition] {
        let parameter = "query.attributes"
        let trimmed = text.trimmingWhitespace()
        var tags: [TagCondition] = []
        if trimmed.hasPrefix("{") {
            tags = try jsonTags(trimmed, parameter: parameter)
        } else {
            for pair in trimmed.split(separator: " ") {
                guard let equals = pair.firstIndex(of: "=") else {
                    throw .badParameter(parameter, "write attributes as key=value pairs or a JSON object")
                }
                tags.append(TagCondition(key: String(pair[..<equals]), value: String(pair[pair.index(after: equals)...])))
            }
        }
        try checkKeys(tags, parameter: parameter)
        return tags
    }

    /// Jaeger's limit: absent or 0 for the default, at most ``maxLimit`` (larger ones are read as it).
    private static func limit(_ parameters: QueryParameters, _ name: String) throws(QueryRequestError) -> Int {
        guard let text = parameters.value(name) else { return TraceSearch.defaultLimit }
        guard let limit = Int(text), limit >= 0 else { throw .badParameter(name, "not a non-negative integer") }
        return limit == 0 ? TraceSearch.defaultLimit : min(limit, maxLimit)
    }

    /// An RFC 3339 time (`2026-11-23T10:00:00Z`, fractions and offsets allowed), or a shorter form the CLI's
    /// `--since` takes too (``UserTimeText``), as nanoseconds since the epoch.
    static func rfc3339(_ parameters: QueryParameters, _ name: String) throws(QueryRequestError) -> Int64? {
        guard let text = parameters.value(name), !text.isEmpty else { return nil }
        guard let nanos = UserTimeText.nanoseconds(text) else {
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
            tags += try jsonTags(text, parameter: "tags")
        }
        try checkKeys(tags, parameter: "tags")
        return tags
    }

    /// The members of a JSON object of strings (numbers and booleans are read as written), as tag conditions.
    private static func jsonTags(_ text: String, parameter: String) throws(QueryRequestError) -> [TagCondition] {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw .badParameter(parameter, "malformed '\(parameter)' parameter, cannot parse JSON: \(error.description)")
        }
        guard let object = json.object else {
            throw .badParameter(parameter, "malformed '\(parameter)' parameter: expecting a JSON object of strings")
        }
        var tags: [TagCondition] = []
        for (key, value) in object.members {
            guard let text = value.scalarText else {
                throw .badParameter(parameter, "malformed '\(parameter)' parameter: each value must be a string")
            }
            tags.append(TagCondition(key: key, value: text))
        }
        return tags
    }

    private static func checkKeys(_ tags: [TagCondition], parameter: String) throws(QueryRequestError) {
        if tags.contains(where: { $0.key.isEmpty || $0.key.contains("\"") }) {
            throw .badParameter(parameter, "a tag key may be neither empty nor hold a double quote")
        }
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
