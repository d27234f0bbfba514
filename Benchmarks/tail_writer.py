#!/usr/bin/env python3
"""Load generator for `tracejoin tail` (Benchmarks/tail-bench.sh): many log files written at a target total
rate, each rotated by rename + create on a schedule, with write-to-queryable latency sampled on the way.

Every line is a JSON log record whose message is a unique id (`bench f<file> s<seq>`), so loss and
duplicates can be counted in the `logs` table afterwards. Lines are written in small batches every tick
(20 ms): all lines of one batch carry the batch's write time in their `time` field.

Latency: every --sample-every seconds a sampler thread takes the last line just written (its file's device,
inode and byte offset, and the time it was written) and polls the database, read-only, until the row with
that offset exists in the source tail registered for that inode (`sources.fingerprint` is
`tail:<device>:<inode>:<ns>`); the difference is the write-to-queryable latency. The database is looked
up by primary key (source_id, byte_offset), so sampling costs the tailer nothing measurable.

Python stdlib only. Writes a JSON summary (lines written, achieved rate, latency samples) to --summary.
"""

import argparse
import json
import os
import sqlite3
import statistics
import threading
import time


class FollowedFile:
    def __init__(self, directory, index):
        self.path = os.path.join(directory, f"svc{index:02d}.log")
        self.index = index
        self.handle = None
        self.created_ns = 0
        self.last_line = None  # (device, inode, created_ns, offset) of the last line written, across rotations
        self.offset = 0
        self.open_new()

    def open_new(self):
        if self.handle:
            self.handle.close()
        self.created_ns = time.time_ns()
        self.handle = open(self.path, "ab", buffering=0)
        self.offset = self.handle.tell()
        status = os.fstat(self.handle.fileno())
        self.device, self.inode = status.st_dev, status.st_ino

    def rotate(self):
        # logrotate's default: rename (the previous backup is replaced), then create a new file.
        os.rename(self.path, self.path + ".1")
        self.open_new()


def rfc3339(ns):
    seconds, fraction = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction // 1000:06d}Z"


class Sampler(threading.Thread):
    """Polls the database until sampled lines become visible."""

    def __init__(self, database, every, stop):
        super().__init__(daemon=True)
        self.database = database
        self.every = every
        self.stop = stop
        self.pending = None
        self.lock = threading.Lock()
        self.latencies = []
        self.unresolved = 0
        self.connected = False

    def offer(self, sample):
        with self.lock:
            if self.pending is None:
                self.pending = sample

    def connect(self):
        while not self.stop.is_set():
            try:
                connection = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=5)
                connection.execute("SELECT 1 FROM logs LIMIT 1")
                return connection
            except sqlite3.Error:
                time.sleep(0.1)
        return None

    def visible(self, connection, sample):
        device, inode, created_ns, offset = sample[:4]
        row = connection.execute(
            "SELECT source_id FROM sources WHERE fingerprint LIKE ? AND first_seen_ns >= ? "
            "ORDER BY source_id DESC LIMIT 1",
            (f"tail:{device}:{inode}:%", created_ns - 1_000_000_000),
        ).fetchone()
        if row is None:
            return False
        return (
            connection.execute(
                "SELECT 1 FROM logs WHERE source_id = ? AND byte_offset = ? LIMIT 1", (row[0], offset)
            ).fetchone()
            is not None
        )

    def run(self):
        connection = self.connect()
        if connection is None:
            return
        self.connected = True
        while not self.stop.is_set():
            with self.lock:
                sample = self.pending
            if sample is None:
                time.sleep(0.01)
                continue
            written_ns = sample[4]
            deadline = time.monotonic() + 30
            while not self.stop.is_set() and time.monotonic() < deadline:
                try:
                    if self.visible(connection, sample):
                        self.latencies.append((time.time_ns() - written_ns) / 1e6)
                        break
                except sqlite3.Error:
                    pass
                time.sleep(0.005)
            else:
                self.unresolved += 1
            with self.lock:
                self.pending = None
            time.sleep(self.every)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--db", required=True, help="the database tail writes (for latency samples)")
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--rate", type=int, default=100_000, help="target lines per second, all files together")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--rotate-every", type=float, default=10, help="seconds between rotations of each file")
    parser.add_argument("--sample-every", type=float, default=0.2)
    parser.add_argument("--summary", required=True)
    args = parser.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    files = [FollowedFile(args.dir, index) for index in range(args.files)]
    # Rotations are staggered so that some file rotates every rotate_every / files seconds.
    next_rotation = [args.rotate_every * (1 + index / args.files) for index in range(args.files)]
    stop = threading.Event()
    sampler = Sampler(args.db, args.sample_every, stop)
    sampler.start()

    tick = 0.02
    started_at = time.time()
    start = time.monotonic()
    written = 0
    rotations = 0
    sequence = [0] * args.files
    padding = "x" * 40  # ~130-byte lines, like a short service log line
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= args.duration:
            break
        due = int(args.rate * min(elapsed + tick, args.duration)) - written  # catch up if a tick ran late
        for index, followed in enumerate(files):
            if elapsed >= next_rotation[index]:
                followed.rotate()
                next_rotation[index] += args.rotate_every
                rotations += 1
        now_ns = time.time_ns()
        stamp = rfc3339(now_ns)
        per_file, extra = divmod(max(due, 0), args.files)
        for index, followed in enumerate(files):
            count = per_file + (1 if index < extra else 0)
            if count == 0:
                continue
            first = sequence[index]
            lines = [
                f'{{"time":"{stamp}","level":"info","msg":"bench f{index:02d} s{number:09d}","pad":"{padding}"}}\n'
                for number in range(first, first + count)
            ]
            sequence[index] += count
            data = "".join(lines).encode()
            last_offset = followed.offset + len(data) - len(lines[-1].encode())
            followed.handle.write(data)
            followed.offset += len(data)
            followed.last_line = [followed.device, followed.inode, followed.created_ns, last_offset]
            written += count
            if index == 0 or index == len(files) // 2:
                sampler.offer((followed.device, followed.inode, followed.created_ns, last_offset, now_ns))
        sleep = start + (int(elapsed / tick) + 1) * tick - time.monotonic()
        if sleep > 0:
            time.sleep(sleep)
    wall = time.monotonic() - start
    # Where the last line of each file starts, for the caller to tell when tail has stored them all.
    last_lines = [f.last_line for f in files if f.last_line is not None]
    for followed in files:
        followed.handle.close()
    # Samples still pending are resolved while tail catches up; the caller stops us with the summary below.
    deadline = time.monotonic() + 60
    while sampler.connected and sampler.pending is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    latencies = sampler.latencies
    summary = {
        "lines": written,
        "started_at": started_at,
        "last_lines": last_lines,
        "seconds": wall,
        "rate": written / wall,
        "rotations": rotations,
        "files": args.files,
        "latency_samples": len(latencies),
        "latency_unresolved": sampler.unresolved,
        "latency_median_ms": statistics.median(latencies) if latencies else None,
        "latency_p95_ms": sorted(latencies)[int(len(latencies) * 0.95)] if latencies else None,
    }
    with open(args.summary, "w") as out:
        json.dump(summary, out)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
