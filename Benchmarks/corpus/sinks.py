"""Output files: time-ordered log files (optionally gzip-rotated, multi-member) and span export files.

Log entries are buffered and written in time order up to a watermark, as a logger would have
written them. Every sink counts lines, so the generator knows the file:line of each reject.
"""

import bisect
import gzip
import os

from .render import otlp_line


class Stats:
    def __init__(self):
        self.files = []          # relative paths, in creation order
        self.raw_bytes = 0       # decompressed bytes written
        self.log_records = 0
        self.uncorrelated = 0
        self.spans = 0
        self.rejects = []        # {"file", "line", "reason"}

    def disk_bytes(self, root):
        return sum(os.path.getsize(os.path.join(root, f)) for f in self.files)


class _Segment:
    """One physical file of a log: `app.log`, `app.log.1.gz`; a gzip file may start new members over time."""

    def __init__(self, root, rel, until, compress, member_every, stats):
        self.root, self.rel, self.until = root, rel, until
        self.compress, self.member_every, self.stats = compress, member_every, stats
        self.raw = None
        self.out = None
        self.line = 0
        self.records = 0
        self.member_start = None

    def _open(self, t):
        path = os.path.join(self.root, self.rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.raw = open(path, "wb")
        self.stats.files.append(self.rel)
        self._start_member(t)

    def _start_member(self, t):
        self.member_start = t
        if self.compress:
            self.out = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0, compresslevel=6)
        else:
            self.out = self.raw

    def write(self, t, data):
        if self.raw is None:
            self._open(t)
        elif self.member_every and t - self.member_start >= self.member_every:
            self.out.close()  # ends the gzip member; the next write starts another in the same file
            self._start_member(t)
        self.out.write(data)

    def close(self, strip_final_newline=False):
        if self.raw is None:
            return
        if self.compress:
            self.out.close()
        if strip_final_newline and not self.compress:
            self.raw.seek(-1, os.SEEK_END)
            self.raw.truncate()
        self.raw.close()


class LogFile:
    """A service's log: entries sorted by time, split into rotated segments by time."""

    def __init__(self, root, segments, stats, strip_final_newline=False):
        """`segments`: [(until_ns, relative path, gzip?, new gzip member every ns or None)], oldest first."""
        self.segments = [_Segment(root, rel, until, gz, every, stats) for until, rel, gz, every in segments]
        self.stats = stats
        self.pending = []
        self.seq = 0
        self.seg_index = 0
        self.strip_final_newline = strip_final_newline

    def add(self, t, text, nlines=1, reject=None):
        """Queue a record (or a malformed line, when `reject` gives its reason); returns nothing."""
        self.seq += 1
        self.pending.append((t, self.seq, text, nlines, reject))

    def flush(self, watermark=None):
        pending = self.pending
        if not pending:
            return
        pending.sort()
        cut = len(pending) if watermark is None else bisect.bisect_left(pending, (watermark,))
        ready, self.pending = pending[:cut], pending[cut:]
        chunk, chunk_seg = [], None
        for t, _, text, nlines, reject in ready:
            while t >= self.segments[self.seg_index].until and self.seg_index + 1 < len(self.segments):
                self.seg_index += 1
            seg = self.segments[self.seg_index]
            if seg is not chunk_seg or (seg.member_every and t - (seg.member_start or t) >= seg.member_every):
                self._write(chunk_seg, chunk)
                chunk, chunk_seg = [], seg
                if seg.raw is None or seg.member_every:
                    seg.write(t, b"")  # open the file or start the next member at this record's time
            if reject is not None:
                self.stats.rejects.append({"file": seg.rel, "line": seg.line + 1, "reason": reject})
            else:
                seg.records += 1
            seg.line += nlines
            chunk.append(text)
        self._write(chunk_seg, chunk)

    def _write(self, seg, chunk):
        if seg is None or not chunk:
            return
        data = ("\n".join(chunk) + "\n").encode()
        self.stats.raw_bytes += len(data)
        seg.out.write(data)

    def close(self):
        self.flush()
        for seg in self.segments:
            seg.close(self.strip_final_newline)
        if self.strip_final_newline:
            self.stats.raw_bytes -= 1


class PlainFile:
    """A span export file written in one go (Jaeger and Zipkin documents, OTLP lines)."""

    def __init__(self, root, rel, stats):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.rel = rel
        self.out = open(path, "w", encoding="utf-8", newline="\n")
        self.stats = stats
        self.line = 0
        self.bytes = 0
        self.records = 0
        stats.files.append(rel)

    def write_line(self, text, reject=None):
        if reject is not None:
            self.stats.rejects.append({"file": self.rel, "line": self.line + 1, "reason": reject})
        self.line += 1
        self.out.write(text)
        self.out.write("\n")
        n = len(text.encode()) + 1 if not text.isascii() else len(text) + 1
        self.bytes += n
        self.stats.raw_bytes += n

    def close(self):
        self.out.close()


class OTLPFile:
    """The Collector's file exporter: ExportTraceServiceRequest lines, spans grouped by resource and scope."""

    def __init__(self, root, pattern, stats, spans_per_line, max_bytes):
        self.root, self.pattern, self.stats = root, pattern, stats
        self.spans_per_line, self.max_bytes = spans_per_line, max_bytes
        self.file = None
        self.files = []
        self.index = 0
        self.batch = {}      # service -> (resource attrs, {scope: (version, [span json])})
        self.count = 0
        self.truncate_next = False
        self.duplicate_next = False

    def add(self, service, resource, scope, version, span_json):
        entry = self.batch.get(service)
        if entry is None:
            entry = self.batch[service] = (resource, {})
        scopes = entry[1]
        bucket = scopes.get(scope)
        if bucket is None:
            bucket = scopes[scope] = (version, [])
        bucket[1].append(span_json)
        self.count += 1
        if self.count >= self.spans_per_line:
            self.emit()

    def emit(self):
        if not self.count:
            return
        line = otlp_line([(res, [(name, ver, spans) for name, (ver, spans) in scopes.items()])
                          for res, scopes in self.batch.values()])
        spans = self.count
        self.batch, self.count = {}, 0
        if self.file is None or self.file.bytes >= self.max_bytes:
            if self.file is not None:
                self.file.close()
            self.index += 1
            self.file = PlainFile(self.root, self.pattern % self.index, self.stats)
            self.files.append(self.file)
        self.file.records += spans
        if self.truncate_next:
            # The collector died mid-write; after restart the batch was exported again in full.
            self.file.write_line(line[: int(len(line) * 0.6)], reject="truncated JSON (OTLP line cut mid-write)")
            self.truncate_next = False
        self.file.write_line(line)
        if self.duplicate_next:
            self.file.write_line(line)  # an exporter retry: the same spans twice
            self.duplicate_next = False

    def close(self):
        self.emit()
        if self.file is not None:
            self.file.close()


class DocumentFiles:
    """Span export documents (Jaeger `{"data":[…]}` or Zipkin `[…]`), a new file every `max_bytes`."""

    def __init__(self, root, pattern, stats, max_bytes, opener, joiner, closer):
        self.root, self.pattern, self.stats, self.max_bytes = root, pattern, stats, max_bytes
        self.opener, self.joiner, self.closer = opener, joiner, closer
        self.parts = []
        self.size = 0
        self.index = 0
        self.spans = 0
        self.files = []

    def add(self, text, spans):
        self.parts.append(text)
        self.spans += spans
        self.size += len(text) + 1
        if self.size >= self.max_bytes:
            self.emit()

    def emit(self):
        if not self.parts:
            return
        self.index += 1
        f = PlainFile(self.root, self.pattern % self.index, self.stats)
        f.write_line(self.opener + self.joiner.join(self.parts) + self.closer)
        f.records = self.spans
        f.close()
        self.files.append(f)
        self.parts, self.size, self.spans = [], 0, 0

    def close(self):
        self.emit()
