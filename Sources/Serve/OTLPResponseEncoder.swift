import OTLPProto
import SwiftProtobuf
package import TraceJoinCore

/// Encodes the bodies of export answers in the request's encoding: `Export…ServiceResponse` for 200 and
/// `google.rpc.Status` for 4xx/5xx.
///
/// The answer uses the encoding of the request, protobuf or the proto3 JSON mapping.
/// — source: https://opentelemetry.io/docs/specs/otlp/#otlphttp-response
package enum OTLPResponseEncoder {
    /// gRPC status codes used in `Status.code` (google/rpc/code.proto).
    package enum StatusCode: Int32, Sendable {
        case invalidArgument = 3
        case resourceExhausted = 8
        case unavailable = 14
    }

    /// The 200 body. `partial_success` is set only when records were rejected: an empty message means
    /// "all accepted" to the exporter.
    /// — source: https://opentelemetry.io/docs/specs/otlp/#partial-success-1
    package static func exportResponse(
        signal: OTLPSignal, rejected: Int, message: String?, encoding: OTLPBodyEncoding
    ) -> [UInt8] {
        let text = message ?? "\(rejected) \(signal == .traces ? "spans" : "log records") rejected"
        switch signal {
        case .traces:
            var response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
            if rejected > 0 {
                response.partialSuccess.rejectedSpans = Int64(rejected)
                response.partialSuccess.errorMessage = text
            }
            return encode(response, as: encoding)
        case .logs:
            var response = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceResponse()
            if rejected > 0 {
                response.partialSuccess.rejectedLogRecords = Int64(rejected)
                response.partialSuccess.errorMessage = text
            }
            return encode(response, as: encoding)
        }
    }

    /// The 4xx/5xx body.
    package static func status(_ code: StatusCode, message: String, encoding: OTLPBodyEncoding) -> [UInt8] {
        var status = Google_Rpc_Status()
        status.code = code.rawValue
        status.message = message
        return encode(status, as: encoding)
    }

    private static func encode(_ message: some SwiftProtobuf.Message, as encoding: OTLPBodyEncoding) -> [UInt8] {
        // Neither can fail for these messages: no `Any` fields are set and every field has a JSON form.
        switch encoding {
        case .protobuf: return (try? message.serializedBytes()) ?? []
        case .json: return (try? message.jsonUTF8Bytes()) ?? Array("{}".utf8)
        }
    }
}
