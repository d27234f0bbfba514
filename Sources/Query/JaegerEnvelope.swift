package import TraceJoinCore

/// jaeger-query's response envelope, `{"data": …, "total": n, "limit": 0, "offset": 0, "errors": …}`, which
/// Grafana's Jaeger data source and Jaeger UI read. `limit` and `offset` are always 0, as Jaeger writes them.
/// — source: jaegertracing/jaeger `cmd/query/app/http_handler.go` (`structuredResponse`, `structuredError`)
package enum JaegerEnvelope {
    /// A successful answer: `data` written by `writeData`, `total` items, `errors: null`.
    package static func data(total: Int, _ writeData: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw("{\"data\":")
        writeData(&writer)
        writer.raw(",\"total\":\(total),\"limit\":0,\"offset\":0,\"errors\":null}")
        return writer.bytes
    }

    /// A refusal: `data: null` and one error `{code, msg}` (with `traceID` for a missing trace).
    package static func error(code: Int, message: String, traceID: String? = nil) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw("{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":\(code),\"msg\":")
        writer.string(message)
        if let traceID {
            writer.raw(",\"traceID\":")
            writer.string(traceID)
        }
        writer.raw("}]}")
        return writer.bytes
    }

    /// An array of strings for `data`.
    package static func strings(_ values: [String]) -> [UInt8] {
        data(total: values.count) { $0.write(strings: values) }
    }
}
