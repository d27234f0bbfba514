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
    enum Role {
        case time(rank: Int)
        /// `numeric`: the key may hold a pino/bunyan/syslog number; `strict`: only known level names
        /// count (Datadog's `status` is also an HTTP status elsewhere).
        case level(rank: Int, numeric: Bool, strict: Bool)
        case message(rank: Int)
        case traceHex, traceDecimal, traceparent, traceGoogle
        case spanHex, spanDecimal
        case traceFlags, sampled
        case service(rank: Int)
        /// An object whose members have roles of their own (`trace: {id}`, `dd: {trace_id}`).
        case nested([String: Role])
    }

    static let roles: [String: Role] = {
        var roles: [String: Role] = [:]
        for key in ["@timestamp", "timestamp", "time", "ts", "t", "@t", "date", "datetime", "asctime", "eventTime",
            "timeUnixNano", "time_unix_nano", "timeMillis", "timestamp_ms", "_time", "instant"]
        {
            roles[key] = .time(rank: 0)
        }
        for key in ["level", "lvl"] { roles[key] = .level(rank: 0, numeric: true, strict: false) }
        for key in ["levelname", "log.level", "severity", "loglevel", "log_level", "level_name", "levelName",
            "severity_text", "severityText", "@l", "@level"]
        {
            roles[key] = .level(rank: 0, numeric: false, strict: false)
        }
        roles["status"] = .level(rank: 1, numeric: false, strict: true)
        for key in ["msg", "message", "@message", "@m"] { roles[key] = .message(rank: 0) }
        for key in ["log", "MESSAGE", "short_message", "textPayload"] { roles[key] = .message(rank: 1) }
        for key in ["event", "@mt"] { roles[key] = .message(rank: 2) }
        for key in ["trace_id", "traceId", "traceID", "TraceId", "TraceID", "trace.id", "otelTraceID", "traceid",
            "X-B3-TraceId", "x-b3-traceid", "ot.trace_id"]
        {
            roles[key] = .traceHex
        }
        for key in ["span_id", "spanId", "spanID", "SpanId", "SpanID", "span.id", "otelSpanID", "spanid",
            "X-B3-SpanId", "x-b3-spanid", "logging.googleapis.com/spanId", "ot.span_id"]
        {
            roles[key] = .spanHex
        }
        roles["dd.trace_id"] = .traceDecimal
        roles["dd.span_id"] = .spanDecimal
        roles["traceparent"] = .traceparent
        roles["logging.googleapis.com/trace"] = .traceGoogle
        for key in ["trace_flags", "traceFlags", "trace.flags", "flags"] { roles[key] = .traceFlags }
        for key in ["otelTraceSampled", "trace_sampled", "traceSampled", "logging.googleapis.com/trace_sampled"] {
            roles[key] = .sampled
        }
        for key in ["service.name", "resource.service.name"] { roles[key] = .service(rank: 0) }
        for key in ["otelServiceName", "dd.service", "service", "serviceName", "service_name"] {
            roles[key] = .service(rank: 1)
        }
        for key in ["app", "application", "app_name", "appName"] { roles[key] = .service(rank: 2) }

        roles["trace"] = .nested(["id": .traceHex, "flags": .traceFlags, "sampled": .sampled])
        roles["span"] = .nested(["id": .spanHex])
        roles["log"] = .message(rank: 1)  // a string; as an object (ECS `log: {level}`) see `nestedRoles`
        roles["dd"] = .nested(["trace_id": .traceDecimal, "span_id": .spanDecimal, "service": .service(rank: 1)])
        roles["resource"] = .nested([
            "service.name": .service(rank: 0), "service": .nested(["name": .service(rank: 0)]),
        ])
        return roles
    }()

    /// Roles inside an object under a key whose flat role is for strings (`service`, `log`).
    static let nestedRoles: [String: [String: Role]] = [
        "service": ["name": .service(rank: 0)],
        "log": ["level": .level(rank: 0, numeric: false, strict: false)],
    ]

    /// The record fields of an object's members.
    static func map(_ members: [(key: String, value: JSONValue)], year: Int) -> LogFields {
        var state = StructuredFieldSelection(year: year)
        for index in members.indices {
            let (key, value) = members[index]
            let role = roles[key]
            if case .object(let object) = value {
                if case .nested(let table)? = role {
                    state.visit(object.members, roles: table, path: MemberPath(index))
                } else if let table = nestedRoles[key] {
                    state.visit(object.members, roles: table, path: MemberPath(index))
                } else if case .time? = role {
                    state.offer(role!, value, path: MemberPath(index))
                }
                continue
            }
            guard let role else { continue }
            state.offer(role, value, path: MemberPath(index))
        }
        return state.finish(members)
    }
}
