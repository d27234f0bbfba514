package import TraceJoinCore

/// How an export request's body is encoded and compressed, from its `Content-Type` and `Content-Encoding`.
///
/// Media types compare without case and ignore parameters (`application/json; charset=utf-8`), as RFC 9110
/// §8.3.1 says. OTLP/HTTP knows only `none` and `gzip` compression
/// — source: https://opentelemetry.io/docs/specs/otlp/#otlphttp-request
package struct OTLPRequestFormat: Sendable, Equatable {
    package enum Compression: Sendable, Equatable {
        case none, gzip
    }

    package var encoding: OTLPBodyEncoding
    package var compression: Compression

    /// The media type answers are sent with: the request's, without its parameters.
    package var mediaType: String { Self.mediaType(of: encoding) }

    package static func mediaType(of encoding: OTLPBodyEncoding) -> String {
        switch encoding {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }

    /// The body encoding named by a `Content-Type` value; nil for anything else (or no header), which gets 415.
    package static func encoding(contentType: String?) -> OTLPBodyEncoding? {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        switch mediaType.trimmingSpaces.lowercased() {
        case "application/x-protobuf": return .protobuf
        case "application/json": return .json
        default: return nil
        }
    }

    /// The compression named by a `Content-Encoding` value; nil for codings we cannot undo (415).
    /// A missing header and `identity` both mean none.
    package static func compression(contentEncoding: String?) -> Compression? {
        guard let contentEncoding else { return Compression.none }
        switch contentEncoding.trimmingSpaces.lowercased() {
        case "", "identity": return Compression.none
        case "gzip", "x-gzip": return .gzip
        default: return nil
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional white space), without Foundation.
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return Substring(self[first...last])
    }
}
