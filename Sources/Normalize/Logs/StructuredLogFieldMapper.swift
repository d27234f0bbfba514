import TraceJoinCore

/// Maps the members of a JSON log object (or a logfmt line) onto record fields.
///
/// Every emitter names the same things differently (pino, bunyan, winston, zap, zerolog, logrus,
/// slog, python-json-logger, logback/log4j JSON, ECS, Datadog, Serilog, GCP). Each key has a role
/// and a rank; the best-ranked member that parses wins (ties: the first in input order), and
/// everything not used stays an attribute, in input order. A logger's own name (pino's `name`,
/// logrus' `logger`) and `hostname` are attributes, never the service: the service is the
/// resource identity, and a pino logger name like `paymentservice-server` is not it.
enum StructuredLogFieldMapper {
    enum Role: Sendable {
        case time(rank: Int)
        /// `numeric`: the key may hold a pino/bunyan/syslog number; `strict`: only known level names
        /// count (Datadog's `status` is also an HTTP status elsewhere).
        case level(rank: Int, numeric: Bool, strict: Bool)
        /// OTLP's `severity_number` (1–24); a level name beside it wins.
        case otlpSeverityNumber
        case message(rank: Int)
        case traceHex, traceDecimal, traceparent, traceGoogle
        case spanHex, spanDecimal
        case traceFlags, sampled
        case service(rank: Int)
        /// An object whose members have roles of their own (`trace: {id}`, `dd: {trace_id}`).
        case nested(Nested)
    }

    /// The objects whose members are looked into. A plain enum keeps `Role` a trivial value (no
    /// reference counting per lookup).
    enum Nested: Int, Sendable {
        case trace, span, dd, resource, resourceService, service, log
    }

    static let roles: KeyRoleTable<Role> = {
        var roles: [(String, Role)] = []
        for key in ["@timestamp", "timestamp", "time", "ts", "t", "@t", "date", "datetime", "asctime", "eventTime",
            "timeUnixNano", "time_unix_nano", "timeMillis", "timestamp_ms", "_time", "instant"]
        {
            roles.append((key, .time(rank: 0)))
        }
        for key in ["level", "lvl"] { roles.append((key, .level(rank: 0, numeric: true, strict: false))) }
        for key in ["levelname", "log.level", "severity", "loglevel", "log_level", "level_name", "levelName",
            "severity_text", "severityText", "@l", "@level"]
        {
            roles.append((key, .level(rank: 0, numeric: false, strict: false)))
        }
        roles.append(("status", .level(rank: 1, numeric: false, strict: true)))
        for key in ["severity_number", "severityNumber"] { roles.append((key, .otlpSeverityNumber)) }
        for key in ["msg", "message", "@message", "@m"] { roles.append((key, .message(rank: 0))) }
        // `log` as a string is a message (fluent-bit, journald exports); as an object (ECS) see `Nested.log`.
        for key in ["log", "MESSAGE", "short_message", "textPayload"] { roles.append((key, .message(rank: 1))) }
        for key in ["event", "@mt"] { roles.append((key, .message(rank: 2))) }
        for key in ["trace_id", "traceId", "traceID", "TraceId", "TraceID", "trace.id", "otelTraceID", "traceid",
            "X-B3-TraceId", "x-b3-traceid", "ot.trace_id"]
        {
            roles.append((key, .traceHex))
        }
        for key in ["span_id", "spanId", "spanID", "SpanId", "SpanID", "span.id", "otelSpanID", "spanid",
            "X-B3-SpanId", "x-b3-spanid", "logging.googleapis.com/spanId", "ot.span_id"]
        {
            roles.append((key, .spanHex))
        }
        roles.append(("dd.trace_id", .traceDecimal))
        roles.append(("dd.span_id", .spanDecimal))
        roles.append(("traceparent", .traceparent))
        roles.append(("logging.googleapis.com/trace", .traceGoogle))
        for key in ["trace_flags", "traceFlags", "trace.flags", "flags"] { roles.append((key, .traceFlags)) }
        for key in ["otelTraceSampled", "trace_sampled", "traceSampled", "logging.googleapis.com/trace_sampled"] {
            roles.append((key, .sampled))
        }
        for key in ["service.name", "resource.service.name"] { roles.append((key, .service(rank: 0))) }
        for key in ["otelServiceName", "dd.service", "service", "serviceName", "service_name"] {
            roles.append((key, .service(rank: 1)))
        }
        for key in ["app", "application", "app_name", "appName"] { roles.append((key, .service(rank: 2))) }
        roles.append(("trace", .nested(.trace)))
        roles.append(("span", .nested(.span)))
        roles.append(("dd", .nested(.dd)))
        roles.append(("resource", .nested(.resource)))
        return KeyRoleTable(roles)
    }()

    /// The member roles inside each nested object.
    static let nestedRoles: [KeyRoleTable<Role>] = {
        var tables: [KeyRoleTable<Role>] = []
        for nested in [Nested.trace, .span, .dd, .resource, .resourceService, .service, .log] {
            precondition(nested.rawValue == tables.count)
            switch nested {
            case .trace: tables.append(KeyRoleTable([("id", .traceHex), ("flags", .traceFlags), ("sampled", .sampled)]))
            case .span: tables.append(KeyRoleTable([("id", .spanHex)]))
            case .dd:
                tables.append(
                    KeyRoleTable([("trace_id", .traceDecimal), ("span_id", .spanDecimal), ("service", .service(rank: 1))]))
            case .resource:
                tables.append(KeyRoleTable([("service.name", .service(rank: 0)), ("service", .nested(.resourceService))]))
            case .resourceService, .service: tables.append(KeyRoleTable([("name", .service(rank: 0))]))
            case .log: tables.append(KeyRoleTable([("level", .level(rank: 0, numeric: false, strict: false))]))
            }
        }
        return tables
    }()

    /// Keys whose flat role is for strings but which, holding an object, are looked into (`service: {name}`).
    @inline(__always)
    static func nestedWhenObject(_ bytes: UnsafeBufferPointer<UInt8>, _ member: RawMember) -> Nested? {
        if LogBytes.hasPrefix(bytes, at: member.keyStart, to: member.keyEnd, "service"), member.keyEnd - member.keyStart == 7 {
            return .service
        }
        if LogBytes.hasPrefix(bytes, at: member.keyStart, to: member.keyEnd, "log"), member.keyEnd - member.keyStart == 3 {
            return .log
        }
        return nil
    }

    /// The role of a member's key.
    @inline(__always)
    static func role(_ bytes: UnsafeBufferPointer<UInt8>, _ member: RawMember, in table: KeyRoleTable<Role>) -> Role? {
        if member.keyEscaped {
            return table.role(RawJSONScanner.string(bytes, member.keyStart, member.keyEnd, escaped: true))
        }
        return table.role(bytes, member.keyStart, member.keyEnd)
    }

    /// The record fields of an object's members (JSON) or a line's pairs (logfmt), read from `bytes`;
    /// `copiesJSON` lets the attributes be copied as stored JSON (JSON lines only).
    static func map(_ bytes: UnsafeBufferPointer<UInt8>, _ members: [RawMember], year: Int, copiesJSON: Bool) -> LogFields {
        var state = StructuredFieldSelection(bytes: bytes, year: year, copiesJSON: copiesJSON)
        for index in members.indices {
            let member = members[index]
            let role = role(bytes, member, in: roles)
            if member.kind == .object {
                if case .nested(let nested)? = role {
                    state.visit(member, roles: nestedRoles[nested.rawValue], path: MemberPath(index))
                } else if let nested = nestedWhenObject(bytes, member) {
                    state.visit(member, roles: nestedRoles[nested.rawValue], path: MemberPath(index))
                } else if case .time? = role {
                    state.offer(role!, member, path: MemberPath(index))
                }
                continue
            }
            guard let role else { continue }
            state.offer(role, member, path: MemberPath(index))
        }
        return state.finish(members)
    }
}
