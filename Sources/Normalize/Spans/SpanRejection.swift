package import TraceJoinCore

/// Builds the reject for a span or document that cannot be read.
///
/// The reason names what is wrong but never the value (it may be personal data); the raw JSON is
/// kept, cut to `rawLimit` bytes, and goes through the scrubber like every other record.
package enum SpanRejection {
    /// Raw text kept with a reject, in bytes.
    package static let rawLimit = 4096

    package static func make(_ reason: String, json: JSONValue, origin: InputLocation) -> Record {
        var writer = JSONWriter()
        writer.write(json)
        return .reject(RejectedRecord(origin: origin, reason: reason, raw: cut(writer.bytes)))
    }

    package static func make(_ reason: String, raw: some Collection<UInt8>, origin: InputLocation) -> Record {
        .reject(RejectedRecord(origin: origin, reason: reason, raw: cut(raw)))
    }

    /// The first `rawLimit` bytes, cut back to a UTF-8 character boundary.
    static func cut(_ bytes: some Collection<UInt8>) -> String {
        guard bytes.count > rawLimit else { return String(decoding: bytes, as: UTF8.self) }
        var prefix = Array(bytes.prefix(rawLimit))
        while let last = prefix.last, last & 0xC0 == 0x80 { prefix.removeLast() }
        if let last = prefix.last, last >= 0xC0 { prefix.removeLast() }
        return String(decoding: prefix, as: UTF8.self)
    }
}

/// Hands out `InputLocation`s with consecutive ordinals for the records of one document.
struct OrdinalCounter {
    private let origin: InputLocation
    private var next = 0

    init(_ origin: InputLocation) { self.origin = origin }

    /// The origin for the next record.
    mutating func take() -> InputLocation {
        var location = origin
        location.ordinal = next
        next += 1
        return location
    }
}
