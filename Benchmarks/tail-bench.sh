#!/usr/bin/env bash
# Throughput, memory, latency, loss and duplicates of `tracejoin tail` under rotation.
#
# Usage: bash Benchmarks/tail-bench.sh [DURATION_SECONDS]     (default 60)
# Environment: RATE (lines/s offered, all files; default 120000: above the 100,000 target, so that "sustained"
#   says what tail keeps up with rather than what was offered), FILES (default 50), ROTATE_EVERY (s, default 10),
#   SKIP_BUILD=1 (use the release binary already built), TRACEJOIN=path (another binary),
#   EXTRA_ARGS="--poll-only" (e.g. to compare with polling only), KEEP=1 (keep the work folder).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-60}"
RATE="${RATE:-120000}"
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

python3 Benchmarks/tail_writer.py --dir "$WORK/logs" --db "$DB" --files "$FILES" --rate "$RATE" \
  --duration "$DURATION" --rotate-every "$ROTATE_EVERY" --summary "$WORK/writer.json" > /dev/null
WRITTEN=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['lines'])" "$WORK/writer.json")

# Wait until the last line written to every file is stored (or nothing new shows for 60 s), then SIGTERM tail.
# Primary-key lookups, as the latency sampler does: counting the rows would compete with tail for the CPU.
CAUGHT_UP=$(python3 - "$DB" "$WORK/writer.json" <<'EOF'
import json, sqlite3, sys, time
database, writer_path = sys.argv[1], sys.argv[2]
last_lines = json.load(open(writer_path))["last_lines"]
connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)

def stored(device, inode, created_ns, offset):
    row = connection.execute(
        "SELECT source_id FROM sources WHERE fingerprint LIKE ? AND first_seen_ns >= ? ORDER BY source_id DESC LIMIT 1",
        (f"tail:{device}:{inode}:%", created_ns - 1_000_000_000)).fetchone()
    return row is not None and connection.execute(
        "SELECT 1 FROM logs WHERE source_id = ? AND byte_offset = ? LIMIT 1", (row[0], offset)).fetchone() is not None

waiting, last_change = list(last_lines), time.monotonic()
while waiting and time.monotonic() - last_change < 60:
    still = [line for line in waiting if not stored(*line)]
    if len(still) != len(waiting):
        waiting, last_change = still, time.monotonic()
    if waiting:
        time.sleep(0.05)
print(f"{time.time():.3f}")
EOF
)
START=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['started_at'])" "$WORK/writer.json")
TAIL_PID=$(pgrep -P "$TIMED" -f "tail --db $DB" || true)
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
print(f"sustained:   {distinct / elapsed:,.0f} lines/s (distinct lines stored / first line written to last stored, {elapsed:.1f} s)")
print(f"peak RSS:    {int(rss.group(1)) / 1024:.0f} MiB" if rss else "peak RSS:    unknown")
median, p95 = writer["latency_median_ms"], writer["latency_p95_ms"]
print(f"latency:     median {median:.0f} ms, p95 {p95:.0f} ms, write to queryable "
      f"({writer['latency_samples']} samples, {writer['latency_unresolved']} not seen within 30 s)"
      if median is not None else "latency:     no sample resolved")
sys.exit(0 if written == distinct == stored else 1)
EOF
