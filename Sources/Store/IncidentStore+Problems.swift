import GRDB
package import TraceJoinCore

/// How a trace was classified, as stored in `traces` (`error_class` is kept by the summary itself).
package struct TraceClassification: Sendable, Equatable {
    package var errorClass: String
    /// The rule that decided; nil when none matched (`unknown`).
    package var ruleID: String?
    /// The entry the rule matched, as `show` prints it (`payment-service span \`psp.charge\``).
    package var entry: String
    package var fingerprint: String

    package init(errorClass: String, ruleID: String?, entry: String, fingerprint: String) {
        self.errorClass = errorClass
        self.ruleID = ruleID
        self.entry = entry
        self.fingerprint = fingerprint
    }
}

/// Incidents folded by fingerprint: one failure seen in many traces (`incidents --group`).
package struct ProblemGroup: Sendable, Equatable {
    package var fingerprint: String
    package var errorClass: String?
    package var count: Int
    /// Start of the earliest and latest trace in the group (nanoseconds since the epoch), among those with
    /// a known time (`saveSummaries` stores none for a trace without one); 0 when no trace of the group has one.
    package var firstSeen: Int64
    package var lastSeen: Int64
    /// Every service that took part in any of the group's traces, sorted.
    package var services: [String]
    /// The latest trace of the group.
    package var exampleTraceID: TraceID
    package var rootCause: RootCause?
    package var ruleID: String?

    package init(
        fingerprint: String, errorClass: String?, count: Int, firstSeen: Int64, lastSeen: Int64, services: [String],
        exampleTraceID: TraceID, rootCause: RootCause?, ruleID: String?
    ) {
        self.fingerprint = fingerprint
        self.errorClass = errorClass
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.services = services
        self.exampleTraceID = exampleTraceID
        self.rootCause = rootCause
        self.ruleID = ruleID
    }
}

extension IncidentStore {
    /// The stored classification of a trace; nil when it has none (not an error, or not summarised yet).
    package func classification(traceKey: Int64) throws -> TraceClassification? {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT error_class, class_rule, CAST(class_entry AS BLOB), fingerprint FROM traces
                        WHERE trace_key = ? AND fingerprint IS NOT NULL
                        """,
                    arguments: [traceKey])
            else { return nil }
            return TraceClassification(
                errorClass: row[0] ?? "unknown", ruleID: row[1], entry: row[2] ?? "", fingerprint: row[3])
        }
    }

    /// Error traces folded by fingerprint, most frequent first (then most recent). The filter's
    /// `limit` applies to groups. A trace without a fingerprint is a group of its own.
    ///
    /// A fingerprint is the root cause (service, operation, message), not the class, so one problem may
    /// hold incidents of several classes: its class, rule and example are those of its latest incident
    /// among the ones the filter admits (with `--class timeout`, a timeout one).
    package func problems(_ filter: IncidentFilter) throws -> [ProblemGroup] {
        let (conditions, arguments) = Self.incidentConditions(filter, alias: "t")
        let (exampleConditions, exampleArguments) = Self.incidentConditions(filter, alias: "e")
        let group = "coalesce(t.fingerprint, 'trace-' || t.trace_key)"
        var sql = """
            SELECT \(group) AS problem, count(*), coalesce(min(t.start_ns), 0), coalesce(max(t.start_ns), 0),
                (SELECT e.trace_key FROM traces e WHERE coalesce(e.fingerprint, 'trace-' || e.trace_key) = \(group)
                    AND \(exampleConditions) ORDER BY e.start_ns DESC, e.trace_key DESC LIMIT 1) AS example
            FROM traces t WHERE \(conditions)
            GROUP BY problem ORDER BY count(*) DESC, max(t.start_ns) DESC, problem
            """
        var groupArguments = exampleArguments + arguments
        if let limit = filter.limit {
            sql += " LIMIT ?"
            groupArguments += [limit]
        }
        return try pool.read { db in
            let groups = try Row.fetchAll(db, sql: sql, arguments: groupArguments)
            var services: [String: Set<String>] = [:]
            let serviceRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT DISTINCT \(group), j.value FROM traces t, json_each(t.services) j WHERE \(conditions)
                    """,
                arguments: arguments)
            while let row = try serviceRows.next() {
                services[row[0], default: []].insert(row[1])
            }
            return try groups.map { row in
                let problem: String = row[0]
                let example = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(Self.summaryColumns), class_rule FROM traces WHERE trace_key = ?
                        """,
                    arguments: [row[4] as Int64])!
                let summary = Self.summary(example)
                return ProblemGroup(
                    fingerprint: problem.hasPrefix("trace-") ? "" : problem, errorClass: summary.errorClass,
                    count: row[1], firstSeen: row[2], lastSeen: row[3], services: (services[problem] ?? []).sorted(),
                    exampleTraceID: summary.traceID, rootCause: summary.rootCause, ruleID: example[15])
            }
        }
    }

    /// The SQL condition on the `traces` row `alias` for the filter (error traces only), and its arguments.
    static func incidentConditions(_ filter: IncidentFilter, alias: String) -> (String, StatementArguments) {
        var conditions = "\(alias).status = 'error'"
        var arguments = StatementArguments()
        if let since = filter.since {
            conditions += " AND \(alias).start_ns >= ?"
            arguments += [since]
        }
        if let until = filter.until {
            conditions += " AND \(alias).start_ns < ?"
            arguments += [until]
        }
        if let service = filter.service {
            conditions += " AND EXISTS (SELECT 1 FROM json_each(\(alias).services) WHERE json_each.value = ?)"
            arguments += [service]
        }
        if let errorClass = filter.errorClass {
            conditions += " AND \(alias).error_class = ?"
            arguments += [errorClass]
        }
        return (conditions, arguments)
    }
}
