#!/usr/bin/env bash
# Benchmark `tracejoin batch` on a generated night: events/s, MB/s and peak RSS, beside a plain cat.
#
#   bash Benchmarks/run.sh [SIZE]            # SIZE of logs + spans, decompressed; default 1GB
#
# Environment:
#   SEED=1              corpus seed (the corpus is cached per size, seed and generator in .build-bench/)
#   SKIP_BUILD=1        do not run `swift build -c release` (use the binary already built)
#   TRACEJOIN=path      binary to run (default .build/release/tracejoin)
#   EXTRA_ARGS="..."    more arguments for `batch`, e.g. "--no-default-rules" to measure rules off
#   KEEP_DB=1           keep the database (its path is printed) instead of deleting it
#   SKIP_BASELINE=1     do not run the Python baseline (Benchmarks/baseline.py) after tracejoin
set -euo pipefail

SIZE="${1:-1GB}"
SEED="${SEED:-1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="$ROOT/.build-bench"
# The cache key includes a digest of the generator, so a changed generator makes a new corpus.
GEN="$(cat "$ROOT"/Benchmarks/make_corpus.py "$ROOT"/Benchmarks/corpus/*.py | sha256sum | cut -c1-10)"
CORPUS="$BENCH/corpus-$SIZE-seed$SEED-$GEN"
STATS="$CORPUS.stats.json"
BIN="${TRACEJOIN:-$ROOT/.build/release/tracejoin}"
mkdir -p "$BENCH"

# GNU time reports the peak RSS; Debian-based images often lack it.
if [[ ! -x /usr/bin/time ]]; then
    echo "run.sh: installing GNU time (/usr/bin/time)" >&2
    SUDO=""
    [[ "$(id -u)" != 0 ]] && SUDO="sudo"
    $SUDO apt-get install -y time >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y time >/dev/null; }
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
    echo "run.sh: swift build -c release" >&2
    if ! swift build -c release --product tracejoin >"$BENCH/build.log" 2>&1; then
        tail -30 "$BENCH/build.log" >&2
        echo "run.sh: release build failed (full log: $BENCH/build.log)" >&2
        exit 1
    fi
fi

if [[ ! -f "$STATS" ]]; then
    echo "run.sh: generating a $SIZE corpus (seed $SEED) in $CORPUS" >&2
    rm -rf "$CORPUS" "$CORPUS.partial" "$BENCH/corpus-$SIZE-seed$SEED-"*  # older generators' corpora of this size
    python3 "$ROOT/Benchmarks/make_corpus.py" --out "$CORPUS.partial" --size "$SIZE" --seed "$SEED" --stats "$STATS.partial" >&2
    mv "$CORPUS.partial" "$CORPUS"
    mv "$STATS.partial" "$STATS"
fi

# Warm the page cache once, so cat and tracejoin both read from memory, then time a plain read.
find "$CORPUS" -type f -exec cat {} + >/dev/null
cat_start=$(date +%s.%N)
find "$CORPUS" -type f ! -name '*.gz' -exec cat {} + >/dev/null
find "$CORPUS" -type f -name '*.gz' -exec zcat {} + >/dev/null
cat_end=$(date +%s.%N)

if [[ ! -x "$BIN" ]]; then
    echo "run.sh: $BIN not found; build it with 'swift build -c release' or set TRACEJOIN" >&2
    python3 - "$STATS" "$cat_start" "$cat_end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); secs = float(sys.argv[3]) - float(sys.argv[2])
print("corpus: %d files, %.1f MiB on disk, %.1f MiB decompressed, %d records (%d logs + %d spans)" % (
    s["files"], s["bytes"] / 2**20, s["decompressedBytes"] / 2**20, s["records"], s["logRecords"], s["spans"]))
print("cat/zcat: %.2f s, %.0f MiB/s decompressed" % (secs, s["decompressedBytes"] / 2**20 / secs))
PY
    exit 1
fi

TMP="$(mktemp -d "$BENCH/run.XXXXXX")"
DB="$TMP/bench.db"
[[ -z "${KEEP_DB:-}" ]] && trap 'rm -rf "$TMP"' EXIT
run_start=$(date +%s.%N)
# shellcheck disable=SC2086
if ! /usr/bin/time -v "$BIN" batch --quiet --db "$DB" ${EXTRA_ARGS:-} "$CORPUS" 2>"$TMP/time.txt"; then
    echo "run.sh: tracejoin batch failed:" >&2
    cat "$TMP/time.txt" >&2
    exit 1
fi
run_end=$(date +%s.%N)

# How long `show` takes on the full database: the first incident, timed over 20 runs.
trace_id=$("$BIN" incidents --db "$DB" --limit 1 --format json | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a[0]["traceId"] if a else "")')
show_ms=""
if [[ -n "$trace_id" ]]; then
    show_start=$(date +%s.%N)
    for _ in $(seq 20); do "$BIN" show --db "$DB" --format json "$trace_id" >/dev/null; done
    show_end=$(date +%s.%N)
    show_ms=$(python3 -c "print('%.1f' % ((float('$show_end') - float('$show_start')) * 1000 / 20))")
fi
# The script a user would write instead (issue #16): Python + orjson + sqlite3, index built after the load.
baseline_secs=""
if [[ -z "${SKIP_BASELINE:-}" ]]; then
    PY=python3
    if ! python3 -c 'import orjson' 2>/dev/null; then
        [[ -x "$BENCH/venv/bin/python" ]] || { python3 -m venv "$BENCH/venv" && "$BENCH/venv/bin/pip" install -q orjson; }
        PY="$BENCH/venv/bin/python"
    fi
    baseline_start=$(date +%s.%N)
    /usr/bin/time -v "$PY" "$ROOT/Benchmarks/baseline.py" --db "$TMP/baseline.db" "$CORPUS" 2>"$TMP/baseline-time.txt"
    baseline_end=$(date +%s.%N)
    baseline_secs=$(python3 -c "print(float('$baseline_end') - float('$baseline_start'))")
    rm -f "$TMP/baseline.db"*
fi
# The run's own figures (phases, CPU per thread), read with Python's sqlite3: the sqlite3 shell may be missing.
phases=$(python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("SELECT stats FROM runs ORDER BY run_id DESC LIMIT 1").fetchone(); print(r[0] if r else "")' "$DB" 2>/dev/null || true)

python3 - "$STATS" "$cat_start" "$cat_end" "$TMP/time.txt" "$DB" "${EXTRA_ARGS:-}" "$run_start" "$run_end" "$show_ms" "$phases" "$baseline_secs" "$TMP/baseline-time.txt" <<'PY'
import json, os, re, sys
stats = json.load(open(sys.argv[1]))
cat_secs = float(sys.argv[3]) - float(sys.argv[2])
report = open(sys.argv[4]).read()
elapsed = float(sys.argv[8]) - float(sys.argv[7])

def field(label, text=report):
    m = re.search(re.escape(label) + r".*?:\s*(\S+)\s*$", text, re.M)
    return m.group(1) if m else None

rss_mib = int(field("Maximum resident set size")) / 1024
records = stats["records"]
mib = 2 ** 20
db = sys.argv[5]
db_size = sum(os.path.getsize(db + sfx) for sfx in ("", "-wal") if os.path.exists(db + sfx))
print("corpus:      %d files, %.1f MiB on disk, %.1f MiB decompressed" % (stats["files"], stats["bytes"] / mib,
                                                                         stats["decompressedBytes"] / mib))
print("records:     %d (%d log records + %d spans), %d traces" % (records, stats["logRecords"], stats["spans"], stats["traces"]))
if sys.argv[6]:
    print("batch args:  %s" % sys.argv[6])
print("elapsed:     %.2f s   (user %s s, system %s s)" % (elapsed, field("User time (seconds)"), field("System time (seconds)")))
print("events/s:    %.0f" % (records / elapsed))
print("MiB/s:       %.1f on disk, %.1f decompressed" % (stats["bytes"] / mib / elapsed, stats["decompressedBytes"] / mib / elapsed))
print("peak RSS:    %.1f MiB" % rss_mib)
print("database:    %.1f MiB" % (db_size / mib))
print("cat/zcat:    %.2f s, %.0f MiB/s decompressed (tracejoin takes %.1fx as long)" % (
    cat_secs, stats["decompressedBytes"] / mib / cat_secs, elapsed / cat_secs))
if sys.argv[11]:
    baseline_secs = float(sys.argv[11])
    baseline_report = open(sys.argv[12]).read()
    print("baseline:    %.2f s, %.0f events/s, peak RSS %.1f MiB (Benchmarks/baseline.py: Python + orjson + sqlite3)" % (
        baseline_secs, records / baseline_secs, int(field("Maximum resident set size", baseline_report)) / 1024))
    print("ratio:       tracejoin %.2fx the baseline's events/s (target >= 2.5x)" % (baseline_secs / elapsed))
if sys.argv[9]:
    print("show:        %s ms per `show --format json` of one incident (process start included)" % sys.argv[9])
if sys.argv[10]:
    try:
        p = json.loads(sys.argv[10])
        group = p.get("groupCPUSeconds", 0.0)
        print("phases:      ingest %.1f s, summaries after it %.1f s; CPU s: decoder %.1f, scrubbers %.1f, "
              "grouping %.1f, writer %.1f, summaries %.1f; %d of %d traces summarised in the write path" % (
            p["ingestSeconds"], p["summarizeSeconds"], p["decoderCPUSeconds"], p["scrubCPUSeconds"], group,
            p["writerCPUSeconds"], p["summarizeCPUSeconds"], p.get("tracesSummarisedInWrite", 0), p["traces"]))
        # CPU per record of each stage, from the CPU clock of its threads (the summaries: their threads while the
        # grouped rows are written, then the whole process while the rest runs). Reading and decoding are the
        # main thread's; scrubbing, and making the rows the writer binds, the two tj-scrub threads'; grouping,
        # the writer thread's sorting and the main thread's merge.
        us = lambda seconds: seconds * 1e6 / records
        stages = ["read+decode %.2f" % us(p["decoderCPUSeconds"])]
        stages.append("scrub+rows %.2f" % us(p["scrubCPUSeconds"]))
        stages.append("group %.2f" % us(group))
        stages.append("write %.2f" % us(p["writerCPUSeconds"]))
        stages.append("summarise %.2f" % us(p["summarizeCPUSeconds"]))
        total = p["decoderCPUSeconds"] + p["scrubCPUSeconds"] + group + p["writerCPUSeconds"] + p["summarizeCPUSeconds"]
        print("CPU us/rec:  %s; total %.2f" % (", ".join(stages), us(total)))
    except (ValueError, KeyError):
        pass
PY

[[ -n "${KEEP_DB:-}" ]] && echo "database kept: $DB"
exit 0
