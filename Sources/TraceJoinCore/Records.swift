/// Where a record came from: a file and line, or a receiver request. Used in every message about it.
package struct InputLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file path, or a label such as `otlp-http` for received data.
    package var source: String
    /// 1-based line number of the record's first line; 0 when not line-oriented.
    package var line: Int
    /// Byte offset of the record's line or document in the (decompressed) stream.
    package var byteOffset: Int64
    /// Index of the record among those decoded from the same line or document (OTLP lines hold many).
    package var ordinal: Int

    package init(source: String, line: Int = 0, byteOffset: Int64 = 0, ordinal: Int = 0) {
        self.source = source
        self.line = line
        self.byteOffset = byteOffset
        self.ordinal = ordinal
    }

    /// `file:line` when the line is known, `file@offset` for a byte offset, else just the source.
    package var description: String {
        if line > 0 { return "\(source):\(line)" }
        return byteOffset > 0 ? "\(source)@\(byteOffset)" : source
    }
}

/// OTLP span kinds; Jaeger and Zipkin kinds map onto them.
package enum SpanKind: Int, Sendable, CaseIterable {
    case unspecified = 0, `internal`, server, client, producer, consumer

    package var name: String {
        switch self {
        case .unspecified: "unspecified"
        case .internal: "internal"
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        }
    }
}

/// OTLP status codes: `{}` in OTLP JSON is `.unset`.
package enum SpanStatus: Int, Sendable {
    case unset = 0, ok, error

    package var name: String {
        switch self {
        case .unset: "unset"
        case .ok: "ok"
        case .error: "error"
        }
    }
}

/// A timed annotation on a span: an exception, a Jaeger span log, a Zipkin annotation.
package struct SpanEvent: Hashable, Sendable {
    package var time: Int64
    package var name: String
    package var attributes: [Attribute]

    package init(time: Int64, name: String, attributes: [Attribute] = []) {
        self.time = time
        self.name = name
        self.attributes = attributes
    }

    /// An `exception` event, or one whose attributes say the same, marks an error.
    package var isError: Bool {
        name == "exception" || attributes[key: "exception.type"] != nil || attributes[key: "exception.message"] != nil
            || attributes[key: "error"] == .bool(true) || attributes[key: "event"] == .string("error")
    }
}

/// A reference from one span to another that is not its parent (FOLLOWS_FROM, cross-trace CHILD_OF, OTLP links).
package struct SpanLink: Hashable, Sendable {
    package var traceID: TraceID
    package var spanID: SpanID
    package var kind: String
    package var attributes: [Attribute]

    package init(traceID: TraceID, spanID: SpanID, kind: String = "link", attributes: [Attribute] = []) {
        self.traceID = traceID
        self.spanID = spanID
        self.kind = kind
        self.attributes = attributes
    }
}

/// One span, whatever format it was exported in. Times are nanoseconds since the Unix epoch.
package struct SpanRecord: Sendable {
    package var traceID: TraceID
    package var spanID: SpanID
    package var parentSpanID: SpanID?
    package var service: String
    package var name: String
    package var kind: SpanKind
    package var startTime: Int64
    package var endTime: Int64
    package var status: SpanStatus
    package var statusMessage: String
    package var attributes: [Attribute]
    package var resource: [Attribute]
    package var scope: String
    package var events: [SpanEvent]
    package var links: [SpanLink]
    package var flags: UInt32
    /// Zipkin's `shared: true` server half of an RPC, which has the same span ID as its client half.
    package var isSharedServerHalf: Bool
    package var origin: InputLocation

    package init(
        traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, service: String, name: String,
        kind: SpanKind = .unspecified, startTime: Int64, endTime: Int64, status: SpanStatus = .unset,
        statusMessage: String = "", attributes: [Attribute] = [], resource: [Attribute] = [], scope: String = "",
        events: [SpanEvent] = [], links: [SpanLink] = [], flags: UInt32 = 0, isSharedServerHalf: Bool = false,
        origin: InputLocation
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.service = service
        self.name = name
        self.kind = kind
        self.startTime = startTime
        self.endTime = endTime
        self.status = status
        self.statusMessage = statusMessage
        self.attributes = attributes
        self.resource = resource
        self.scope = scope
        self.events = events
        self.links = links
        self.flags = flags
        self.isSharedServerHalf = isSharedServerHalf
        self.origin = origin
    }

    package var durationNanos: Int64 { max(0, endTime &- startTime) }
}

/// Log severity on OTLP's scale, whatever the producer called it.
package enum LogSeverity: Int, Sendable, Comparable, CaseIterable {
    case unspecified = 0, trace = 1, debug = 5, info = 9, warn = 13, error = 17, fatal = 21

    package var name: String {
        switch self {
        case .unspecified: "unspecified"
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .warn: "warn"
        case .error: "error"
        case .fatal: "fatal"
        }
    }

    /// The band an OTLP severity number (1–24) falls in.
    package init(otlpNumber: Int) {
        switch otlpNumber {
        case 1...4: self = .trace
        case 5...8: self = .debug
        case 9...12: self = .info
        case 13...16: self = .warn
        case 17...20: self = .error
        case 21...: self = .fatal
        default: self = .unspecified
        }
    }

    package static func < (lhs: LogSeverity, rhs: LogSeverity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One log record (a multi-line record is one record). Times are nanoseconds since the Unix epoch.
package struct LogRecord: Sendable {
    /// When the event happened; nil when neither the record nor its wrapper said.
    package var time: Int64?
    package var severity: LogSeverity
    package var severityText: String
    package var message: String
    /// The service from the record or the file name; a span it joins overrides it.
    package var service: String
    /// True when `service` was guessed from the file name rather than read from the record.
    package var serviceFromFileName: Bool
    package var trace: TraceReference?
    package var spanID: SpanID?
    /// The producer's sampled flag when it logged one (`trace_flags`, `otelTraceSampled`).
    package var sampled: Bool?
    /// The attributes as a list; a record that carries them as stored JSON (``attributeJSON``) makes the list
    /// when this is read, and drops the JSON when it is changed.
    package var attributes: [Attribute] {
        get { attributeJSON?.attributes ?? listedAttributes }
        set {
            listedAttributes = newValue
            attributeJSON = nil
        }
        _modify {
            if let attributeJSON {
                listedAttributes = attributeJSON.attributes
                self.attributeJSON = nil
            }
            yield &listedAttributes
        }
    }
    /// The attributes as the JSON text they are stored as, when the decoder copied them so (then `attributes`
    /// is made from it on demand); nil when they are a list.
    package private(set) var attributeJSON: AttributeJSONText?
    private var listedAttributes: [Attribute]
    package var origin: InputLocation

    package init(
        time: Int64?, severity: LogSeverity = .unspecified, severityText: String = "", message: String,
        service: String = "", serviceFromFileName: Bool = false, trace: TraceReference? = nil,
        spanID: SpanID? = nil, sampled: Bool? = nil, attributes: [Attribute] = [],
        attributeJSON: AttributeJSONText? = nil, origin: InputLocation
    ) {
        self.time = time
        self.severity = severity
        self.severityText = severityText
        self.message = message
        self.service = service
        self.serviceFromFileName = serviceFromFileName
        self.trace = trace
        self.spanID = spanID
        self.sampled = sampled
        // Both given: the list is what the JSON holds, followed by these.
        if let attributeJSON, !attributes.isEmpty {
            self.listedAttributes = attributeJSON.attributes + attributes
        } else {
            self.listedAttributes = attributes
            self.attributeJSON = attributeJSON
        }
        self.origin = origin
    }

    /// Replaces the attributes with these, held as stored JSON (nil: none).
    package mutating func replaceAttributeJSON(with json: AttributeJSONText?) {
        listedAttributes = []
        attributeJSON = json
    }

    /// Adds an attribute, to the stored JSON when the record carries that and the attribute can be written
    /// into it as it is, else to the list.
    package mutating func appendAttribute(_ attribute: Attribute) {
        if attributeJSON?.append(attribute) == true { return }
        attributes.append(attribute)
    }
}

/// Input that could not be read as a record: kept (scrubbed) so a user can look at it.
package struct RejectedRecord: Sendable {
    package var origin: InputLocation
    package var reason: String
    /// The raw text, cut to a limit; scrubbed before it is stored.
    package var raw: String

    package init(origin: InputLocation, reason: String, raw: String) {
        self.origin = origin
        self.reason = reason
        self.raw = raw
    }
}

/// What a decoder hands to the rest of the pipeline.
package enum Record: Sendable {
    case span(SpanRecord)
    case log(LogRecord)
    case reject(RejectedRecord)
}
