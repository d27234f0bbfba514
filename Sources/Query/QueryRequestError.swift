/// Why the query server refuses a request: the HTTP status and a message for the client, which never repeats the
/// value sent (a trace search may carry personal data in its tags).
package struct QueryRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400, 401, 404 or 405.
    package var status: Int
    package var message: String

    package init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { "\(status): \(message)" }

    /// 400 for a query parameter, worded as Jaeger words it (`unable to parse param 'minDuration': …`).
    package static func badParameter(_ name: String, _ reason: String) -> QueryRequestError {
        QueryRequestError(status: 400, message: "unable to parse param '\(name)': \(reason)")
    }

    package static let malformedTraceID = QueryRequestError(
        status: 400,
        message: """
            malformed trace ID: give 32 or 16 hex digits (not all zeros, which no trace has), a W3C traceparent \
            (00-<trace id>-<span id>-01), base64 of the 16 bytes (a '/' in it written %2F), an AWS X-Ray ID or a \
            Datadog decimal ID
            """)
}
