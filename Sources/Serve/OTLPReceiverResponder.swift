import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TraceJoinCore

/// Answers every HTTP request the receiver gets: OTLP exports, health, readiness and metrics.
///
/// A responder of its own rather than Hummingbird's `Router`, because the router answers 404 for a known
/// path with another method, and exporters and operators are better served by 405 with `Allow`.
struct OTLPReceiverResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let intake: any OTLPIntake
    let maxBodyBytes: Int
    let metricsText: (@Sendable () -> String)?
    let metrics: OTLPReceiverMetrics

    func respond(to request: Request, context: Context) async throws -> Response {
        switch request.uri.path {
        case "/v1/traces": return try await export(.traces, request: request, context: context)
        case "/v1/logs": return try await export(.logs, request: request, context: context)
        case "/healthz":
            return Self.ifGet(request) { Self.text(.ok, "alive\n") }
        case "/readyz":
            return Self.ifGet(request) {
                let readiness = intake.readiness()
                return readiness.isReady
                    ? Self.text(.ok, "ready: \(readiness.detail)\n")
                    : Self.text(.serviceUnavailable, "not ready: \(readiness.detail)\n")
            }
        case "/metrics" where metricsText != nil:
            return Self.ifGet(request) {
                Self.text(.ok, metricsText?() ?? "", contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        default:
            return Self.text(.notFound, "not found: tracejoin serves POST /v1/traces and POST /v1/logs\n")
        }
    }

    // MARK: - Exports

    private func export(_ signal: OTLPSignal, request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let (response, receivedBytes): (Response, Int)
        if request.method == .post {
            (response, receivedBytes) = try await exportAnswer(signal, request: request, context: context)
        } else {
            var refusal = Self.text(.methodNotAllowed, "method not allowed: send OTLP exports with POST\n")
            refusal.headers[.allow] = "POST"
            (response, receivedBytes) = (refusal, 0)
        }
        metrics.recordRequest(
            signal: signal, statusCode: response.status.code, duration: ContinuousClock.now - start,
            receivedBytes: receivedBytes)
        return response
    }

    /// The answer to a POST export, and how many body bytes were read for it.
    private func exportAnswer(
        _ signal: OTLPSignal, request: Request, context: Context
    ) async throws -> (Response, Int) {
        let contentType = request.headers[.contentType]
        guard let encoding = OTLPRequestFormat.encoding(contentType: contentType) else {
            context.logger.debug(
                "export refused: unsupported Content-Type", metadata: ["content-type": "\(contentType ?? "none")"])
            let message = "unsupported Content-Type: send application/x-protobuf or application/json\n"
            return (Self.text(.unsupportedMediaType, message), 0)
        }
        let failure = { (status: HTTPResponse.Status, code: OTLPResponseEncoder.StatusCode, message: String) in
            context.logger.debug("export refused", metadata: ["status": "\(status.code)", "reason": "\(message)"])
            return Self.bytes(
                status, OTLPResponseEncoder.status(code, message: message, encoding: encoding),
                contentType: OTLPRequestFormat.mediaType(of: encoding))
        }
        guard let compression = OTLPRequestFormat.compression(contentEncoding: request.headers[.contentEncoding]) else {
            return (
                failure(.unsupportedMediaType, .invalidArgument, "unsupported Content-Encoding: send gzip or none"), 0
            )
        }
        let tooLarge = "body is larger than the limit of \(maxBodyBytes) bytes; send smaller batches"
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > maxBodyBytes {
            return (failure(.contentTooLarge, .resourceExhausted, tooLarge), 0)
        }
        var body: [UInt8]
        switch try await Self.collect(request.body, limit: maxBodyBytes, declaredLength: declared) {
        case .complete(let bytes): body = bytes
        case .tooLarge(let readBytes): return (failure(.contentTooLarge, .resourceExhausted, tooLarge), readBytes)
        }
        let receivedBytes = body.count
        if compression == .gzip {
            do {
                body = try GzipBodyInflater.inflate(body, outputLimit: maxBodyBytes)
            } catch {
                let answer =
                    if case .tooLarge = error {
                        failure(.contentTooLarge, .resourceExhausted, error.message)
                    } else {
                        failure(.badRequest, .invalidArgument, error.message)
                    }
                return (answer, receivedBytes)
            }
        }
        let outcome = await intake.submit(body, signal: signal, encoding: encoding)
        switch outcome {
        case .stored(let accepted, let rejected, let rejectionMessage):
            metrics.recordRecords(signal: signal, accepted: accepted, rejected: rejected)
            let answer = OTLPResponseEncoder.exportResponse(
                signal: signal, rejected: rejected, message: rejectionMessage, encoding: encoding)
            return (Self.bytes(.ok, answer, contentType: OTLPRequestFormat.mediaType(of: encoding)), receivedBytes)
        case .undecodable(let message):
            return (failure(.badRequest, .invalidArgument, message), receivedBytes)
        case .overloaded(let retryAfterSeconds):
            context.logger.notice("export refused: write queue full", metadata: ["retry-after": "\(retryAfterSeconds)"])
            var response = failure(.serviceUnavailable, .unavailable, "write queue is full; retry later")
            response.headers[.retryAfter] = String(max(1, retryAfterSeconds))
            return (response, receivedBytes)
        case .unavailable(let message):
            context.logger.warning("export refused: intake unavailable", metadata: ["reason": "\(message)"])
            return (failure(.serviceUnavailable, .unavailable, message), receivedBytes)
        }
    }

    private enum CollectedBody {
        case complete([UInt8])
        /// Reading stopped at the chunk that passed the limit; what was read is dropped.
        case tooLarge(readBytes: Int)
    }

    /// The whole body, unless it passes `limit`: then reading stops there (Hummingbird discards the rest).
    /// Room for a declared length (already checked against `limit`) is made at once, so a body of many
    /// chunks is not copied again each time the array grows.
    private static func collect(_ body: RequestBody, limit: Int, declaredLength: Int?) async throws -> CollectedBody {
        var bytes: [UInt8] = []
        if let declaredLength, declaredLength > 0 { bytes.reserveCapacity(declaredLength) }
        for try await buffer in body {
            guard bytes.count + buffer.readableBytes <= limit else {
                return .tooLarge(readBytes: bytes.count + buffer.readableBytes)
            }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return .complete(bytes)
    }

    // MARK: - Answers

    private static func ifGet(_ request: Request, _ answer: () -> Response) -> Response {
        guard request.method == .get || request.method == .head else {
            var response = text(.methodNotAllowed, "method not allowed: use GET\n")
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        return answer()
    }

    private static func text(
        _ status: HTTPResponse.Status, _ text: String, contentType: String = "text/plain; charset=utf-8"
    ) -> Response {
        bytes(status, Array(text.utf8), contentType: contentType)
    }

    private static func bytes(_ status: HTTPResponse.Status, _ bytes: [UInt8], contentType: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
