import TraceJoinCore

/// What a span says beyond its own attributes, as tags and span logs.
extension JaegerTraceEncoder {
    /// Tag keys tracejoin adds (issue #17): the verdict on the trace's root span, marks on the others.
    package enum Key {
        package static let errorClass = "tracejoin.error_class"
        package static let classRule = "tracejoin.class_rule"
        package static let rootCauseService = "tracejoin.root_cause.service"
        package static let rootCauseSpanID = "tracejoin.root_cause.span_id"
        package static let rootCauseMessage = "tracejoin.root_cause.message"
        package static let rootCause = "tracejoin.root_cause"
        package static let synthetic = "tracejoin.synthetic"
        package static let orphan = "tracejoin.orphan"
        package static let placed = "tracejoin.placed"
    }

    /// The span's attributes, then (unless an attribute has the key already) its kind, scope and status as Jaeger
    /// names them (`span.kind`, `otel.scope.name`, `error: true`, `otel.status_code`, `otel.status_description`),
    /// and tracejoin's marks and verdict.
    static func tags(of span: SpanView, in trace: TraceView) -> [Attribute] {
        let record = span.record
        var tags = record.attributes
        var keys = Set(tags.map(\.key))
        func add(_ key: String, _ value: AttributeValue) {
            if keys.insert(key).inserted { tags.append(Attribute(key, value)) }
        }
        if record.kind != .unspecified { add("span.kind", .string(record.kind.name)) }
        if !record.scope.isEmpty { add("otel.scope.name", .string(record.scope)) }
        switch record.status {
        case .error:
            add("error", .bool(true))
            add("otel.status_code", .string("ERROR"))
        case .ok: add("otel.status_code", .string("OK"))
        case .unset: break
        }
        if !record.statusMessage.isEmpty { add("otel.status_description", .string(record.statusMessage)) }
        for mark in marks(of: span, in: trace) { add(mark.key, mark.value) }
        return tags
    }

    /// tracejoin's marks on a span (orphan, synthetic, root cause) and, on the trace's root, the verdict: the same
    /// keys in Jaeger tags and OTLP attributes.
    static func marks(of span: SpanView, in trace: TraceView) -> [Attribute] {
        var marks: [Attribute] = []
        if span.isOrphan { marks.append(Attribute(Key.orphan, .bool(true))) }
        if span.isSynthetic { marks.append(Attribute(Key.synthetic, .bool(true))) }
        if span.isTraceRoot {
            if let errorClass = trace.summary.errorClass {
                marks.append(Attribute(Key.errorClass, .string(errorClass)))
            }
            if let rule = trace.classRule { marks.append(Attribute(Key.classRule, .string(rule))) }
            if let cause = trace.summary.rootCause {
                marks.append(Attribute(Key.rootCauseService, .string(cause.service)))
                if let id = cause.spanID { marks.append(Attribute(Key.rootCauseSpanID, .string(id.hex))) }
                marks.append(Attribute(Key.rootCauseMessage, .string(cause.message)))
            }
        }
        if span.isRootCause { marks.append(Attribute(Key.rootCause, .bool(true))) }
        return marks
    }

    /// One Jaeger span log: its time and fields.
    struct SpanLog {
        var time: Int64
        var fields: [Attribute]
    }

    /// The span's events (`event: <name>` and their attributes) and the logs placed on it (`level`, `message`,
    /// `service`, their attributes, and `tracejoin.placed` unless they join the span), in time order.
    static func logs(of span: SpanView) -> [SpanLog] {
        let record = span.record
        var logs = record.events.map { event in
            SpanLog(
                time: event.time > 0 ? event.time : record.startTime,
                fields: [Attribute("event", .string(event.name))] + event.attributes)
        }
        for placed in span.logs {
            var fields = [
                Attribute("level", .string(placed.level)), Attribute("message", .string(placed.log.message)),
                Attribute("service", .string(placed.service)),
            ]
            fields += placed.attributes
            if placed.placement != .joined { fields.append(Attribute(Key.placed, .string(placed.placement.rawValue))) }
            if placed.isRootCause { fields.append(Attribute(Key.rootCause, .bool(true))) }
            logs.append(SpanLog(time: placed.time, fields: fields))
        }
        // Stable: at equal times events stay before logs, each in their own order.
        return logs.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }
}
