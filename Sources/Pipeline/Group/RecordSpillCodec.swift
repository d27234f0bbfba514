import Store
import TraceJoinCore

/// The binary form of a scrubbed record in a spill file of ``TraceGroupSorter``: what was decoded, in as few
/// bytes as it takes, read back exactly (``decode(_:at:)`` of ``encode(_:into:)`` is the same record).
///
/// Integers are LEB128 varints (signed ones zigzagged), strings and byte arrays are a varint length and their
/// bytes. Only this process reads it back, during the run that wrote it, so the layout has no version.
enum RecordSpillCodec {
    /// Why spilled bytes could not be read back: a spill file is only ever read by the run that wrote it, so this
    /// means the file was damaged under us.
    struct Damaged: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "spilled record damaged at byte \(offset)" }
    }

    static func encode(_ sourced: SourcedRecord, into out: inout [UInt8]) {
        var writer = SpillWriter(out: out)
        out = []
        writer.signed(sourced.sourceID)
        switch sourced.record {
        case .span(let span):
            writer.byte(0)
            writer.span(span)
        case .log(let log):
            writer.byte(1)
            writer.log(log)
        case .reject(let reject):
            writer.byte(2)
            writer.location(reject.origin)
            writer.string(reject.reason)
            writer.string(reject.raw)
        }
        out = writer.out
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) throws(Damaged) -> SourcedRecord {
        var reader = SpillReader(bytes: bytes, offset: offset)
        let sourceID = try reader.signed()
        let record: Record =
            switch try reader.byte() {
            case 0: .span(try reader.span())
            case 1: .log(try reader.log())
            case 2:
                .reject(
                    RejectedRecord(origin: try reader.location(), reason: try reader.string(), raw: try reader.string()))
            default: throw Damaged(offset: reader.offset - 1)
            }
        offset = reader.offset
        return SourcedRecord(sourceID: sourceID, record: record)
    }
}

struct SpillWriter {
    var out: [UInt8]

    mutating func byte(_ value: UInt8) { out.append(value) }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    mutating func signed(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
    mutating func int(_ value: Int) { signed(Int64(value)) }

    mutating func fixed(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    mutating func bytes(_ value: [UInt8]) {
        unsigned(UInt64(value.count))
        out.append(contentsOf: value)
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            out.append(contentsOf: utf8)
        }
    }

    mutating func location(_ origin: InputLocation) {
        string(origin.source)
        int(origin.line)
        signed(origin.byteOffset)
        int(origin.ordinal)
    }

    mutating func attributes(_ attributes: [Attribute]) {
        unsigned(UInt64(attributes.count))
        for attribute in attributes {
            string(attribute.key)
            value(attribute.value)
        }
    }

    mutating func value(_ value: AttributeValue) {
        switch value {
        case .string(let text):
            byte(0)
            string(text)
        case .bool(let flag): byte(flag ? 2 : 1)
        case .int(let number):
            byte(3)
            signed(number)
        case .double(let number):
            byte(4)
            fixed(number.bitPattern)
        case .bytes(let data):
            byte(5)
            bytes(data)
        case .array(let values):
            byte(6)
            unsigned(UInt64(values.count))
            for element in values { self.value(element) }
        case .keyValueList(let list):
            byte(7)
            attributes(list)
        case .null: byte(8)
        }
    }

    mutating func traceID(_ id: TraceID) {
        fixed(id.high)
        fixed(id.low)
    }

    mutating func span(_ span: SpanRecord) {
        traceID(span.traceID)
        fixed(span.spanID.value)
        if let parent = span.parentSpanID {
            byte(1)
            fixed(parent.value)
        } else {
            byte(0)
        }
        string(span.service)
        string(span.name)
        byte(UInt8(span.kind.rawValue))
        signed(span.startTime)
        signed(span.endTime)
        byte(UInt8(span.status.rawValue))
        string(span.statusMessage)
        attributes(span.attributes)
        attributes(span.resource)
        string(span.scope)
        unsigned(UInt64(span.events.count))
        for event in span.events {
            signed(event.time)
            string(event.name)
            attributes(event.attributes)
        }
        unsigned(UInt64(span.links.count))
        for link in span.links {
            traceID(link.traceID)
            fixed(link.spanID.value)
            string(link.kind)
            attributes(link.attributes)
        }
        unsigned(UInt64(span.flags))
        byte(span.isSharedServerHalf ? 1 : 0)
        location(span.origin)
    }

    mutating func log(_ log: LogRecord) {
        // One byte of presence bits for the optional fields.
        var present: UInt8 = 0
        if log.time != nil { present |= 1 }
        if log.spanID != nil { present |= 2 }
        if let sampled = log.sampled { present |= sampled ? 12 : 4 }
        switch log.trace {
        case .full?: present |= 16
        case .lower64?: present |= 32
        case nil: break
        }
        if log.serviceFromFileName { present |= 64 }
        byte(present)
        if let time = log.time { signed(time) }
        if let span = log.spanID { fixed(span.value) }
        switch log.trace {
        case .full(let id)?: traceID(id)
        case .lower64(let low)?: fixed(low)
        case nil: break
        }
        byte(UInt8(log.severity.rawValue))
        string(log.severityText)
        string(log.message)
        string(log.service)
        attributes(log.attributes)
        location(log.origin)
    }
}

struct SpillReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    mutating func byte() throws(RecordSpillCodec.Damaged) -> UInt8 {
        guard offset < bytes.count else { throw RecordSpillCodec.Damaged(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func unsigned() throws(RecordSpillCodec.Damaged) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw RecordSpillCodec.Damaged(offset: offset - 1) }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws(RecordSpillCodec.Damaged) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func int() throws(RecordSpillCodec.Damaged) -> Int { Int(try signed()) }

    mutating func fixed() throws(RecordSpillCodec.Damaged) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw RecordSpillCodec.Damaged(offset: offset) }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    private mutating func length() throws(RecordSpillCodec.Damaged) -> Int {
        let count = try unsigned()
        guard count <= UInt64(bytes.count - offset) else { throw RecordSpillCodec.Damaged(offset: offset) }
        return Int(count)
    }

    mutating func bytesValue() throws(RecordSpillCodec.Damaged) -> [UInt8] {
        let count = try length()
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func string() throws(RecordSpillCodec.Damaged) -> String {
        let count = try length()
        defer { offset += count }
        // Spilled strings were Swift strings: valid UTF-8, so decoding cannot repair anything.
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    }

    mutating func location() throws(RecordSpillCodec.Damaged) -> InputLocation {
        InputLocation(source: try string(), line: try int(), byteOffset: try signed(), ordinal: try int())
    }

    mutating func attributes() throws(RecordSpillCodec.Damaged) -> [Attribute] {
        let count = try length()
        var attributes: [Attribute] = []
        attributes.reserveCapacity(count)
        for _ in 0..<count { attributes.append(Attribute(try string(), try value())) }
        return attributes
    }

    mutating func value() throws(RecordSpillCodec.Damaged) -> AttributeValue {
        switch try byte() {
        case 0: return .string(try string())
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try signed())
        case 4: return .double(Double(bitPattern: try fixed()))
        case 5: return .bytes(try bytesValue())
        case 6:
            let count = try length()
            var values: [AttributeValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try value()) }
            return .array(values)
        case 7: return .keyValueList(try attributes())
        case 8: return .null
        default: throw RecordSpillCodec.Damaged(offset: offset - 1)
        }
    }

    mutating func traceID() throws(RecordSpillCodec.Damaged) -> TraceID {
        TraceID(high: try fixed(), low: try fixed())
    }

    mutating func span() throws(RecordSpillCodec.Damaged) -> SpanRecord {
        let traceID = try traceID()
        let spanID = SpanID(try fixed())
        let parent = try byte() == 1 ? SpanID(try fixed()) : nil
        let service = try string()
        let name = try string()
        let kind = SpanKind(rawValue: Int(try byte())) ?? .unspecified
        let start = try signed()
        let end = try signed()
        let status = SpanStatus(rawValue: Int(try byte())) ?? .unset
        let statusMessage = try string()
        let attributes = try attributes()
        let resource = try self.attributes()
        let scope = try string()
        var events: [SpanEvent] = []
        for _ in 0..<(try length()) {
            events.append(SpanEvent(time: try signed(), name: try string(), attributes: try self.attributes()))
        }
        var links: [SpanLink] = []
        for _ in 0..<(try length()) {
            links.append(
                SpanLink(
                    traceID: try self.traceID(), spanID: SpanID(try fixed()), kind: try string(),
                    attributes: try self.attributes()))
        }
        let flags = UInt32(truncatingIfNeeded: try unsigned())
        let shared = try byte() == 1
        return SpanRecord(
            traceID: traceID, spanID: spanID, parentSpanID: parent, service: service, name: name, kind: kind,
            startTime: start, endTime: end, status: status, statusMessage: statusMessage, attributes: attributes,
            resource: resource, scope: scope, events: events, links: links, flags: flags, isSharedServerHalf: shared,
            origin: try location())
    }

    mutating func log() throws(RecordSpillCodec.Damaged) -> LogRecord {
        let present = try byte()
        let time = present & 1 != 0 ? try signed() : nil
        let spanID = present & 2 != 0 ? SpanID(try fixed()) : nil
        let sampled: Bool? = present & 4 != 0 ? present & 8 != 0 : nil
        let trace: TraceReference? =
            if present & 16 != 0 {
                .full(try traceID())
            } else if present & 32 != 0 {
                .lower64(try fixed())
            } else {
                nil
            }
        let severity = LogSeverity(rawValue: Int(try byte())) ?? .unspecified
        return LogRecord(
            time: time, severity: severity, severityText: try string(), message: try string(), service: try string(),
            serviceFromFileName: present & 64 != 0, trace: trace, spanID: spanID, sampled: sampled,
            attributes: try attributes(), origin: try location())
    }
}
