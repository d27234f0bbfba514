/// The answers of the APIs tracejoin serves, as the upstream projects define them (facts taken from their message
/// definitions, fixtures and docs; each shape names its source). The contract tests hold every endpoint to these.
enum UpstreamShapes {
    // MARK: - Jaeger query API (v1), as Grafana's Jaeger data source and Jaeger UI read it

    /// — source: jaegertracing/jaeger `cmd/query/app/http_handler.go` (`structuredResponse`, `structuredError`)
    static func jaegerEnvelope(_ data: JSONShape) -> JSONShape {
        .all([
            "data": data, "total": .number, "limit": .number, "offset": .number,
            "errors": .nullable(.array(.object(["code": .number, "msg": .string, "traceID": .string], required: ["msg"]))),
        ])
    }

    /// — source: jaegertracing/jaeger `model/converter/json/fixtures/ui_01.json` (tags and log fields)
    static let jaegerKeyValue = JSONShape.all([
        "key": .string, "type": .oneOf(["string", "bool", "int64", "float64", "binary"]), "value": .any,
    ])

    /// A trace as `/api/traces/{id}` answers it.
    /// — source: jaegertracing/jaeger `model/converter/json/fixtures/ui_01.json` and `model/json/model.go`
    ///   (`Trace`, `Span`, `Reference`, `Log`, `Process`; `flags`, `parentSpanID` and `process` are omitted when empty)
    static let jaegerTrace = JSONShape.object(
        [
            "traceID": .string,
            "spans": .array(
                .object(
                    [
                        "traceID": .string, "spanID": .string, "parentSpanID": .string, "flags": .number,
                        "operationName": .string,
                        "references": .array(
                            .all(["refType": .oneOf(["CHILD_OF", "FOLLOWS_FROM"]), "traceID": .string, "spanID": .string])),
                        "startTime": .number, "duration": .number, "tags": .array(jaegerKeyValue),
                        "logs": .array(.all(["timestamp": .number, "fields": .array(jaegerKeyValue)])),
                        "processID": .string, "warnings": .nullable(.array(.string)),
                    ],
                    required: [
                        "traceID", "spanID", "operationName", "references", "startTime", "duration", "tags", "logs",
                        "processID",
                    ])),
            "processes": .map(.all(["serviceName": .string, "tags": .array(jaegerKeyValue)])),
            "warnings": .nullable(.array(.string)),
        ],
        required: ["traceID", "spans", "processes"])

    /// — source: jaegertracing/jaeger `cmd/query/app/http_handler.go` (`getOperations`: `{name, spanKind}`)
    static let jaegerOperation = JSONShape.all(["name": .string, "spanKind": .string])

    /// — source: jaegertracing/jaeger `model/dependencies.go` (`DependencyLink`, `source` omitted when empty)
    static let jaegerDependency = JSONShape.object(
        ["parent": .string, "child": .string, "callCount": .number, "source": .string],
        required: ["parent", "child", "callCount"])

    // MARK: - OTLP JSON (Jaeger api/v3, Tempo's JSON trace)

    /// — source: opentelemetry-proto `common.proto` (`AnyValue`, `KeyValue`) and its JSON mapping (64-bit integers as
    ///   decimal strings)
    static let otlpKeyValue: JSONShape = .all(["key": .string, "value": otlpValue(depth: 3)])

    private static func otlpValue(depth: Int) -> JSONShape {
        let nested: JSONShape = depth > 0 ? otlpValue(depth: depth - 1) : .any
        return .object([
            "stringValue": .string, "boolValue": .bool, "intValue": .decimalString, "doubleValue": .number,
            "bytesValue": .string, "arrayValue": .object(["values": .array(nested)]),
            "kvlistValue": .object(["values": .array(.all(["key": .string, "value": nested]))]),
        ])
    }

    /// — source: opentelemetry-proto `trace.proto` (`ResourceSpans`, `ScopeSpans`, `Span`, `Event`, `Link`, `Status`);
    ///   jaegertracing/jaeger `cmd/query/app/apiv3/snapshots/GetTrace.json` (hex IDs, kind and status code as numbers,
    ///   times as decimal strings, an empty `parentSpanId` for a root)
    static let otlpResourceSpans: JSONShape = {
        let attributes = JSONShape.array(otlpKeyValue)
        let span = JSONShape.object(
            [
                "traceId": .hex(length: 32), "spanId": .hex(length: 16), "parentSpanId": .string, "traceState": .string,
                "flags": .number, "name": .string, "kind": .number, "startTimeUnixNano": .decimalString,
                "endTimeUnixNano": .decimalString, "attributes": attributes, "droppedAttributesCount": .number,
                "events": .array(
                    .object(
                        [
                            "timeUnixNano": .decimalString, "name": .string, "attributes": attributes,
                            "droppedAttributesCount": .number,
                        ], required: ["timeUnixNano"])),
                "droppedEventsCount": .number,
                "links": .array(
                    .object(
                        [
                            "traceId": .hex(length: 32), "spanId": .hex(length: 16), "traceState": .string,
                            "attributes": attributes, "droppedAttributesCount": .number, "flags": .number,
                        ], required: ["traceId", "spanId"])),
                "droppedLinksCount": .number, "status": .object(["code": .number, "message": .string]),
            ],
            required: ["traceId", "spanId", "name", "startTimeUnixNano", "endTimeUnixNano"])
        return .object(
            [
                "resource": .object(["attributes": attributes, "droppedAttributesCount": .number]),
                "scopeSpans": .array(
                    .object(
                        [
                            "scope": .object([
                                "name": .string, "version": .string, "attributes": attributes,
                                "droppedAttributesCount": .number,
                            ]),
                            "spans": .array(span), "schemaUrl": .string,
                        ], required: ["spans"])),
                "schemaUrl": .string,
            ], required: ["scopeSpans"])
    }()

    // MARK: - Jaeger api/v3

    /// A trace or a search: the HTTP gateway's one-chunk stream of `TracesData`.
    /// — source: jaegertracing/jaeger `cmd/query/app/apiv3/http_gateway.go` (`{"result": …}`) and its snapshots
    static let v3Traces = JSONShape.all(["result": .all(["resourceSpans": .array(otlpResourceSpans)])])

    /// — source: jaegertracing/jaeger-idl `api_v3/query_service.proto` (`GRPCGatewayError`)
    static let v3Error = JSONShape.all([
        "error": .object(
            ["grpcCode": .number, "httpCode": .number, "message": .string, "httpStatus": .string],
            required: ["httpCode", "message"])
    ])

    /// — source: jaegertracing/jaeger-idl `api_v3/query_service.proto` (`GetServicesResponse`, `GetOperationsResponse`)
    static let v3Services = JSONShape.all(["services": .array(.string)])
    static let v3Operations = JSONShape.all(["operations": .array(.all(["name": .string, "spanKind": .string]))])

    /// — source: jaegertracing/jaeger ADR-010 "Trace Summary API" and jaeger-idl `api_v3/query_service.proto`
    ///   (`FindTraceSummariesResponse`, `TraceSummary`, `ServiceSummary`; fixed64 times as decimal strings)
    static let v3TraceSummaries = JSONShape.all([
        "summaries": .array(
            .all([
                "traceId": .hex(length: 32), "rootServiceName": .string, "rootOperationName": .string,
                "minStartTimeUnixNano": .decimalString, "maxEndTimeUnixNano": .decimalString, "spanCount": .number,
                "errorSpanCount": .number, "orphanSpanCount": .number,
                "services": .array(.all(["name": .string, "spanCount": .number, "errorSpanCount": .number])),
            ]))
    ])

    // MARK: - Tempo, as Grafana's Tempo data source reads it

    /// — source: grafana/tempo `pkg/tempopb/tempo.proto` (`SearchResponse`, `TraceSearchMetadata`, `SpanSet`, `Span`,
    ///   `SearchMetrics`, `ServiceStats`) and Tempo's API docs (uint64 fields as decimal strings)
    static let tempoSearch: JSONShape = {
        let spanSet = JSONShape.object([
            "spans": .array(
                .object(
                    [
                        "spanID": .string, "name": .string, "startTimeUnixNano": .decimalString,
                        "durationNanos": .decimalString, "attributes": .array(otlpKeyValue),
                    ], required: ["spanID"])),
            "matched": .number, "attributes": .array(otlpKeyValue),
        ])
        return .object(
            [
                "traces": .array(
                    .object(
                        [
                            "traceID": .string, "rootServiceName": .string, "rootTraceName": .string,
                            "startTimeUnixNano": .decimalString, "durationMs": .number, "spanSet": spanSet,
                            "spanSets": .array(spanSet),
                            "serviceStats": .map(.object(["spanCount": .number, "errorCount": .number])),
                        ], required: ["traceID"])),
                "metrics": .object([
                    "inspectedTraces": .number, "inspectedBytes": .decimalString, "totalBlocks": .number,
                    "completedJobs": .number, "totalJobs": .number, "totalBlockBytes": .decimalString,
                    "inspectedSpans": .decimalString,
                ]),
            ], required: ["traces"])
    }()

    /// — source: grafana/tempo `pkg/tempopb/tempo.proto` (`SearchTagsResponse`, `SearchTagsV2Response`, `SearchTagsV2Scope`)
    static let tempoTags = JSONShape.object(["tagNames": .array(.string), "metrics": .any], required: ["tagNames"])
    static let tempoTagsV2 = JSONShape.object(
        [
            "scopes": .array(
                .all([
                    "name": .oneOf(["resource", "span", "intrinsic", "event", "link", "instrumentation"]),
                    "tags": .array(.string),
                ])),
            "metrics": .any,
        ], required: ["scopes"])

    /// — source: grafana/tempo `pkg/tempopb/tempo.proto` (`SearchTagValuesResponse`, `SearchTagValuesV2Response`,
    ///   `TagValue`)
    static let tempoTagValues = JSONShape.object(["tagValues": .array(.string), "metrics": .any], required: ["tagValues"])
    static let tempoTagValuesV2 = JSONShape.object(
        ["tagValues": .array(.all(["type": .string, "value": .string])), "metrics": .any], required: ["tagValues"])

    /// `GET /api/v2/traces/{id}` as JSON: `TraceByIDResponse`.
    /// — source: grafana/tempo `pkg/tempopb/tempo.proto` (`TraceByIDResponse { Trace trace; TraceByIDMetrics metrics }`)
    static let tempoTraceV2 = JSONShape.object(
        ["trace": .all(["resourceSpans": .array(otlpResourceSpans)]), "metrics": .any], required: ["trace"])

    /// — source: prometheus/common `version` as Tempo serves it at `/api/status/buildinfo`
    static let tempoBuildInfo = JSONShape.all([
        "version": .string, "revision": .string, "branch": .string, "buildUser": .string, "buildDate": .string,
        "goVersion": .string,
    ])
}
