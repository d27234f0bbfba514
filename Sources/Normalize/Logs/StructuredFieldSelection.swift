import TraceJoinCore

/// The best candidate for each record field while the members of one log object are visited,
/// and which members were used (they leave the attributes).
struct StructuredFieldSelection {
    typealias Buffer = UnsafeBufferPointer<UInt8>
    typealias Role = StructuredLogFieldMapper.Role

    private struct Choice<Value> {
        var value: Value
        var rank: Int
        var path: MemberPath
    }

    private let bytes: Buffer
    private let year: Int
    /// Whether the attributes may be copied as stored JSON (a JSON line, not logfmt; see `AttributeJSONCopier`).
    private let copiesJSON: Bool
    private var time: Choice<ParsedLogTime>?
    private var level: Choice<LogSeverity>?
    private var levelMember: RawMember?
    private var message: Choice<RawMember>?
    private var trace: Choice<TraceReference>?
    private var span: Choice<SpanID>?
    private var sampled: Choice<Bool>?
    private var service: Choice<RawMember>?
    /// Trace-context members that said "no trace" (`otelTraceID: "0"`): removed, not kept.
    private var dropped = UsedMembers()

    init(bytes: Buffer, year: Int, copiesJSON: Bool) {
        self.bytes = bytes
        self.year = year
        self.copiesJSON = copiesJSON
    }

    @inline(__always)
    private static func offer<Value>(_ slot: inout Choice<Value>?, _ value: Value, _ rank: Int, _ path: MemberPath)
        -> Bool
    {
        if let current = slot, current.rank <= rank { return false }
        slot = Choice(value: value, rank: rank, path: path)
        return true
    }

    /// Looks into a nested object (`trace: {id}`, `dd: {trace_id}`) with its own roles.
    mutating func visit(_ object: RawMember, roles: KeyRoleTable<Role>, path: MemberPath) {
        guard path.third < 0 else { return }
        var members: [RawMember] = []
        guard RawJSONScanner.scanObject(bytes, object.valueStart, object.valueEnd, into: &members) else { return }
        for index in members.indices {
            let member = members[index]
            guard let role = StructuredLogFieldMapper.role(bytes, member, in: roles) else { continue }
            if case .nested(let nested) = role {
                if member.kind == .object {
                    visit(member, roles: StructuredLogFieldMapper.nestedRoles[nested.rawValue], path: path.appending(index))
                }
                continue
            }
            offer(role, member, path: path.appending(index))
        }
    }

    mutating func offer(_ role: Role, _ member: RawMember, path: MemberPath) {
        switch role {
        case .time(let rank):
            if let parsed = time(member) { _ = Self.offer(&time, parsed, rank, path) }
        case .level(let rank, let numeric, let strict):
            switch member.kind {
            case .string:
                guard member.valueEnd > member.valueStart else { return }
                var severity = StructuredIDParser.withValueBytes(bytes, member) { LogSeverityParser.severity($0, $1, $2) }
                if severity == nil, numeric, let number = Self.smallInt(bytes, member.valueStart, member.valueEnd) {
                    severity = LogSeverityParser.severity(number: number)  // `"level":"30"`
                }
                if severity == nil, strict { return }
                if Self.offer(&level, severity ?? .unspecified, rank, path) { levelMember = member }
            case .number where numeric:
                guard let number = Self.smallInt(bytes, member.valueStart, member.valueEnd) else { return }
                if Self.offer(&level, LogSeverityParser.severity(number: number), rank, path) { levelMember = member }
            default: return
            }
        case .otlpSeverityNumber:
            guard member.kind == .number || member.kind == .string,
                let number = Self.smallInt(bytes, member.valueStart, member.valueEnd)
            else { return }
            if Self.offer(&level, LogSeverity(otlpNumber: number), 1, path) { levelMember = member }
        case .message(let rank):
            if member.kind == .string { _ = Self.offer(&message, member, rank, path) }
        case .traceHex:
            switch StructuredIDParser.traceHex(bytes, member) {
            case .value(let id): _ = Self.offer(&trace, id, 0, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .traceDecimal:
            switch StructuredIDParser.traceDecimal(bytes, member) {
            case .value(let id):
                if case .full = id { _ = Self.offer(&trace, id, 0, path) } else { _ = Self.offer(&trace, id, 2, path) }
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .traceparent:
            guard let (id, spanID, flag) = StructuredIDParser.traceparent(bytes, member) else { return }
            if id.isZero {
                dropped.insert(path)
                return
            }
            _ = Self.offer(&trace, .full(id), 1, path)
            if let spanID { _ = Self.offer(&span, spanID, 1, path) }
            _ = Self.offer(&sampled, flag, 1, path)
        case .traceGoogle:
            switch StructuredIDParser.googleTrace(bytes, member) {
            case .value(let id): _ = Self.offer(&trace, id, 1, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .spanHex:
            switch StructuredIDParser.spanHex(bytes, member) {
            case .value(let id): _ = Self.offer(&span, id, 0, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .spanDecimal:
            switch StructuredIDParser.spanDecimal(bytes, member) {
            case .value(let id): _ = Self.offer(&span, id, 2, path)
            case .none: dropped.insert(path)
            case .invalid: return
            }
        case .traceFlags:
            if let flags = StructuredIDParser.flags(bytes, member) { _ = Self.offer(&sampled, flags & 1 == 1, 0, path) }
        case .sampled:
            if let flag = StructuredIDParser.bool(bytes, member) { _ = Self.offer(&sampled, flag, 0, path) }
        case .service(let rank):
            if member.kind == .string, member.valueEnd > member.valueStart { _ = Self.offer(&service, member, rank, path) }
        case .nested:
            return
        }
    }

    /// A time field: epoch number or digits, a timestamp string, or log4j's `instant: {epochSecond, nanoOfSecond}`.
    private func time(_ member: RawMember) -> ParsedLogTime? {
        switch member.kind {
        case .number:
            return LogTimestampParser.parseEpoch(bytes, member.valueStart, member.valueEnd).map { .instant($0) }
        case .string:
            let year = self.year
            return StructuredIDParser.withValueBytes(bytes, member) { LogTimestampParser.parseValue($0, $1, $2, year: year) }
        case .object:
            var members: [RawMember] = []
            guard RawJSONScanner.scanObject(bytes, member.valueStart, member.valueEnd, into: &members) else { return nil }
            var seconds: Int64?
            var nanos: Int64 = 0
            for inner in members where inner.kind == .number {
                let keyLength = inner.keyEnd - inner.keyStart
                if keyLength == 11, LogBytes.hasPrefix(bytes, at: inner.keyStart, to: inner.keyEnd, "epochSecond") {
                    seconds = Self.smallInt(bytes, inner.valueStart, inner.valueEnd).map(Int64.init)
                } else if keyLength == 12, LogBytes.hasPrefix(bytes, at: inner.keyStart, to: inner.keyEnd, "nanoOfSecond") {
                    nanos = Self.smallInt(bytes, inner.valueStart, inner.valueEnd).map(Int64.init) ?? 0
                }
            }
            guard let seconds else { return nil }
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: CivilTime.nanosPerSecond)
            guard !overflow, whole <= Int64.max - 1_000_000_000 else { return nil }
            return .instant(whole + nanos % 1_000_000_000)
        default:
            return nil
        }
    }

    /// A non-negative integer literal of up to 18 digits.
    private static func smallInt(_ bytes: Buffer, _ start: Int, _ end: Int) -> Int? {
        guard end > start, end - start <= 18 else { return nil }
        var value = 0
        for index in start..<end {
            guard LogBytes.isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] &- 0x30)
        }
        return value
    }

    // MARK: - Result

    func finish(_ members: [RawMember]) -> LogFields {
        var fields = LogFields()
        fields.time = time?.value
        if let level, let levelMember {
            fields.severity = level.value
            fields.severityText = RawJSONScanner.string(
                bytes, levelMember.valueStart, levelMember.valueEnd, escaped: levelMember.valueEscaped)
        }
        if let member = message?.value {
            fields.message = RawJSONScanner.string(bytes, member.valueStart, member.valueEnd, escaped: member.valueEscaped)
        }
        if let member = service?.value {
            fields.service = RawJSONScanner.string(bytes, member.valueStart, member.valueEnd, escaped: member.valueEscaped)
        }
        fields.trace = trace?.value
        if trace != nil {
            fields.spanID = span?.value
            fields.sampled = sampled?.value
        }

        var used = dropped
        if let path = time?.path { used.insert(path) }
        if let path = level?.path { used.insert(path) }
        if let path = message?.path { used.insert(path) }
        if let path = trace?.path { used.insert(path) }
        if let path = service?.path { used.insert(path) }
        if trace != nil {
            if let path = span?.path { used.insert(path) }
            if let path = sampled?.path { used.insert(path) }
        }
        if copiesJSON, let json = attributeJSON(members, used: used) {
            fields.attributeJSON = json
            return fields
        }
        fields.attributes.reserveCapacity(members.count)
        for index in members.indices {
            if used.containsWhole(index) { continue }
            let member = members[index]
            if used.containsInside(index), member.kind == .object {
                let rest = remaining(member, used: used.nestedPaths, path: MemberPath(index))
                if !rest.isEmpty {
                    fields.attributes.append(Attribute(AttributeConversion.key(bytes, member), .keyValueList(rest)))
                }
                continue
            }
            fields.attributes.append(
                Attribute(AttributeConversion.key(bytes, member), AttributeConversion.value(bytes, member)))
        }
        return fields
    }

    /// Whether members inside the nested object at `child` were used (so only the rest of it stays).
    private static func hasUsedInside(_ child: MemberPath, _ member: RawMember, used: [MemberPath]) -> Bool {
        child.third < 0 && member.kind == .object
            && used.contains(where: { $0.first == child.first && $0.second == child.second && $0.third >= 0 })
    }

    /// An object's members as attributes, without those used as record fields.
    private func remaining(_ object: RawMember, used: [MemberPath], path: MemberPath) -> [Attribute] {
        var members: [RawMember] = []
        guard RawJSONScanner.scanObject(bytes, object.valueStart, object.valueEnd, into: &members) else { return [] }
        var result: [Attribute] = []
        for index in members.indices {
            let child = path.appending(index)
            if used.contains(child) { continue }
            let member = members[index]
            if Self.hasUsedInside(child, member, used: used) {
                let rest = remaining(member, used: used, path: child)
                if !rest.isEmpty {
                    result.append(Attribute(AttributeConversion.key(bytes, member), .keyValueList(rest)))
                }
                continue
            }
            result.append(Attribute(AttributeConversion.key(bytes, member), AttributeConversion.value(bytes, member)))
        }
        return result
    }

    // MARK: - Attributes copied as stored JSON

    /// The same attributes as the list `finish` makes, copied as stored JSON; nil when one is not in that form.
    private func attributeJSON(_ members: [RawMember], used: UsedMembers) -> AttributeJSONText? {
        guard let first = members.first, let last = members.last else { return nil }
        var copier = AttributeJSONCopier(bytes: bytes, capacity: last.valueEnd - first.keyStart)
        for index in members.indices {
            if used.containsWhole(index) { continue }
            let member = members[index]
            if used.containsInside(index), member.kind == .object {
                guard copyRemaining(member, used: used.nestedPaths, path: MemberPath(index), into: &copier) else {
                    return nil
                }
                continue
            }
            guard copier.add(member) else { return nil }
        }
        return copier.finish()
    }

    /// `remaining` into the copier: the object member with the rest of its members, left out when none is left.
    private func copyRemaining(
        _ object: RawMember, used: [MemberPath], path: MemberPath, into copier: inout AttributeJSONCopier
    ) -> Bool {
        var members: [RawMember] = []
        guard RawJSONScanner.scanObject(bytes, object.valueStart, object.valueEnd, into: &members) else { return true }
        guard let mark = copier.open(object) else { return false }
        for index in members.indices {
            let child = path.appending(index)
            if used.contains(child) { continue }
            let member = members[index]
            if Self.hasUsedInside(child, member, used: used) {
                guard copyRemaining(member, used: used, path: child, into: &copier) else { return false }
                continue
            }
            guard copier.add(member) else { return false }
        }
        copier.close(mark)
        return true
    }
}
