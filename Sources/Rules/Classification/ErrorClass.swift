/// The kinds of failure an incident can be: what `class:` in a classification rule names.
///
/// A fixed list, so `incidents --class` and dashboards can rely on the names; a rule naming any other
/// class is a load error.
package enum ErrorClass: String, Sendable, CaseIterable, Equatable {
    case timeout, connection, upstream, auth
    case rateLimit = "rate_limit"
    case resourceExhausted = "resource_exhausted"
    case validation
    case notFound = "not_found"
    case conflict
    case codeDefect = "code_defect"
    case unknown

    package static var names: [String] { allCases.map(\.rawValue) }
}
