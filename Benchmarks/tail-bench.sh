#!/usr/bin/env bash
# Throughput, memory, latency, loss and duplicates of `tracejoin tail` under rotation.
#
# Usage: bash Benchmarks/tail-bench.sh [DURATION_SECONDS]     (default 60)
# Environment: RATE (lines/s, all files; default 100000), FILES (default 50), ROTATE_EVERY (s, default 10),
#   SKIP_BUILD=1 (use the release binary already built), TRACEJOIN=path (another binary),
#   EXTRA_ARGS="--poll-only" (e.g. to compare with polling only), KEEP=1 (keep the work folder).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-60}"
RATE="${RATE:-100000}"
FILES="${FILES:-50}"
ROTATE_EVERY="${ROTATE_EVERY:-10}"
TRACEJOIN="${TRACEJOIN:-.build/release/tracejoin}"

if [[ -z "${SKIP_BUILD:-}" && "$TRACEJOIN" == ".build/release/tracejoin" ]]; then
  swift build -c release --product tracejoin >&2
fi
command -v /usr/bin/time >/dev/null || { apt-get install -y time >/dev/null; }

WORK="$(mktemp -d /tmp/tail-bench.XXXXXX)"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/logs"
DB="$WORK/bench.db"

# tail first, on an empty folder: every line written later is read from the start of its file.
/usr/bin/time -v -o "$WORK/time.txt" "$TRACEJOIN" tail --db "$DB" ${EXTRA_ARGS:-} "$WORK/logs/*.log" \
  > "$WORK/tail.out" 2> "$WORK/tail.err" &
TIMED=$!
for _ in $(seq 1 100); do [[ -s "$WORK/tail.out" ]] && break; sleep 0.1; done
START=$(date +%s.%N)

python3 Benchmarks/tail_writer.py --dir "$WORK/logs" --db "$DB" --files "$FILES" --rate "$RATE" \
  --duration "$DURATION" --rotate-every "$ROTATE_EVERY" --summary "$WORK/writer.json" > /dev/null
WRITTEN=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['lines'])" "$WORK/writer.json")

# Wait until tail has stored every line (or stops making progress for 60 s), then SIGTERM it.
CAUGHT_UP=$(python3 - "$DB" "$WRITTEN" <<'EOF'
import sqlite3, sys, time
database, written = sys.argv[1], int(sys.argv[2])
connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
last, last_change = -1, time.monotonic()
while True:
    stored = connection.execute("SELECT count(*) FROM logs").fetchone()[0]
    if stored >= written:
        break
    if stored != last:
        last, last_change = stored, time.monotonic()
    elif time.monotonic() - last_change > 60:
        break
    time.sleep(0.5)
print(f"{time.time():.3f}")
EOF
)
TAIL_PID=$(pgrep -P "$TIMED" -x tracejoin || true)
[[ -n "$TAIL_PID" ]] && kill -TERM "$TAIL_PID"
wait "$TIMED" || true

python3 - "$DB" "$WORK/writer.json" "$WORK/time.txt" "$START" "$CAUGHT_UP" <<'EOF'
import json, re, sqlite3, sys
database, writer_path, time_path, start, caught_up = sys.argv[1:6]
writer = json.load(open(writer_path))
connection = sqlite3.connect(database)
stored, distinct = connection.execute(
    "SELECT count(*), count(DISTINCT message) FROM logs WHERE message LIKE 'bench f%'").fetchone()
rejects = connection.execute("SELECT count(*) FROM rejects").fetchone()[0]
checkpoints = connection.execute("SELECT count(*) FROM tail_checkpoints").fetchone()[0]
rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(time_path).read())
written = writer["lines"]
elapsed = float(caught_up) - float(start)
print(f"files:       {writer['files']}, rotated {writer['rotations']} times (rename + create)")
print(f"written:     {written} lines in {writer['seconds']:.1f} s ({writer['rate']:,.0f} lines/s offered)")
print(f"stored:      {stored} rows, {distinct} distinct lines, {rejects} rejects, {checkpoints} checkpoint rows")
print(f"lost:        {written - distinct}")
print(f"duplicates:  {stored - distinct}")
print(f"sustained:   {distinct / elapsed:,.0f} lines/s (distinct lines stored / start to caught up, {elapsed:.1f} s)")
print(f"peak RSS:    {int(rss.group(1)) / 1024:.0f} MiB" if rss else "peak RSS:    unknown")
median, p95 = writer["latency_median_ms"], writer["latency_p95_ms"]
print(f"latency:     median {median:.0f} ms, p95 {p95:.0f} ms, write to queryable "
      f"({writer['latency_samples']} samples, {writer['latency_unresolved']} not seen within 30 s)"
      if median is not None else "latency:     no sample resolved")
sys.exit(0 if written == distinct == stored else 1)
EOF
