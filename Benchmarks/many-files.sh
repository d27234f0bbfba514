#!/usr/bin/env bash
# `tracejoin batch` over a folder of many tiny log files (a Kubernetes node, a long retention): issue #14.
#
#   bash Benchmarks/many-files.sh                 # 2,500, 5,000 and 10,000 files
#   bash Benchmarks/many-files.sh 1000 20000      # other counts
#
# Each file holds two JSON log lines (about 130 bytes). Prints, per count: wall time, user and system CPU, and
# the bytes the process caused to be written (GNU time's "File system outputs", 512-byte blocks). Uses the
# release binary (built once with `swift build -c release` unless SKIP_BUILD=1); TRACEJOIN=path for another.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(2500 5000 10000)
if [ -z "${TRACEJOIN:-}" ]; then
    [ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product tracejoin >&2
    TRACEJOIN=.build/release/tracejoin
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tracejoin-many-files.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf '%8s  %9s  %9s  %9s  %10s\n' files wall_s user_s sys_s written_MB
for count in "${counts[@]}"; do
    folder="$work/logs-$count"
    mkdir -p "$folder"
    awk -v n="$count" -v dir="$folder" 'BEGIN {
        for (i = 0; i < n; i++) {
            file = sprintf("%s/pod-%05d.log", dir, i)
            printf "{\"time\":\"2026-12-06T10:%02d:%02d.%03dZ\",\"level\":\"info\",\"msg\":\"pod %d started\"}\n", \
                (i / 60) % 60, i % 60, i % 1000, i > file
            printf "{\"time\":\"2026-12-06T11:%02d:%02d.%03dZ\",\"level\":\"error\",\"msg\":\"pod %d failed\",\"trace_id\":\"%032x\"}\n", \
                (i / 60) % 60, i % 60, i % 1000, i, i + 1 > file
            close(file)
        }
    }'
    stats="$work/time-$count"
    /usr/bin/time -f '%e %U %S %O' -o "$stats" "$TRACEJOIN" batch --quiet --db "$work/$count.db" "$folder"
    read -r wall user sys blocks < "$stats"
    printf '%8d  %9s  %9s  %9s  %10.1f\n' "$count" "$wall" "$user" "$sys" "$(echo "$blocks * 512 / 1048576" | bc -l)"
done
