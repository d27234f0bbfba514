package import TraceJoinCore

/// The fields a classification condition can test on a timeline entry, by name.
///
/// Beside the entry's own fields (`message`, `status`, `severity`, `service`, `name`, `kind`), any
/// attribute key works (`exception.type`, `db.system`, `rpc.grpc.status_code`, `error.type`). The HTTP
/// status has two names across semantic-convention versions; either name reads both attributes.
package enum EntryField {
    /// The names that are not attribute keys.
    package static let builtIn = ["message", "status", "status.message", "severity", "service", "name", "kind"]

    /// Searched by a `match.pattern` without `fields`: what the entry says about its failure.
    package static let defaultTextFields = [
        "message", "exception.type", "exception.message", "error.type", "error.message", "error",
    ]

    static let httpStatusKeys = ["http.response.status_code", "http.status_code"]

    /// The field's value as text, or nil when the entry does not have it.
    package static func value(_ field: String, in entry: TimelineEntry) -> String? {
        switch field {
        case "message": return entry.message
        case "status": return entry.status
        case "status.message": return entry.kind == .span ? entry.message : nil
        case "severity": return entry.severity?.name
        case "service": return entry.service
        case "name": return entry.name
        case "kind": return entry.kind.rawValue
        case "http.response.status_code", "http.status_code":
            for key in httpStatusKeys {
                if let value = entry.attributes[key: key] { return value.text }
            }
            return nil
        default:
            guard let value = entry.attributes[key: field] else { return nil }
            if case .bool(false) = value { return nil }
            return value.text
        }
    }

    /// gRPC status code names, for `rpc.grpc.status_code` conditions written as names.
    /// — source: https://grpc.github.io/grpc/core/md_doc_statuscodes.html
    static let grpcCodes: [String: Int] = [
        "OK": 0, "CANCELLED": 1, "UNKNOWN": 2, "INVALID_ARGUMENT": 3, "DEADLINE_EXCEEDED": 4, "NOT_FOUND": 5,
        "ALREADY_EXISTS": 6, "PERMISSION_DENIED": 7, "RESOURCE_EXHAUSTED": 8, "FAILED_PRECONDITION": 9,
        "ABORTED": 10, "OUT_OF_RANGE": 11, "UNIMPLEMENTED": 12, "INTERNAL": 13, "UNAVAILABLE": 14,
        "DATA_LOSS": 15, "UNAUTHENTICATED": 16,
    ]
}
