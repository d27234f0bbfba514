import TraceJoinCore

/// Where a member sits in a log object: its index, and its index inside a nested object if any.
struct MemberPath: Equatable {
    var first: Int
    var second: Int = -1
    var third: Int = -1

    init(_ first: Int) { self.first = first }

    func appending(_ index: Int) -> MemberPath {
        var path = self
        if second < 0 { path.second = index } else { path.third = index }
        return path
    }
}

/// The best candidate for each record field while the members of one log object are visited,
/// and which members were used (they leave the attributes).
struct StructuredFieldSelection {
    private struct Choice<Value> {
        var value: Value
        var rank: Int
        var path: MemberPath
    }

    private let year: Int
    private var time: Choice<ParsedLogTime>?
    private var level: Choice<(LogSeverity, String)>?
    private var message: Choice<String>?
    private var trace: Choice<TraceReference>?
    private var span: Choice<SpanID>?
    private var sampled: Choice<Bool>?
    private var service: Choice<String>?
    /// Trace-context members that said "no trace" (`otelTraceID: "0"`): removed, not kept.
    private var dropped = UsedMembers()

    init(year: Int) { self.year = year }

    @inline(__always)
    private static func offer<Value>(_ slot: inout Choice<Value>?, _ value: Value, _ rank: Int, _ path: MemberPath) {
        if let current = slot, current.rank <= rank { return }
        slot = Choice(value: value, rank: rank, path: path)
    }

    mutating func visit(
        _ members: [(key: String, value: JSONValue)], roles: KeyRoleTable<StructuredLogFieldMapper.Role>,
        path: MemberPath
    ) {
        guard path.third < 0 else { return }
        for index in members.indices {
            guard let role = roles[members[index].key] else { continue }
            if case .nested(let nested) = role {
                if case .object(let object) = members[index].value {
                    visit(
                        object.members, roles: StructuredLogFieldMapper.nestedRoles[nested.rawValue],
                        path: path.appending(index))
                }
                continue
            }
            offer(role, members[index].value, path: path.appending(index))
        }
    }

    mutating func offer(_ role: StructuredLogFieldMapper.Role, _ value: JSONValue, path: MemberPath) {
        switch role {
        case .time(let rank):
            if let parsed = Self.time(value, year: year) { Self.offer(&time, parsed, rank, path) }
        case .level(let rank, let numeric, let strict):
            switch value {
            case .string(let text):
                let severity = LogSeverityParser.severity(name: text)
                if severity == nil, strict || text.isEmpty { return }
                Self.offer(&level, (severity ?? .unspecified, text), rank, path)
            case .number(let literal) where numeric:
                guard let number = Int(literal) else { return }
                Self.offer(&level, (LogSeverityParser.severity(number: number), literal), rank, path)
            default: return
            }
        case .message(let rank):
            if case .string(let text) = value { Self.offer(&message, text, rank, path) }
        case .traceHex:
            switch StructuredIDParser.traceHex(value) {
            case .value(let id): Self.offer(&trace, id, 0, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .traceDecimal:
            switch StructuredIDParser.traceDecimal(value) {
            case .value(let id):
                if case .full = id { Self.offer(&trace, id, 0, path) } else { Self.offer(&trace, id, 2, path) }
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .traceparent:
            guard case .string(let text) = value else { return }
            guard let (id, spanID, flag) = StructuredIDParser.traceparent(text) else { return }
            if id.isZero {
                dropped.insert(path)
                return
            }
            Self.offer(&trace, .full(id), 1, path)
            if let spanID { Self.offer(&span, spanID, 1, path) }
            Self.offer(&sampled, flag, 1, path)
        case .traceGoogle:
            guard case .string(let text) = value, let slash = text.utf8.lastIndex(of: UInt8(ascii: "/")) else { return }
            let suffix = String(text[text.utf8.index(after: slash)...])
            switch StructuredIDParser.traceHex(.string(suffix)) {
            case .value(let id): Self.offer(&trace, id, 1, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .spanHex:
            switch StructuredIDParser.spanHex(value) {
            case .value(let id): Self.offer(&span, id, 0, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .spanDecimal:
            switch StructuredIDParser.spanDecimal(value) {
            case .value(let id): Self.offer(&span, id, 2, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .traceFlags:
            if let flags = StructuredIDParser.flags(value) { Self.offer(&sampled, flags & 1 == 1, 0, path) }
        case .sampled:
            if let flag = StructuredIDParser.bool(value) { Self.offer(&sampled, flag, 0, path) }
        case .service(let rank):
            if case .string(let name) = value, !name.isEmpty { Self.offer(&service, name, rank, path) }
        case .nested:
            return
        }
    }

    /// A time field: epoch number or digits, a timestamp string, or log4j's `instant: {epochSecond, nanoOfSecond}`.
    private static func time(_ value: JSONValue, year: Int) -> ParsedLogTime? {
        switch value {
        case .number(var literal):
            return literal.withUTF8 { bytes in LogTimestampParser.parseEpoch(bytes, 0, bytes.count) }.map { .instant($0) }
        case .string(let text):
            return LogTimestampParser.parseValue(text, year: year)
        case .object(let object):
            guard let seconds = object["epochSecond"]?.int64 else { return nil }
            let nanos = object["nanoOfSecond"]?.int64 ?? 0
            return .instant(seconds * CivilTime.nanosPerSecond + nanos)
        default:
            return nil
        }
    }

    // MARK: - Result

    func finish(_ members: [(key: String, value: JSONValue)]) -> LogFields {
        var fields = LogFields()
        fields.time = time?.value
        if let level {
            fields.severity = level.value.0
            fields.severityText = level.value.1
        }
        fields.message = message?.value ?? ""
        fields.trace = trace?.value
        if trace != nil {
            fields.spanID = span?.value
            fields.sampled = sampled?.value
        }
        fields.service = service?.value

        var used = dropped
        for case let path? in [time?.path, level?.path, message?.path, trace?.path, service?.path] { used.insert(path) }
        if trace != nil {
            if let path = span?.path { used.insert(path) }
            if let path = sampled?.path { used.insert(path) }
        }
        fields.attributes.reserveCapacity(members.count)
        for index in members.indices {
            if used.containsWhole(index) { continue }
            let (key, value) = members[index]
            if used.containsInside(index), case .object(let object) = value {
                let rest = Self.remaining(object.members, used: used.nestedPaths, path: MemberPath(index))
                if !rest.isEmpty { fields.attributes.append(Attribute(key, .keyValueList(rest))) }
                continue
            }
            fields.attributes.append(Attribute(key, AttributeConversion.value(value)))
        }
        return fields
    }

    /// An object's members as attributes, without those used as record fields.
    private static func remaining(_ members: [(key: String, value: JSONValue)], used: [MemberPath], path: MemberPath)
        -> [Attribute]
    {
        var result: [Attribute] = []
        for index in members.indices {
            let child = path.appending(index)
            if used.contains(child) { continue }
            let (key, value) = members[index]
            if child.third < 0, used.contains(where: { $0.first == child.first && $0.second == index && $0.third >= 0 }),
                case .object(let object) = value
            {
                let rest = remaining(object.members, used: used, path: child)
                if !rest.isEmpty { result.append(Attribute(key, .keyValueList(rest))) }
                continue
            }
            result.append(Attribute(key, AttributeConversion.value(value)))
        }
        return result
    }
}

/// Which members of a log object became record fields: a bit per top-level member, and the paths
/// of used members inside nested objects (rare, so the array is usually never allocated).
struct UsedMembers {
    private var whole: UInt64 = 0
    private var inside: UInt64 = 0
    private(set) var nestedPaths: [MemberPath] = []
    private var wideIndices: [Int] = []

    mutating func insert(_ path: MemberPath) {
        if path.second >= 0 {
            nestedPaths.append(path)
            if path.first < 64 { inside |= 1 << UInt64(path.first) } else { wideIndices.append(-1 - path.first) }
        } else if path.first < 64 {
            whole |= 1 << UInt64(path.first)
        } else {
            wideIndices.append(path.first)
        }
    }

    @inline(__always)
    func containsWhole(_ index: Int) -> Bool {
        index < 64 ? whole & (1 << UInt64(index)) != 0 : wideIndices.contains(index)
    }

    @inline(__always)
    func containsInside(_ index: Int) -> Bool {
        index < 64 ? inside & (1 << UInt64(index)) != 0 : wideIndices.contains(-1 - index)
    }
}
