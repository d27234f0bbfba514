#!/usr/bin/env bash
# How fast `tracejoin tail` catches up on lines already written: its own throughput, without a load generator
# competing for the same cores (tail-bench.sh measures tail under live writing and rotation).
#
# Usage: bash Benchmarks/tail-catchup.sh [LINES_PER_FILE]     (default 20000; FILES files, default 50)
# Environment: TRACEJOIN (binary, default .build/release/tracejoin, not built here), FILES, KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
PER_FILE="${1:-20000}"
FILES="${FILES:-50}"
TRACEJOIN="${TRACEJOIN:-.build/release/tracejoin}"
command -v /usr/bin/time >/dev/null || { apt-get install -y time >/dev/null; }

WORK="$(mktemp -d /tmp/tail-catchup.XXXXXX)"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/logs"
# The same ~130-byte JSON records as tail-bench.sh.
python3 - "$WORK/logs" "$FILES" "$PER_FILE" <<'PY'
import sys
folder, files, per_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
padding = "x" * 40
for index in range(files):
    with open(f"{folder}/svc{index:02d}.log", "w") as handle:
        handle.writelines(
            f'{{"time":"2026-03-01T10:00:00.000000Z","level":"info","msg":"bench f{index:02d} s{number:09d}",'
            f'"pad":"{padding}"}}\n' for number in range(per_file))
PY
TOTAL=$((FILES * PER_FILE))
START=$(date +%s.%N)
/usr/bin/time -f "%U %S %M" -o "$WORK/time.txt" "$TRACEJOIN" tail --db "$WORK/bench.db" "$WORK/logs/*.log" \
  > "$WORK/tail.out" 2> "$WORK/tail.err" &
TIMED=$!
# The last record of each file is held back 1 s (it may go on): wait for all but those, then stop tail, which
# writes them.
python3 - "$WORK/bench.db" "$((TOTAL - FILES))" <<'PY'
import os, sqlite3, sys, time
database, wanted = sys.argv[1], int(sys.argv[2])
while not os.path.exists(database):
    time.sleep(0.05)
connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
while True:
    try:
        if connection.execute("SELECT count(*) FROM logs").fetchone()[0] >= wanted:
            break
    except sqlite3.OperationalError:
        pass  # the schema is not there yet
    time.sleep(0.05)
PY
CAUGHT_UP=$(date +%s.%N)
TAIL_PID=$(pgrep -P "$TIMED" || true)
# CPU seconds of tail's two busiest threads (polling + decoding, and writing), before it stops.
THREADS=$(for task in /proc/"$TAIL_PID"/task/*; do
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f\n", ($14 + $15) / hz }' "$task/stat"; done | sort -rn | head -2 | paste -sd/)
[[ -n "$TAIL_PID" ]] && kill -TERM "$TAIL_PID"
wait "$TIMED" || true
read -r USER_S SYS_S RSS_KB < "$WORK/time.txt"
STORED=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(DISTINCT message) FROM logs').fetchone()[0])" "$WORK/bench.db")
python3 - "$TOTAL" "$STORED" "$START" "$CAUGHT_UP" "$USER_S" "$SYS_S" "$RSS_KB" "$FILES" "$THREADS" <<'PY'
import sys
total, stored = int(sys.argv[1]), int(sys.argv[2])
start, caught_up, user, system, rss = (float(value) for value in sys.argv[3:8])
elapsed = caught_up - start
print(f"lines:       {total} in {sys.argv[8]} files before tail starts; {stored} distinct stored, lost {total - stored}")
print(f"caught up:   {elapsed:.1f} s, {total / elapsed:,.0f} lines/s")
print(f"CPU:         {user + system:.1f} s ({(user + system) / total * 1e6:.1f} µs per line, "
      f"{(user + system) / elapsed:.2f} cores); busiest threads {sys.argv[9]} s")
print(f"peak RSS:    {rss / 1024:.0f} MiB")
PY
