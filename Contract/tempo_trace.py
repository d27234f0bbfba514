#!/usr/bin/env python3
"""Decodes a Tempo trace-by-ID protobuf body with the official OpenTelemetry protobuf classes (opentelemetry-proto,
as Grafana's Tempo data source decodes it with Tempo's generated Go types) and prints what it holds as JSON.

    tempo_trace.py v1|v2 BODY_FILE

v1 is `tempopb.Trace` (wire-identical to OTLP `TracesData`), v2 is `TraceByIDResponse { Trace trace = 1; }`.
Prints {"spans": [{traceId, spanId, parentSpanId, name, kind, status, service, attributes, events}]}; exits 1 when
the body does not decode.
"""
import json
import sys

from google.protobuf.internal.decoder import _DecodeVarint
from opentelemetry.proto.trace.v1 import trace_pb2


def value(any_value):
    kind = any_value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [value(v) for v in any_value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: value(kv.value) for kv in any_value.kvlist_value.values}
    if kind == "bytes_value":
        return any_value.bytes_value.hex()
    return getattr(any_value, kind)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    body = open(path, "rb").read()
    if mode == "v2":
        # TraceByIDResponse: field 1 (tag 0x0A), length-delimited, holds the Trace.
        if not body or body[0] != 0x0A:
            sys.exit("not a TraceByIDResponse: field 1 missing")
        length, start = _DecodeVarint(body, 1)
        body = body[start:start + length]
    data = trace_pb2.TracesData()
    data.ParseFromString(body)
    spans = []
    for resource_spans in data.resource_spans:
        resource = {kv.key: value(kv.value) for kv in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append({
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "status": span.status.code,
                    "service": resource.get("service.name"),
                    "scope": scope_spans.scope.name,
                    "attributes": {kv.key: value(kv.value) for kv in span.attributes},
                    "events": [
                        {"name": e.name, "time": e.time_unix_nano,
                         "attributes": {kv.key: value(kv.value) for kv in e.attributes}}
                        for e in span.events
                    ],
                })
    print(json.dumps({"spans": spans}))


if __name__ == "__main__":
    main()
