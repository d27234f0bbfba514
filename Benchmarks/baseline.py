#!/usr/bin/env python3
"""The script a user would write instead of tracejoin (issue #16's baseline), for Benchmarks/run.sh.

Reads every file of a folder (gzip too), one row per log line or span into SQLite with executemany, the trace ID
taken from the usual keys; the index on the trace ID is built after the load. No scrubbing, no multi-line
records, no summaries, no idempotency: it does less than tracejoin, on purpose.

    python3 Benchmarks/baseline.py --db out.db CORPUS_FOLDER
"""
import argparse
import gzip
import os
import re
import sqlite3
import sys

import orjson

TEXT_TRACE = re.compile(rb"(?:trace_id|traceId|TraceID:|trace\.id)[=: ]\s*\"?([0-9a-fA-F]{16,32})")
BATCH = 50_000


def trace_of_log(record):
    for key in ("trace_id", "traceId", "trace.id", "otelTraceID", "traceid"):
        value = record.get(key)
        if isinstance(value, str):
            return value
    dd = record.get("dd")
    if isinstance(dd, dict):
        return dd.get("trace_id")
    return None


def spans_of_document(document):
    """Yields (trace ID, service, name, JSON text) for OTLP, Jaeger and Zipkin documents."""
    if isinstance(document, list):  # Zipkin v2
        for span in document:
            service = (span.get("localEndpoint") or {}).get("serviceName")
            yield span.get("traceId"), service, span.get("name"), orjson.dumps(span)
    elif "resourceSpans" in document:  # OTLP JSON
        for resource_spans in document["resourceSpans"]:
            service = None
            for attribute in (resource_spans.get("resource") or {}).get("attributes", []):
                if attribute.get("key") == "service.name":
                    service = attribute["value"].get("stringValue")
            for scope_spans in resource_spans.get("scopeSpans", []):
                for span in scope_spans.get("spans", []):
                    yield span.get("traceId"), service, span.get("name"), orjson.dumps(span)
    elif "data" in document:  # Jaeger
        for trace in document["data"]:
            processes = trace.get("processes", {})
            for span in trace.get("spans", []):
                service = processes.get(span.get("processID"), {}).get("serviceName")
                yield span.get("traceID"), service, span.get("operationName"), orjson.dumps(span)


def read_file(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        head = handle.read(1)
        handle.seek(0)
        if path.endswith(".json") and head in (b"{", b"["):
            yield from (("span",) + row for row in spans_of_document(orjson.loads(handle.read())))
            return
        for line in handle:
            if line.startswith(b'{"resourceSpans"'):
                try:
                    document = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                yield from (("span",) + row for row in spans_of_document(document))
                continue
            trace = None
            if line.startswith(b"{"):
                try:
                    record = orjson.loads(line)
                    trace = trace_of_log(record)
                except orjson.JSONDecodeError:
                    pass
            else:
                match = TEXT_TRACE.search(line)
                trace = match.group(1).decode() if match else None
            yield "log", trace, None, None, line.rstrip(b"\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("folder")
    args = parser.parse_args()
    db = sqlite3.connect(args.db)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE records (kind TEXT, trace_id TEXT, service TEXT, name TEXT, body BLOB)")
    rows, total = [], 0
    for folder, _, names in os.walk(args.folder):
        for name in sorted(names):
            for row in read_file(os.path.join(folder, name)):
                rows.append(row)
                if len(rows) >= BATCH:
                    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)", rows)
                    db.commit()
                    total += len(rows)
                    rows.clear()
    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)", rows)
    total += len(rows)
    db.execute("CREATE INDEX records_by_trace ON records (trace_id)")
    db.commit()
    db.close()
    print(total, file=sys.stderr)


if __name__ == "__main__":
    main()
