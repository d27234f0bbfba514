#!/usr/bin/env python3
"""Re-derive the fixture's counts from its files alone and compare them with the ground truth.

    python3 Benchmarks/check_fixture.py Fixtures/night Fixtures/expected
    python3 Benchmarks/check_fixture.py --stats CORPUS CORPUS.stats.json     # a benchmark corpus's totals

A second, independent reading of the night (simple parsers, no generator code), so a mistake in the
generator's bookkeeping shows up here rather than as a puzzling test failure in the pipeline. It also
checks that every planted value occurs in the files and never inside a must-survive value.
"""

import gzip
import json
import os
import re
import sys
from collections import Counter, defaultdict

PY_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
PY_TRACE = re.compile(r"\[trace_id=([0-9a-f]{32}|0) ")
JAVA_START = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} ")
JAVA_TRACE = re.compile(r"TraceID: ([0-9a-f]{32}) ")
CRI = re.compile(r"^(\S+) (stdout|stderr) ([PF]) ?(.*)$")


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read().decode("utf-8")


def lines_of(text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class Reading:
    def __init__(self):
        self.spans = defaultdict(set)      # trace id -> span ids
        self.logs = Counter()              # trace id (or "dd:<decimal>") -> records
        self.uncorrelated = 0
        self.records = 0
        self.rejects = []
        self.file_records = {}

    def log(self, trace):
        self.records += 1
        if trace:
            self.logs[trace] += 1
        else:
            self.uncorrelated += 1

    def json_record(self, obj):
        dd = obj.get("dd")
        if isinstance(dd, dict):
            self.log(("dd:" + dd["trace_id"]) if dd.get("trace_id", "0") != "0" else None)
            return
        tid = obj.get("trace_id")
        self.log(tid.rjust(32, "0") if tid else None)

    def text_records(self, lines, start, trace_re):
        for line in lines:
            if start.match(line):
                m = trace_re.search(line)
                self.log(m.group(1) if m and m.group(1) != "0" else None)


def read(root):
    rd = Reading()
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            lines = lines_of(read_text(path))
            before = rd.records
            first = lines[0] if lines else ""
            if first.startswith('{"resourceSpans"'):
                for i, line in enumerate(lines, 1):
                    try:
                        doc = json.loads(line)
                    except ValueError:
                        rd.rejects.append((rel, i))
                        continue
                    for rs in doc["resourceSpans"]:
                        for ss in rs["scopeSpans"]:
                            for s in ss["spans"]:
                                rd.spans[s["traceId"]].add(s["spanId"])
            elif first.startswith('{"data"'):
                for t in json.loads("\n".join(lines))["data"]:
                    for s in t["spans"]:
                        rd.spans[s["traceID"].rjust(32, "0")].add(s["spanID"])
            elif first.startswith("["):
                for s in json.loads("\n".join(lines)):
                    rd.spans[s["traceId"]].add(s["id"])
            elif first.startswith('{"log"'):
                inner, partial = [], ""
                for i, line in enumerate(lines, 1):
                    try:
                        piece = json.loads(line)["log"]
                    except ValueError:
                        rd.rejects.append((rel, i))
                        continue
                    partial += piece
                    if partial.endswith("\n"):
                        inner.append(partial[:-1])
                        partial = ""
                rd.text_records(inner, JAVA_START, JAVA_TRACE)
            elif CRI.match(first):
                inner, partial = [], ""
                for i, line in enumerate(lines, 1):
                    m = CRI.match(line)
                    if not m:
                        rd.rejects.append((rel, i))
                        continue
                    partial += m.group(4)
                    if m.group(3) == "F":
                        inner.append(partial)
                        partial = ""
                rd.text_records(inner, JAVA_START, JAVA_TRACE)
            elif first.startswith("{"):
                for i, line in enumerate(lines, 1):
                    try:
                        rd.json_record(json.loads(line))
                    except ValueError:
                        rd.rejects.append((rel, i))
            else:
                rd.text_records(lines, PY_START, PY_TRACE)
            rd.file_records[rel] = rd.records - before
    # Datadog decimal IDs join the trace whose lower 64 bits match.
    by_low = {}
    for tid in list(rd.spans) + [k for k in rd.logs if not k.startswith("dd:")]:
        by_low[int(tid[16:], 16)] = tid
    for key in [k for k in rd.logs if k.startswith("dd:")]:
        full = by_low.get(int(key[3:]))
        if full:  # a Datadog-only trace (possible in big corpora) keeps its "dd:" key
            rd.logs[full] += rd.logs.pop(key)
    return rd


def check_stats(corpus, stats_path):
    """Compare a benchmark corpus with the totals `make_corpus.py --stats` wrote."""
    stats = json.load(open(stats_path))
    rd = read(corpus)
    got = {"logRecords": rd.records, "uncorrelatedLogRecords": rd.uncorrelated,
           "spans": sum(len(v) for v in rd.spans.values()), "rejects": len(rd.rejects)}
    bad = ["%s: files say %d, stats say %d" % (k, v, stats[k]) for k, v in got.items() if v != stats[k]]
    for line in bad:
        print("check_fixture: " + line)
    print("check_fixture: %s (%s)" % ("FAILED" if bad else "ok", ", ".join("%s=%d" % kv for kv in got.items())))
    return 1 if bad else 0


def unwrap(text):
    """The application text inside Docker or CRI wrapper lines, pieces joined; '' for other files."""
    out = []
    for line in lines_of(text):
        if line.startswith('{"log":'):
            try:
                out.append(json.loads(line)["log"])
            except ValueError:
                out.append("\n")
        else:
            m = CRI.match(line)
            if m:
                out.append(m.group(4) + ("\n" if m.group(3) == "F" else ""))
    return "".join(out)


def check_readme(text, traces, problems):
    """Fixtures/README.md's incident table and showcase must name traces as night.json describes them."""
    for tid in set(re.findall(r"\b[0-9a-f]{32}\b", text)):
        if tid not in traces:
            problems.append("README names trace %s, which is not in night.json" % tid)
    for m in re.finditer(r"^\| `([0-9a-f]{32})` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", text, re.M):
        tid, _, cls, root = (g.strip() for g in m.groups())
        t = traces.get(tid)
        if t is None or not t["rootCause"]:
            continue
        rc = t["rootCause"]
        want = "%s / `%s`" % (rc["service"], rc["spanName"]) if rc["spanName"] else "%s / (no span)" % rc["service"]
        if cls != t["errorClass"] or root != want:
            problems.append("README row %s says %s, %s; night.json says %s, %s" % (tid, cls, root, t["errorClass"], want))
    showcase = [tid for tid, t in traces.items() if t.get("showcase")]
    if showcase and "show  --db night.db " + showcase[0] not in text:
        problems.append("README does not show the showcase trace " + showcase[0])


def main(night, expected):
    truth = json.load(open(os.path.join(expected, "night.json")))
    rd = read(night)
    problems = []

    def check(what, got, want):
        if got != want:
            problems.append("%s: files say %r, night.json says %r" % (what, got, want))

    totals = truth["totals"]
    check("spans", sum(len(v) for v in rd.spans.values()), totals["spans"])
    check("log records", rd.records, totals["logRecords"])
    check("uncorrelated log records", rd.uncorrelated, totals["uncorrelatedLogRecords"])
    check("rejects", sorted(rd.rejects), sorted((r["file"], r["line"]) for r in truth["rejects"]))
    for row in truth["files"]:
        if "logRecords" in row:
            check(row["path"] + " records", rd.file_records.get(row["path"]), row["logRecords"])
    traces = {t["traceId"]: t for t in truth["traces"]}
    check("trace IDs", sorted(set(rd.spans) | set(rd.logs)), sorted(traces))
    for tid, t in traces.items():
        check(tid + " spans", len(rd.spans.get(tid, ())), t["spanCount"])
        check(tid + " logs", rd.logs.get(tid, 0), t["logCount"])
        check(tid + " sampled", tid in rd.spans, t["sampled"])

    files = [read_text(os.path.join(d, f)) for d, _, fs in os.walk(night) for f in fs]
    corpus = "\n".join(files + [unwrap(text) for text in files])
    planted = lines_of(open(os.path.join(expected, "planted-pii.txt")).read())
    survivors = lines_of(open(os.path.join(expected, "must-survive.txt")).read())
    unescaped = corpus.replace('\\"', '"')
    for value in planted:
        if value not in unescaped:
            problems.append("planted value missing from the files: " + value)
        for keep in survivors:
            if value in keep:  # it would reach the database inside a value that must survive
                problems.append("planted %r lies inside must-survive %r" % (value, keep))
    for value in survivors:
        if value not in corpus:
            problems.append("must-survive value missing from the files: " + value)

    readme = os.path.join(os.path.dirname(os.path.abspath(night)), "README.md")
    if os.path.exists(readme):
        check_readme(open(readme).read(), traces, problems)

    for p in problems:
        print("check_fixture: " + p)
    print("check_fixture: %s (%d traces, %d spans, %d log records, %d rejects, %d planted, %d must-survive)" % (
        "FAILED" if problems else "ok", len(traces), totals["spans"], rd.records, len(rd.rejects), len(planted), len(survivors)))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--stats":
        sys.exit(check_stats(sys.argv[2], sys.argv[3]))
    sys.exit(main(*(sys.argv[1:3] if len(sys.argv) >= 3 else ("Fixtures/night", "Fixtures/expected"))))
