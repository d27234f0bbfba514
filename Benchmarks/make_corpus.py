#!/usr/bin/env python3
"""Generate a deterministic, realistic night of shop telemetry: service logs and span exports.

    python3 Benchmarks/make_corpus.py --out DIR --size 1GB [--seed 1]       # benchmark corpus
    python3 Benchmarks/make_corpus.py --small --out Fixtures/night \\
        --truth Fixtures/expected                                           # the bundled fixture

Services (2026-11-23, 00:00-06:00 UTC):
  order-service, user-service   Node: pino / winston JSON logs, spans in OTLP JSON (Collector file exporter)
  payment-service               Go: zap JSON logs, spans as Jaeger JSON documents ({"data":[...]})
  inventory-worker              Python: OTel logging text format (tracebacks), spans as Zipkin v2 arrays
  checkout-api                  Datadog: JSON logs with nested dd.trace_id/span_id in decimal, spans in OTLP JSON
  notification-service          Java in Kubernetes: logback text wrapped by Docker json-file and CRI
Rotated logs are gzip (`*.log.1.gz`, `*.log.2.gz`; user-service's has two members).

`--size` is the total decompressed size of logs and spans to write (suffixes KB, MB, GB: powers of 1024).
`--small` writes the fixture instead: a fixed plan of ~50 traces covering every flow, failure class and
quirk, with personal data planted everywhere; `--truth DIR` then writes night.json, planted-pii.txt and
must-survive.txt. At the end a summary line gives files, bytes, log records, spans and traces; `--stats
FILE` writes the same as JSON. Python 3 standard library only.
"""

import argparse
import calendar
import gzip
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpus import background, flows  # noqa: E402
from corpus.night import CHECKOUT, HOUR, NOTIFY, ORDER, PAY, USER, WORKER, Night  # noqa: E402

NIGHT_START = calendar.timegm((2026, 11, 23, 0, 0, 0)) * 1_000_000_000
MINUTE = 60 * 1_000_000_000
FLOWS = {"lookup": flows.order_lookup, "checkout": flows.checkout, "sync": flows.inventory_sync,
         "settlement": flows.settlement}

# The fixture: (flow, failure variant or None, sampled). Every failure class appears; two failures
# repeat (the same problem across traces, for grouping); the showcase is marked.
SMALL_PLAN = (
    [("lookup", None, True)] * 7 + [("checkout", None, True)] * 7 + [("sync", None, True)] * 3
    + [("settlement", None, True)] * 2
    + [("lookup", None, False)] * 2 + [("sync", "py_keyerror", False)]
    + [("lookup", "connection", True), ("lookup", "connection", True), ("lookup", "timeout", True),
       ("lookup", "not_found", True), ("lookup", "auth", True), ("lookup", "resource_exhausted", True),
       ("lookup", "code_defect", True),
       ("checkout", "timeout", True), ("checkout", "timeout", True), ("checkout", "upstream", True),
       ("checkout", "connection", True), ("checkout", "rate_limit", True), ("checkout", "validation", True),
       ("checkout", "conflict", True), ("checkout", "py_keyerror", True), ("checkout", "redis_oom", True),
       ("checkout", "java_npe", True),
       ("sync", "timeout", True), ("settlement", "unknown", True)]
)
FAILURES = {
    "lookup": ["connection", "timeout", "not_found", "auth", "resource_exhausted", "code_defect"],
    "checkout": ["validation", "conflict", "connection", "timeout", "upstream", "rate_limit", "py_keyerror",
                 "redis_oom", "java_npe"],
    "sync": ["timeout", "py_keyerror"],
    "settlement": ["unknown"],
}
SMALL_MALFORMED = [(70, ORDER, 0), (200, ORDER, 0), (300, ORDER, 0), (50, USER, 0), (130, USER, 0), (270, USER, 0),
                   (95, PAY, 0), (250, PAY, 0), (120, CHECKOUT, 0), (330, CHECKOUT, 0), (180, NOTIFY, 0)]
TICK_SERVICES = [ORDER, USER, PAY, WORKER, CHECKOUT, NOTIFY]


def parse_size(text):
    units = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "B": 1}
    text = text.strip().upper()
    for suffix, factor in sorted(units.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    return int(text)


def start_trace(n, flow, fail, sampled, t):
    tr = n.new_trace(t, flow, sampled=sampled, datadog=(flow == "checkout"), legacy64=(flow == "settlement"))
    tr.variant = fail
    return tr


def run_small(n):
    r = n.rng
    plan = list(SMALL_PLAN)
    r.shuffle(plan)
    background.startup(n, NIGHT_START + 2 * MINUTE)
    for minute in range(10, 360, 30):
        for i, service in enumerate(TICK_SERVICES):
            background.tick(n, NIGHT_START + minute * MINUTE + i * 7_000_000_000 + r.randrange(10 ** 9), service,
                            pod=minute // 30 % 2)
    for minute, service, pod in SMALL_MALFORMED:
        background.malformed(n, NIGHT_START + minute * MINUTE + 1_234_000_000, service, pod)
    step = (350 * MINUTE) // len(plan)
    showcase_done = False
    long_lines = {0: False, 1: False}
    dual_done = False
    for i, (flow, fail, sampled) in enumerate(plan):
        t = NIGHT_START + 5 * MINUTE + i * step + r.randrange(step // 2)
        tr = start_trace(n, flow, fail, sampled, t)
        tr.pod = i % 2
        if flow == "checkout" and fail is None and not long_lines[tr.pod]:
            tr.long_line = long_lines[tr.pod] = True
        elif flow == "checkout" and fail is None and not dual_done:
            tr.dual_export = dual_done = True
        if flow == "lookup" and fail == "connection" and not showcase_done:
            tr.showcase = showcase_done = True
        FLOWS[flow](n, tr, t, fail)
        n.finish(tr)
        if i == len(plan) // 3:
            n.otlp.truncate_next = True   # the Collector dies mid-write; after restart the batch comes again in full
        if i == len(plan) // 2:
            n.otlp.duplicate_next = True  # an exporter retry: the same line twice
    n.close()


def run_big(n, target, sample_ratio):
    r = n.rng
    background.startup(n, NIGHT_START + 2 * MINUTE)
    t = NIGHT_START + 5 * MINUTE
    end = NIGHT_START + 6 * HOUR
    step = int((end - t) / max(1.0, target / 4300))  # ~4.3 KB per trace; revised as the output grows
    count = 0
    next_malformed = t + 20 * MINUTE
    next_otlp_fault = t + 90 * MINUTE
    malformed_services = [ORDER, USER, PAY, CHECKOUT, NOTIFY]
    while n.produced < target:
        x = r.random()
        flow = "lookup" if x < 0.42 else "checkout" if x < 0.86 else "sync" if x < 0.97 else "settlement"
        fail = FAILURES[flow][r.randrange(len(FAILURES[flow]))] if r.random() < 0.10 else None
        sampled = r.random() < sample_ratio
        tr = start_trace(n, flow, fail, sampled, t)
        tr.pod = r.randrange(2)
        tr.long_line = flow == "checkout" and fail is None and r.random() < 0.002
        FLOWS[flow](n, tr, t, fail)
        n.finish(tr)
        if r.random() < 0.8:
            background.tick(n, t + r.randrange(step + 1), TICK_SERVICES[r.randrange(6)], pod=r.randrange(2))
        if t >= next_malformed:
            background.malformed(n, t + 1, malformed_services[count % 5], pod=0)
            next_malformed += 20 * MINUTE
        if t >= next_otlp_fault:
            n.otlp.truncate_next = True
            n.otlp.duplicate_next = True
            next_otlp_fault += 120 * MINUTE
        count += 1
        if count % 400 == 0:
            n.flush(t - 20 * 1_000_000_000)
        if count % 400 == 0 or (count < 400 and count % 25 == 0):
            per_trace = n.produced / count
            remaining = max(1.0, (target - n.produced) / per_trace)
            step = max(1000, int((end - t) / remaining)) if t < end else 1000
        t += r.randrange(step // 2, step * 3 // 2 + 1)
    n.close()


def unwrap_container_log(text):
    """The application's text inside Docker json-file or CRI lines (partial pieces joined); '' for other files."""
    out = []
    for line in text.split("\n"):
        if line.startswith('{"log":'):
            try:
                out.append(json.loads(line)["log"])
            except ValueError:
                out.append("\n")
        elif line[:4].isdigit() and (" stdout P " in line[:45] or " stdout F " in line[:45]):
            stamp, stream, tag, rest = line.split(" ", 3)
            out.append(rest + ("\n" if tag == "F" else ""))
    return "".join(out)


def same_problem(traces):
    """Incidents made by the same failure variant: `incidents --group` must fold each list into one problem."""
    groups = {}
    for e in traces:
        if e["status"] == "error":
            groups.setdefault(e["scenario"], []).append(e["traceId"])
    return [ids for ids in groups.values() if len(ids) > 1]


def write_truth(n, out, truth_dir, seed):
    os.makedirs(truth_dir, exist_ok=True)
    st = n.stats
    traces = sorted(n.truth, key=lambda e: e["start"])
    summary = {
        "generator": "python3 Benchmarks/make_corpus.py --small --seed %d --out Fixtures/night --truth Fixtures/expected" % seed,
        "counting": "see Fixtures/README.md, 'Counting rules'",
        "totals": {
            "traces": len(traces),
            "incidents": sum(1 for e in traces if e["status"] == "error"),
            "unsampledTraces": sum(1 for e in traces if not e["sampled"]),
            "spans": st.spans,
            "spanEvents": sum(e["eventCount"] for e in traces),
            "logRecords": st.log_records,
            "correlatedLogRecords": st.log_records - st.uncorrelated,
            "uncorrelatedLogRecords": st.uncorrelated,
            "rejects": len(st.rejects),
        },
        "sameProblem": same_problem(traces),
        "files": n.file_table(),
        "rejects": st.rejects,
        "traces": traces,
    }
    with open(os.path.join(truth_dir, "night.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    # A value made for a span of an unsampled trace, or for a branch that did not log it, never reached a
    # file: list only what the files really hold.
    text = []
    for rel in st.files:
        opener = gzip.open if rel.endswith(".gz") else open
        with opener(os.path.join(out, rel), "rb") as f:
            text.append(f.read().decode("utf-8"))
            text.append(unwrap_container_log(text[-1]))  # a value split over two wrapper lines is still planted
    text = "\n".join(text)
    text += text.replace('\\"', '"')
    with open(os.path.join(truth_dir, "planted-pii.txt"), "w") as f:
        f.write("".join(v + "\n" for v in n.values.planted if v in text))
    with open(os.path.join(truth_dir, "must-survive.txt"), "w") as f:
        f.write("".join(v + "\n" for v in n.values.survivors if v in text))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory (created; its logs/, spans/ and k8s/ are replaced)")
    ap.add_argument("--size", default="1GB", help="decompressed bytes of logs + spans to write (default 1GB)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--small", action="store_true", help="write the bundled fixture (a fixed plan, ~50 traces)")
    ap.add_argument("--truth", help="with --small: directory for night.json, planted-pii.txt, must-survive.txt")
    ap.add_argument("--sample-ratio", type=float, default=0.1,
                    help="share of traces whose spans are exported (head sampling; default 0.1, which gives ~15%% span bytes)")
    ap.add_argument("--stats", help="also write the summary as JSON to this file")
    args = ap.parse_args(argv)

    began = time.time()
    for sub in ("logs", "spans", "k8s"):  # what an earlier run wrote here; nothing else is touched
        shutil.rmtree(os.path.join(args.out, sub), ignore_errors=True)
    n = Night(args.out, args.seed, args.small, NIGHT_START)
    if args.small:
        run_small(n)
        if args.truth:
            write_truth(n, args.out, args.truth, args.seed)
    else:
        run_big(n, parse_size(args.size), args.sample_ratio)
    st = n.stats
    summary = {
        "files": len(st.files), "bytes": st.disk_bytes(args.out), "decompressedBytes": st.raw_bytes,
        "logRecords": st.log_records, "uncorrelatedLogRecords": st.uncorrelated, "spans": st.spans,
        "records": st.log_records + st.spans, "traces": n.counts["traces"], "incidents": n.counts["incidents"],
        "unsampledTraces": n.counts["unsampled"], "rejects": len(st.rejects), "seconds": round(time.time() - began, 1),
    }
    if args.stats:
        with open(args.stats, "w") as f:
            json.dump(summary, f, indent=1)
            f.write("\n")
    print("corpus: " + " ".join("%s=%s" % kv for kv in summary.items()))


if __name__ == "__main__":
    main()
