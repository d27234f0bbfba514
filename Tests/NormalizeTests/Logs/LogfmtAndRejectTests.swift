import Normalize
import Testing
import TraceJoinCore

@Suite struct LogfmtAndRejectTests {
    @Test("logrus text formatter: quoted values, level, time with offset, trace_id")
    func logrusText() throws {
        let line = #"time="2026-11-23T18:00:00+08:00" level=warning msg="cache miss for \"user:42\"" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 component=cache"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base)
        #expect(log.severity == .warn)
        #expect(log.message == #"cache miss for "user:42""#)
        #expect(log.trace == LogDecoding.trace("4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(log.attributes == [Attribute("component", .string("cache"))])
    }

    @Test("slog text handler and go-kit style ts= epoch")
    func slogText() throws {
        let slog = try #require(
            LogDecoding.log("time=2026-11-23T10:00:00.000Z level=ERROR msg=\"db down\" service.name=orders attempt=3"))
        #expect(slog.severity == .error)
        #expect(slog.service == "orders")
        #expect(slog.attributes == [Attribute("attempt", .string("3"))])
        let kit = try #require(LogDecoding.log("ts=1795428000.5 lvl=info msg=ok caller=main.go:9"))
        #expect(kit.time == LogDecoding.base + 500_000_000)
        #expect(kit.severity == .info)
    }

    @Test("key=value text without record keys, or with bare words, stays plain text")
    func notLogfmt() throws {
        let log = try #require(LogDecoding.log("user=42 logged in"))
        #expect(log.message == "user=42 logged in")
        let pairs = try #require(LogDecoding.log("a=1 b=2"))
        #expect(pairs.message == "a=1 b=2")
        #expect(pairs.attributes.isEmpty)
    }

    @Test("a line that starts with { but is not JSON is rejected with its line number; the others go on")
    func malformedJSON() throws {
        let text = """
            {"level":"info","msg":"ok"}
            {"level":"info","msg":"cut off
            {"level":"info","msg":"after"}
            """
        let records = LogDecoding.records(text)
        #expect(records.count == 3)
        let rejects = LogDecoding.rejects(records)
        let reject = try #require(rejects.first)
        #expect(reject.origin.line == 2)
        #expect(reject.origin.description == "test.log:2")
        #expect(reject.reason.contains("invalid JSON"))
        #expect(!reject.reason.contains("cut off"))
        #expect(reject.raw == #"{"level":"info","msg":"cut off"#)
        guard case .log(let first) = records[0], case .log(let last) = records[2] else {
            Issue.record("order")
            return
        }
        #expect(first.message == "ok")
        #expect(last.message == "after")
    }

    @Test("a rejected line keeps at most 4 KiB of raw text, cut on a character boundary")
    func rejectRawIsCut() throws {
        let text = "{\"msg\":\"" + String(repeating: "é", count: 5000)
        let reject = try #require(LogDecoding.rejects(LogDecoding.records(text)).first)
        #expect(reject.raw.utf8.count <= 4096)
        #expect(reject.raw.utf8.count >= 4095)
        #expect(!reject.raw.contains("\u{FFFD}"))
    }
}
