import GRDB
package import TraceJoinCore

/// A column of the `traces` summary a search can compare with a value.
package enum SummaryColumn: String, Sendable, CaseIterable {
    case errorClass = "error_class"
    case classRule = "class_rule"
    case rootService = "root_service"
    case rootMessage = "root_message"
    case fingerprint = "fingerprint"
}

/// A search over summarised traces (the query server's `GET /api/traces`). Times are nanoseconds since the
/// epoch, all bounds inclusive; every condition set must hold.
package struct TraceSearchFilter: Sendable, Equatable {
    /// The trace involves this service (`traces.services`).
    package var service: String?
    /// The trace has a span of this name (of `service`, when set).
    package var operation: String?
    package var startFrom: Int64?
    package var startUntil: Int64?
    /// Bounds on `end_ns - start_ns`.
    package var minDuration: Int64?
    package var maxDuration: Int64?
    /// `error` or `ok`.
    package var status: String?
    package var summaryEquals: [SummaryColumn: String]
    /// Each must equal (as text) an attribute of one span of the trace, or of that span's resource.
    package var spanAttributes: [TagCondition]
    package var limit: Int

    package init(
        service: String? = nil, operation: String? = nil, startFrom: Int64? = nil, startUntil: Int64? = nil,
        minDuration: Int64? = nil, maxDuration: Int64? = nil, status: String? = nil,
        summaryEquals: [SummaryColumn: String] = [:], spanAttributes: [TagCondition] = [], limit: Int = 100
    ) {
        self.service = service
        self.operation = operation
        self.startFrom = startFrom
        self.startUntil = startUntil
        self.minDuration = minDuration
        self.maxDuration = maxDuration
        self.status = status
        self.summaryEquals = summaryEquals
        self.spanAttributes = spanAttributes
        self.limit = limit
    }
}

/// The read side of the query server (issue #17): services, operations and trace search. Every value a client
/// sends is a bound parameter; only fixed column names are written into the SQL.
extension IncidentStore {
    /// The services of summarised traces (from their spans and logs), sorted. Logs without trace context are
    /// left out: no trace search would find them.
    package func traceServiceNames() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT CAST(j.value AS BLOB) FROM traces t, json_each(t.services) j
                    WHERE t.services IS NOT NULL ORDER BY 1
                    """)
        }
    }

    /// The distinct span names of all services, sorted: one scan of `spans`.
    package func spanNames() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT CAST(name AS BLOB) FROM spans ORDER BY 1")
        }
    }

    /// The distinct error classes of stored traces, sorted (reads every trace summary).
    package func errorClasses() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT CAST(error_class AS BLOB) FROM traces WHERE error_class IS NOT NULL ORDER BY 1")
        }
    }

    /// Calls between services in the traces that started between `from` and `until` (ns, inclusive): each span
    /// whose parent span belongs to another service counts one call from that service to its own, and so does
    /// the server half of a Zipkin shared span (same span ID as its client half) from the client's service.
    /// A span whose parent is shared is counted under the server half, where its process is. Reads every trace
    /// summary in the range and the spans of those traces.
    package func serviceDependencies(from: Int64, until: Int64) throws
        -> [(parent: String, child: String, calls: Int)]
    {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH window AS (SELECT trace_key FROM traces WHERE start_ns BETWEEN ? AND ?),
                    links AS (
                        SELECT parent.service AS caller, child.service AS callee
                        FROM window JOIN spans child ON child.trace_key = window.trace_key
                        JOIN spans parent ON parent.trace_key = child.trace_key
                            AND parent.span_id = child.parent_span_id
                            AND parent.shared = (SELECT max(p.shared) FROM spans p
                                WHERE p.trace_key = child.trace_key AND p.span_id = child.parent_span_id)
                        WHERE child.shared = 0 AND parent.service <> child.service
                        UNION ALL
                        SELECT client.service, server.service
                        FROM window JOIN spans server ON server.trace_key = window.trace_key AND server.shared = 1
                        JOIN spans client ON client.trace_key = server.trace_key AND client.span_id = server.span_id
                            AND client.shared = 0
                        WHERE client.service <> server.service
                    )
                    SELECT CAST(caller AS BLOB), CAST(callee AS BLOB), count(*) FROM links
                    GROUP BY 1, 2 ORDER BY 1, 2
                    """,
                arguments: [from, until]
            ).map { (parent: $0[0], child: $0[1], calls: $0[2]) }
        }
    }

    /// The distinct span names of `service` and their kinds, sorted by name then kind. Scans `spans`: no index
    /// leads with the service.
    package func operations(service: String, kind: SpanKind?) throws -> [OperationName] {
        var sql = "SELECT DISTINCT CAST(name AS BLOB), kind FROM spans WHERE service = ?"
        var arguments: StatementArguments = [service]
        if let kind {
            sql += " AND kind = ?"
            arguments += [kind.rawValue]
        }
        sql += " ORDER BY 1, 2"
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                OperationName(name: row[0], kind: SpanKind(rawValue: row[1]) ?? .unspecified)
            }
        }
    }

    /// The keys of the summarised traces matching `filter`, newest start first.
    package func traceKeys(matching filter: TraceSearchFilter) throws -> [Int64] {
        var conditions = ["t.status IS NOT NULL"]
        var arguments = StatementArguments()
        if let service = filter.service {
            conditions.append("EXISTS (SELECT 1 FROM json_each(t.services) WHERE json_each.value = ?)")
            arguments += [service]
        }
        if let operation = filter.operation {
            var spanCondition = "s.trace_key = t.trace_key AND s.name = ?"
            arguments += [operation]
            if let service = filter.service {
                spanCondition += " AND s.service = ?"
                arguments += [service]
            }
            conditions.append("EXISTS (SELECT 1 FROM spans s WHERE \(spanCondition))")
        }
        for (condition, value) in [
            ("t.start_ns >= ?", filter.startFrom), ("t.start_ns <= ?", filter.startUntil),
            ("t.end_ns - t.start_ns >= ?", filter.minDuration), ("t.end_ns - t.start_ns <= ?", filter.maxDuration),
        ] {
            guard let value else { continue }
            conditions.append(condition)
            arguments += [value]
        }
        if let status = filter.status {
            conditions.append("t.status = ?")
            arguments += [status]
        }
        for column in SummaryColumn.allCases {
            guard let value = filter.summaryEquals[column] else { continue }
            conditions.append("t.\(column.rawValue) = ?")
            arguments += [value]
        }
        for tag in filter.spanAttributes {
            // SQLite's JSON paths cannot name a key that holds `"`: such a condition matches nothing.
            guard !tag.key.contains("\"") else {
                conditions.append("0")
                continue
            }
            conditions.append(Self.spanAttributeCondition)
            let path = "$.\"\(tag.key)\""  // `$."http.method"`: a dotted key is one key
            arguments += [path, path, tag.value, path, path, tag.value]
        }
        arguments += [filter.limit]
        let sql = """
            SELECT t.trace_key FROM traces t WHERE \(conditions.joined(separator: " AND "))
            ORDER BY t.start_ns DESC, t.trace_key DESC LIMIT ?
            """
        return try pool.read { db in try Int64.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// One span of the trace, or its resource, has the attribute (path, path, value, twice) equal as text:
    /// booleans as `true`/`false`, numbers as SQLite prints them.
    private static let spanAttributeCondition = """
        EXISTS (SELECT 1 FROM spans s LEFT JOIN resources r ON r.resource_id = s.resource_id
            WHERE s.trace_key = t.trace_key
            AND (\(attributeText("s.attributes")) = ? OR \(attributeText("r.attributes")) = ?))
        """

    private static func attributeText(_ column: String) -> String {
        """
        CASE json_type(\(column), ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
        ELSE CAST(json_extract(\(column), ?) AS TEXT) END
        """
    }
}
