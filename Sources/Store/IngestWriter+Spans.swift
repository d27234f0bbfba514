import TraceJoinCore

/// Span rows (in groups), their events and resources.
extension IngestWriter {
    /// Inserts the pending spans, and the events of those that were new.
    ///
    /// A full group goes in one multi-row statement. When only some of its spans were new, a span
    /// with events is new exactly when its row's rowid is above the table's largest rowid before
    /// the insert (new rows are appended); every trace in such a group is marked dirty.
    func flushSpans(
        _ groups: [RowBatch], _ statements: IngestStatements, stats: inout WriteStats,
        touched: inout Set<Int64>
    ) throws {
        if pendingSpans.isEmpty { return }
        defer { pendingSpans.removeAll(keepingCapacity: true) }
        guard pendingSpans.count == IngestStatements.spansPerInsert else {
            for pending in pendingSpans {
                bind(pending, groups, to: statements.insertSpan, from: 0)
                if try statements.insertSpan.run() > 0 {
                    stats.spansInserted += 1
                    touched.insert(pending.traceKey)
                    try insertEvents(of: pending, groups, statements, stats: &stats)
                } else {
                    stats.spansDuplicate += 1
                }
            }
            return
        }
        let hasEvents = pendingSpans.contains { $0.hasEvents }
        let rowIDBefore = hasEvents ? try statements.maxSpanRowID.firstInt64() ?? 0 : 0
        for (index, pending) in pendingSpans.enumerated() {
            bind(pending, groups, to: statements.insertSpans, from: Int32(index * IngestStatements.spanColumns))
        }
        let inserted = try statements.insertSpans.run()
        stats.spansInserted += inserted
        stats.spansDuplicate += pendingSpans.count - inserted
        if inserted == 0 { return }
        for pending in pendingSpans { touched.insert(pending.traceKey) }
        guard hasEvents else { return }
        if inserted == pendingSpans.count {
            for pending in pendingSpans where pending.hasEvents {
                try insertEvents(of: pending, groups, statements, stats: &stats)
            }
            return
        }
        var done = Set<SpanRowKey>()
        for pending in pendingSpans where pending.hasEvents {
            let key = SpanRowKey(span(at: pending.position, in: groups), traceKey: pending.traceKey)
            guard !done.contains(key) else { continue }
            statements.findSpanRowID.bind(1, key.traceKey)
            statements.findSpanRowID.bind(2, key.spanID)
            statements.findSpanRowID.bind(3, key.shared)
            if let rowID = try statements.findSpanRowID.firstInt64(), rowID > rowIDBefore {
                try insertEvents(of: pending, groups, statements, stats: &stats)
                done.insert(key)
            }
        }
    }

    private func insertEvents(
        of pending: PendingSpan, _ groups: [RowBatch], _ statements: IngestStatements, stats: inout WriteStats
    ) throws {
        let statement = statements.insertEvent
        let span = span(at: pending.position, in: groups)
        for event in span.events {
            statement.bind(1, pending.traceKey)
            statement.bind(2, Int64(bitPattern: span.spanID.value))
            statement.bind(3, span.isSharedServerHalf)
            statement.bind(4, event.time)
            statement.bind(5, event.name)
            statement.bind(6, AttributeJSON.encode(event.attributes, into: &json) ? json.bytes : nil)
            try statement.run()
            stats.eventsInserted += 1
        }
    }

    /// Binds one span's columns at parameters `offset + 1 … offset + spanColumns`.
    private func span(at position: RecordPosition, in groups: [RowBatch]) -> SpanRecord {
        guard case .record(let sourced) = groups[position.group].entries[position.index], case .span(let span) = sourced.record
        else {
            preconditionFailure("a pending span's position holds a span")
        }
        return span
    }

    private func bind(_ pending: PendingSpan, _ groups: [RowBatch], to statement: RawStatement, from offset: Int32) {
        let span = span(at: pending.position, in: groups)
        statement.bind(offset + 1, pending.traceKey)
        statement.bind(offset + 2, Int64(bitPattern: span.spanID.value))
        statement.bind(offset + 3, span.isSharedServerHalf)
        statement.bind(offset + 4, span.parentSpanID.map { Int64(bitPattern: $0.value) })
        statement.bind(offset + 5, span.service)
        statement.bind(offset + 6, span.name)
        statement.bind(offset + 7, span.kind.rawValue)
        statement.bind(offset + 8, span.startTime)
        statement.bind(offset + 9, span.endTime)
        statement.bind(offset + 10, span.status.rawValue)
        statement.bind(offset + 11, nonEmpty: span.statusMessage)
        statement.bind(offset + 12, AttributeJSON.encode(span.attributes, into: &json) ? json.bytes : nil)
        statement.bind(offset + 13, pending.resourceID)
        statement.bind(offset + 14, nonEmpty: span.scope)
        statement.bind(offset + 15, AttributeJSON.encode(span.links, into: &json) ? json.bytes : nil)
        statement.bind(offset + 16, Int64(span.flags))
        statement.bind(offset + 17, pending.sourceID)
        statement.bind(offset + 18, span.origin.line)
        statement.bind(offset + 19, span.origin.byteOffset)
        statement.bind(offset + 20, span.origin.ordinal)
    }

    /// The `resources` row for a span's resource attributes, inserted the first time it is seen.
    func resourceID(for resource: [Attribute], _ statements: IngestStatements) throws -> Int64? {
        if let last = lastResource, last.attributes == resource { return last.id }
        guard AttributeJSON.encode(resource, into: &json) else { return nil }
        let encoded = json.bytes
        var id = resourceIDs.value(for: encoded)
        if id == nil {
            statements.insertResource.bind(1, encoded)
            try statements.insertResource.run()
            statements.findResource.bind(1, encoded)
            id = try statements.findResource.firstInt64()
            if let id { resourceIDs.insert(id, for: encoded) }
        }
        lastResource = (resource, id)
        return id
    }
}

/// A span waiting for its group's insert, with its trace key and resource resolved.
struct PendingSpan {
    var position: RecordPosition
    var traceKey: Int64
    var resourceID: Int64?
    var sourceID: Int64
    var hasEvents: Bool
}

/// The unique key of a span row.
private struct SpanRowKey: Hashable {
    var traceKey: Int64
    var spanID: Int64
    var shared: Bool

    init(_ span: SpanRecord, traceKey: Int64) {
        self.traceKey = traceKey
        spanID = Int64(bitPattern: span.spanID.value)
        shared = span.isSharedServerHalf
    }
}
