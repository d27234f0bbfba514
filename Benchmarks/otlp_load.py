#!/usr/bin/env python3
"""Load generator for `tracejoin serve`: OTLP/HTTP protobuf export requests at a fixed span rate.

Python standard library only. Each of --workers processes runs --connections threads, each with one
HTTP/1.1 keep-alive connection, sending
`ExportTraceServiceRequest` bodies of --spans-per-request spans (traces of --spans-per-trace spans,
two services, one error span in every tenth trace), at its share of --rate spans/s, for --seconds.
Every span gets fresh random trace and span IDs (the body is a template whose ID bytes are replaced
in every request), so nothing is deduplicated away by the receiver. Building bodies and talking HTTP
are kept cheap (C-level joins, a plain-socket client): the generator shares the machine with the
server it measures.

A 200 counts the request's spans as accepted; 429/503 (with Retry-After) count as refused: the
exporter would retry them later, nothing is silently lost. Other statuses and connection errors are
counted as errors. At the end it prints one JSON object: offered and accepted spans/s, refused,
errors, and request latency percentiles (ms), so the caller can compare the accepted count with what
the database holds.

    python3 Benchmarks/otlp_load.py --url http://127.0.0.1:4318/v1/traces --rate 100000 --seconds 60
"""

import argparse
import gzip
import json
import multiprocessing
import operator
import os
import socket
import struct
import sys
import time
import urllib.parse

# --- protobuf wire encoding (just what ExportTraceServiceRequest needs) ----------------------------


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_bytes(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_fixed64(number, value):
    return varint(number << 3 | 1) + struct.pack("<Q", value)


def key_value(key, text):
    any_value = field_bytes(1, text.encode())  # AnyValue.string_value
    return field_bytes(1, key.encode()) + field_bytes(2, any_value)


class Template:
    """One request body, plus where every trace ID and span ID sits in it."""

    def __init__(self, spans_per_request, spans_per_trace):
        self.trace_offsets = []  # (offset of each trace's spans' trace_id fields) per trace
        self.span_offsets = []  # offset of each span's span_id (and of its children's parent_span_id)
        services = ["checkout-service", "payment-service"]
        per_service = spans_per_request // len(services)
        pieces = []  # (resource_spans bytes, list of (relative trace offsets), span id offsets)
        self.body = bytearray()
        traces_in_body = []
        # Build span messages first, remembering where their IDs are inside each span message.
        now = time.time_ns()
        resource_blobs = []
        for s_index, service in enumerate(services):
            spans = []
            for i in range(per_service):
                # Each trace has half its spans in each service; its root is in the first one.
                half = max(1, spans_per_trace // len(services))
                trace_index = i // half
                position_in_trace = s_index * half + i % half
                start = now + position_in_trace * 1_000_000
                span = bytearray()
                span += field_bytes(1, b"\x11" * 16)  # trace_id placeholder
                trace_id_at = 2  # tag + length byte
                span += field_bytes(2, b"\x22" * 8)  # span_id placeholder
                span_id_at = 18 + 2
                parent_at = None
                if position_in_trace:
                    parent_at = len(span) + 2
                    span += field_bytes(4, b"\x33" * 8)
                span += field_bytes(5, ("GET /api/orders/{id} step %d" % position_in_trace).encode())
                span += field_varint(6, 2 if position_in_trace == 0 else 3)
                span += field_fixed64(7, start)
                span += field_fixed64(8, start + 750_000)
                span += field_bytes(9, key_value("http.route", "/api/orders/{id}"))
                span += field_bytes(9, key_value("customer.email", "jane.doe@example.com"))
                failed = trace_index % 10 == 0 and position_in_trace == spans_per_trace - 1
                if failed:
                    span += field_bytes(15, field_bytes(2, b"connection refused") + field_varint(3, 2))
                spans.append((bytes(span), trace_index, position_in_trace, trace_id_at, span_id_at, parent_at))
            resource = field_bytes(1, key_value("service.name", service))
            scope = field_bytes(1, b"tracejoin-load")
            resource_blobs.append((resource, scope, spans))
        # Lay out the body and record absolute offsets.
        for resource, scope, spans in resource_blobs:
            scope_spans = bytearray(field_bytes(1, scope))
            span_positions = []
            for span, trace_index, position, trace_at, span_at, parent_at in spans:
                header = varint(2 << 3 | 2) + varint(len(span))
                start = len(scope_spans) + len(header)
                scope_spans += header + span
                span_positions.append((start, trace_index, position, trace_at, span_at, parent_at))
            resource_field = field_bytes(1, resource)
            scope_header = varint(2 << 3 | 2) + varint(len(scope_spans))
            resource_spans = resource_field + scope_header + bytes(scope_spans)
            outer_header = varint(1 << 3 | 2) + varint(len(resource_spans))
            base = len(self.body) + len(outer_header) + len(resource_field) + len(scope_header)
            self.body += outer_header + resource_spans
            for start, trace_index, position, trace_at, span_at, parent_at in span_positions:
                traces_in_body.append((trace_index, position, base + start + trace_at, base + start + span_at,
                                       None if parent_at is None else base + start + parent_at))
        self.traces = max(t for t, *_ in traces_in_body) + 1
        self.spans = traces_in_body
        self.span_count = len(traces_in_body)

        self._plan_fresh_ids()

    def _plan_fresh_ids(self):
        """Cuts the body at every ID so `fresh` can rebuild it in a few C-level calls.

        Patching 2,900 IDs one slice assignment at a time cost the load generator ~2 ms of Python per
        request (a fifth of a core at 100k spans/s, on the machine the server is measured on). Instead the
        body is kept as the constant pieces between IDs; `fresh` splits two `os.urandom` buffers into IDs
        with `map` over precomputed slices and joins pieces and IDs in one `itemgetter` order.
        """
        roots = {}
        for index, (trace_index, position, _, _, _) in enumerate(self.spans):
            if position == 0:
                roots[trace_index] = index
        body = bytearray(self.body)
        patches = []  # (offset, length, ("trace" | "span", index))
        for index, (trace_index, position, trace_at, span_at, parent_at) in enumerate(self.spans):
            patches.append((trace_at, 16, ("trace", trace_index)))
            patches.append((span_at, 8, ("span", index)))
            if parent_at is not None:
                if trace_index in roots:
                    patches.append((parent_at, 8, ("span", roots[trace_index])))
                else:  # a trace whose root is not in the body: a fixed parent, as a real orphan would have
                    body[parent_at:parent_at + 8] = b"\x01" * 8
        patches.sort()
        pieces, cursor = [], 0
        for offset, length, _ in patches:
            pieces.append(bytes(body[cursor:offset]))
            cursor = offset + length
        pieces.append(bytes(body[cursor:]))
        # Pool seen by `fresh`: pieces, then trace IDs, then span IDs.
        trace_base, span_base = len(pieces), len(pieces) + self.traces
        order = []
        for piece_index, (_, _, (kind, index)) in enumerate(patches):
            order.append(piece_index)
            order.append((trace_base if kind == "trace" else span_base) + index)
        order.append(len(pieces) - 1)
        self.pieces = pieces
        self.layout = operator.itemgetter(*order)
        self.trace_slices = [slice(16 * i, 16 * i + 16) for i in range(self.traces)]
        self.span_slices = [slice(8 * i, 8 * i + 8) for i in range(len(self.spans))]

    def fresh(self):
        """The body with new random IDs: children point at the first span of their trace."""
        trace_ids = os.urandom(16 * self.traces)
        span_ids = os.urandom(8 * len(self.spans))
        pool = (self.pieces + list(map(trace_ids.__getitem__, self.trace_slices))
                + list(map(span_ids.__getitem__, self.span_slices)))
        return b"".join(self.layout(pool))


# --- workers ------------------------------------------------------------------------------------


def worker(args, rate_per_worker, deadline, queue):
    """One process: --connections threads, each with its own keep-alive connection."""
    import threading
    results = []
    # One template per process, shared by its threads (`fresh` only reads it): building one is ~30 ms of CPU.
    template = Template(args.spans_per_request, args.spans_per_trace)
    threads = [threading.Thread(target=connection_loop, args=(args, template, rate_per_worker / args.connections,
                                                              deadline, results)) for _ in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put({key: ([value for result in results for value in result[key]] if key == "latencies"
                     else sum(result[key] for result in results))
               for key in ("latencies", "accepted", "refused", "errors", "offered")})


class KeepAliveConnection:
    """One HTTP/1.1 keep-alive connection that POSTs a body and returns the answer's status.

    Written on a plain socket rather than with http.client, whose header parsing (the email package)
    cost as much CPU per request as building the body: on the machine the server is measured on, the
    load generator's CPU is taken from the server. Each request goes out in one `sendall`; an answer
    must carry Content-Length (Hummingbird's do), anything else counts as an error.
    """

    def __init__(self, url, headers):
        self.address = (url.hostname, url.port or 80)
        lines = [f"POST {url.path} HTTP/1.1", f"Host: {url.netloc}"] + [f"{k}: {v}" for k, v in headers.items()]
        self.head = ("\r\n".join(lines) + "\r\nContent-Length: ").encode()
        self.sock = None
        self.unread = b""

    def post(self, body):
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=30)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.unread = b""
        self.sock.sendall(b"".join((self.head, str(len(body)).encode(), b"\r\n\r\n", body)))
        data = self.unread
        while b"\r\n\r\n" not in data:
            data += self._receive()
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(None, 2)[1])
        length, close = None, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if length is None:
            raise ValueError("answer without Content-Length")
        while len(rest) < length:
            rest += self._receive()
        self.unread = rest[length:]
        if close:
            self.close()
        return status

    def _receive(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed by the server")
        return chunk

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def connection_loop(args, template, rate_per_connection, deadline, results):
    interval = template.span_count / rate_per_connection
    headers = {"Content-Type": "application/x-protobuf"}
    if args.gzip:
        headers["Content-Encoding"] = "gzip"
    connection = KeepAliveConnection(urllib.parse.urlsplit(args.url), headers)
    latencies, accepted, refused, errors, offered = [], 0, 0, 0, 0
    next_send = time.monotonic()
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        if now < next_send:
            time.sleep(next_send - now)
        next_send += interval
        body = template.fresh()
        if args.gzip:
            body = gzip.compress(body, compresslevel=1)
        offered += template.span_count
        started = time.monotonic()
        try:
            status = connection.post(body)
        except (OSError, ValueError, IndexError):
            errors += 1
            connection.close()
            continue
        latencies.append((time.monotonic() - started) * 1000)
        if status == 200:
            accepted += template.span_count
        elif status in (429, 503):
            refused += template.span_count
        else:
            errors += 1
        # A sender that falls behind does not try to catch up in a burst.
        if next_send < time.monotonic() - 1:
            next_send = time.monotonic()
    results.append({"latencies": latencies, "accepted": accepted, "refused": refused, "errors": errors,
                    "offered": offered})


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    return round(sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))], 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:4318/v1/traces")
    parser.add_argument("--rate", type=int, default=100_000, help="spans per second offered, all workers")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="processes")
    parser.add_argument("--connections", type=int, default=4, help="connections (threads) per process")
    parser.add_argument("--spans-per-request", type=int, default=1000)
    parser.add_argument("--spans-per-trace", type=int, default=10)
    parser.add_argument("--gzip", action="store_true", help="Content-Encoding: gzip, as the SDKs send")
    args = parser.parse_args()

    deadline = time.monotonic() + args.seconds
    queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=worker, args=(args, args.rate / args.workers, deadline, queue))
                 for _ in range(args.workers)]
    started = time.monotonic()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.monotonic() - started
    latencies = sorted(value for result in results for value in result["latencies"])
    total = {key: sum(result[key] for result in results) for key in ("accepted", "refused", "errors", "offered")}
    print(json.dumps({
        "seconds": round(elapsed, 1),
        "offered_spans": total["offered"],
        "accepted_spans": total["accepted"],
        "refused_spans": total["refused"],
        "errors": total["errors"],
        "offered_spans_per_s": round(total["offered"] / elapsed),
        "accepted_spans_per_s": round(total["accepted"] / elapsed),
        "requests": len(latencies),
        "latency_ms": {"p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
                       "max": percentile(latencies, 1.0)},
    }))


if __name__ == "__main__":
    sys.exit(main())
