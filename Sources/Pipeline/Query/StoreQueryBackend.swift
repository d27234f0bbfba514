package import Store
package import TraceJoinCore

/// The query server's reads (``TraceQueryBackend``) over one database: services, operations and search from the
/// store, and every trace through ``TimelineQuery``, the reader `show` uses, made into a ``TraceView``.
package struct StoreQueryBackend: TraceQueryBackend {
    package let store: IncidentStore

    package init(store: IncidentStore) {
        self.store = store
    }

    package func serviceNames() throws -> [String] {
        try store.traceServiceNames()
    }

    package func operations(service: String, kind: SpanKind?) throws -> [OperationName] {
        try store.operations(service: service, kind: kind)
    }

    package func traces(for reference: TraceReference) throws -> [TraceView] {
        try TimelineQuery.classifiedTraces(for: reference, in: store).map {
            TraceViewBuilder.view(of: $0.trace, classRule: $0.classification?.ruleID)
        }
    }

    package func searchTraces(_ search: TraceSearch) throws -> [TraceView] {
        let keys = try store.traceKeys(matching: Self.filter(for: search))
        return try TimelineQuery.classifiedTraces(traceKeys: keys, in: store).map {
            TraceViewBuilder.view(of: $0.trace, classRule: $0.classification?.ruleID)
        }
    }

    package func incidentsJSON(_ filter: IncidentFilter, grouped: Bool) throws -> String {
        grouped
            ? ProblemFormatter.json(try store.problems(filter))
            : TimelineJSONFormatter.format(incidents: try store.incidents(filter))
    }

    package func timelinesJSON(for reference: TraceReference) throws -> [String] {
        try TimelineQuery.classifiedTimelines(for: reference, in: store).map {
            TimelineJSONFormatter.format($0.timeline, classification: $0.classification)
        }
    }

    package func uncorrelatedLogsJSON(service: String?, since: Int64?, until: Int64?, limit: Int) throws -> String {
        LogJSONFormatter.format(try store.uncorrelatedLogs(service: service, since: since, until: until, limit: limit))
    }

    package func spanNames() throws -> [String] {
        try store.spanNames()
    }

    package func errorClasses() throws -> [String] {
        try store.errorClasses()
    }

    package func dependencies(from: Int64, until: Int64) throws -> [ServiceDependency] {
        try store.serviceDependencies(from: from, until: until).map {
            ServiceDependency(parent: $0.parent, child: $0.child, callCount: $0.calls)
        }
    }

    /// Tags that name a trace's verdict, as the root span of a ``TraceView`` carries them.
    static let summaryTags: [String: SummaryColumn] = [
        "tracejoin.error_class": .errorClass, "tracejoin.class_rule": .classRule,
        "tracejoin.root_cause.service": .rootService, "tracejoin.root_cause.message": .rootMessage,
        "tracejoin.fingerprint": .fingerprint,
    ]

    /// The store's filter for a search: `error=true|false` is the trace's status, the verdict tags are columns of
    /// its summary, and any other tag an attribute of one of its spans.
    static func filter(for search: TraceSearch) -> TraceSearchFilter {
        var filter = TraceSearchFilter(
            service: search.service, operation: search.operation, startFrom: search.startFrom,
            startUntil: search.startUntil, minDuration: search.minDuration, maxDuration: search.maxDuration,
            limit: search.limit)
        for tag in search.tags {
            if tag.key == "error", let isError = Bool(tag.value.lowercased()) {
                filter.status = isError ? "error" : "ok"
            } else if let column = summaryTags[tag.key] {
                filter.summaryEquals[column] = tag.value
            } else {
                filter.spanAttributes.append(tag)
            }
        }
        return filter
    }
}
