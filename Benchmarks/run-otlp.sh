#!/usr/bin/env bash
# Benchmark `tracejoin serve`: OTLP/HTTP protobuf ingest at a sustained span rate, then at 3x that rate.
#
#   bash Benchmarks/run-otlp.sh [RATE] [SECONDS]     # default 100000 spans/s for 60 s
#
# Each phase starts a fresh `tracejoin serve` (release build) on a fresh database, runs
# Benchmarks/otlp_load.py against it on the same machine, stops the server with SIGTERM (it drains and
# commits), and prints: spans/s accepted, request latency p50/p99, refusals (503 + Retry-After), peak
# RSS of the server, and whether the database holds exactly the spans that were acknowledged with 200.
#
# It also prints the CPU time (user + system) of serve and of the load generator per accepted span: both
# share the machine's cores, so these say more than spans/s when the machine is busy.
#
# Environment: SKIP_BUILD=1 (use the binary already built), TRACEJOIN=path, PORT=14318, GZIP=1
# (send gzip bodies, as the SDKs do), WORKERS=4 CONNECTIONS=8 (load generator processes, connections each), EXTRA_ARGS="..." for serve,
# LOAD_GENERATOR=path (another otlp_load.py, e.g. an older one for an A/B run).
set -euo pipefail

RATE="${1:-100000}"
SECONDS_PER_PHASE="${2:-60}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${TRACEJOIN:-$ROOT/.build/release/tracejoin}"
PORT="${PORT:-14318}"
WORKERS="${WORKERS:-4}"
CONNECTIONS="${CONNECTIONS:-8}"
LOAD_GENERATOR="${LOAD_GENERATOR:-$ROOT/Benchmarks/otlp_load.py}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ ! -x /usr/bin/time ]]; then
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if [[ -z "${SKIP_BUILD:-}" ]]; then
    echo "run-otlp.sh: swift build -c release" >&2
    swift build -c release --product tracejoin >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; exit 1; }
fi

phase() { # name, offered rate, connections per load process
    local name=$1 rate=$2 connections=$3 db="$WORK/$1.db"
    /usr/bin/time -v -o "$WORK/$name.time" "$BIN" serve --db "$db" --otlp-http "127.0.0.1:$PORT" \
        ${EXTRA_ARGS:-} >"$WORK/$name.serve.log" 2>&1 &
    local server=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    /usr/bin/time -f "%U %S" -o "$WORK/$name.load.time" python3 "$LOAD_GENERATOR" --url "http://127.0.0.1:$PORT/v1/traces" --rate "$rate" \
        --seconds "$SECONDS_PER_PHASE" --workers "$WORKERS" --connections "$connections" ${GZIP:+--gzip} >"$WORK/$name.load.json"
    # `time` is the direct child; signal the server itself so it drains and exits.
    pkill -TERM -P "$server" -f "serve --db $db" || true
    wait "$server" || true
    local stored
    stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from spans').fetchone()[0])" "$db")
    python3 - "$name" "$rate" "$WORK/$name.load.json" "$WORK/$name.time" "$stored" "$WORK/$name.load.time" <<'EOF'
import json, re, sys
name, rate, load_path, time_path, stored = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
load = json.load(open(load_path))
serve_time = open(time_path).read()
rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", serve_time).group(1))
serve_cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([0-9.]+)", serve_time).group(1)) for kind in ("User", "System"))
load_cpu = sum(map(float, open(sys.argv[6]).read().split()[-2:]))
print(f"{name}: offered {load['offered_spans_per_s']:,} spans/s for {load['seconds']} s "
      f"(target {rate:,}); accepted {load['accepted_spans_per_s']:,} spans/s")
print(f"  requests {load['requests']:,}; latency p50 {load['latency_ms']['p50']} ms, "
      f"p99 {load['latency_ms']['p99']} ms, max {load['latency_ms']['max']} ms")
print(f"  refused with 503/429: {load['refused_spans']:,} spans; errors: {load['errors']}")
print(f"  peak RSS of serve: {rss_kib / 1024:.0f} MiB")
per_span = lambda seconds: f"{seconds * 1e6 / load['accepted_spans']:.1f} µs" if load["accepted_spans"] else "n/a"
print(f"  CPU per accepted span: serve {per_span(serve_cpu)} ({serve_cpu:.1f} s), "
      f"load generator {per_span(load_cpu)} ({load_cpu:.1f} s); load average {open('/proc/loadavg').read().split()[0]}")
verdict = "exactly the acknowledged spans" if stored == load["accepted_spans"] else "MISMATCH"
print(f"  database: {stored:,} spans stored, {load['accepted_spans']:,} acknowledged: {verdict}")
EOF
}

phase sustained "$RATE" "$CONNECTIONS"
# Closed-loop senders only overload the server if more requests wait than the queue holds
# (65,536 records = 65 requests of 1,000 spans): 4x the connections for 3x the rate.
phase overload "$((RATE * 3))" "$((CONNECTIONS * 4))"
