import Normalize
import Testing
import TraceJoinCore

@Suite struct PlainTextLogTests {
    let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"
    let spanHex = "00f067aa0ba902b7"

    @Test("Python OTel logging default format: time, level, trace, span, service, sampled")
    func pythonOTelFormat() throws {
        let line = "2026-11-23 10:00:00,123 ERROR [order_service] [app.py:42] [trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 resource.service.name=order-service trace_sampled=True] - payment failed"
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base + 123_000_000)
        #expect(log.severity == .error)
        #expect(log.severityText == "ERROR")
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
        #expect(log.service == "order-service")
        #expect(!log.serviceFromFileName)
        #expect(log.sampled == true)
        #expect(log.message.hasPrefix("[order_service] [app.py:42]"))
        #expect(log.message.hasSuffix("- payment failed"))
    }

    @Test("Python OTel format outside a span: trace_id=0 gives no trace, but the service is still the resource's")
    func pythonOTelOutsideSpan() throws {
        let line = "2026-11-23 10:00:00,123 INFO [root] [app.py:1] [trace_id=0 span_id=0 resource.service.name=order-service trace_sampled=False] - starting"
        let log = try #require(LogDecoding.log(line))
        #expect(log.trace == nil)
        #expect(log.spanID == nil)
        #expect(log.sampled == nil)
        #expect(log.service == "order-service")
        #expect(!log.serviceFromFileName)
    }

    @Test("log4j text with TraceID: and SpanID: inside the message, time of day only")
    func log4jTraceID() throws {
        let line = "16:49:10.635 INFO  o.c.OrderController#39 TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: 00f067aa0ba902b7 [getOrder] ok"
        let log = try #require(LogDecoding.log(line))
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
        #expect(log.severity == .info)
        #expect(log.message.hasPrefix("o.c.OrderController#39 TraceID:"))
        // A time of day without a wrapper has no date: the record has no time rather than a wrong one.
        #expect(log.time == nil)
    }

    @Test("a bare 32-hex tenant ID or MD5 in text is not a trace ID")
    func bareHexIsNotATrace() throws {
        let lines = [
            "2026-11-23 10:00:00 INFO tenant 9f86d081884c7d659a2feaa0c55ad015 quota exceeded",
            "2026-11-23 10:00:00 INFO project_id=9f86d081884c7d659a2feaa0c55ad015 md5=d41d8cd98f00b204e9800998ecf8427e",
            "2026-11-23 10:00:00 INFO xtrace_id=9f86d081884c7d659a2feaa0c55ad015",
        ]
        for line in lines {
            let log = try #require(LogDecoding.log(line))
            #expect(log.trace == nil, "\(line)")
        }
    }

    @Test(
        "keyed trace context anywhere in a line",
        arguments: [
            "2026-11-23 10:00:00 INFO handled trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
            "2026-11-23 10:00:00 INFO handled traceId=4bf92f3577b34da6a3ce929d0e0e4736 spanId=00f067aa0ba902b7",
            "2026-11-23 10:00:00 INFO handled trace.id=4bf92f3577b34da6a3ce929d0e0e4736 span.id=00f067aa0ba902b7",
            "2026-11-23 10:00:00 INFO handled traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "2026-11-23 10:00:00 INFO handled traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "2026-11-23 10:00:00 INFO handled TraceID: 4BF92F3577B34DA6A3CE929D0E0E4736 SpanID: 00F067AA0BA902B7",
            "2026-11-23 10:00:00 INFO handled trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\" span_id=\"00f067aa0ba902b7\"",
        ])
    func keyedPatterns(_ line: String) throws {
        let log = try #require(LogDecoding.log(line))
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
    }

    @Test("Datadog text injection: dd.trace_id decimal, not read by the trace_id= pattern")
    func datadogText() throws {
        let line = "2026-11-23 10:00:00 ERROR [dd.service=billing dd.env=prod dd.trace_id=11803532876627986230 dd.span_id=42] charge failed"
        let log = try #require(LogDecoding.log(line))
        #expect(log.trace == .lower64(11_803_532_876_627_986_230))
        #expect(log.spanID == SpanID(42))
        #expect(log.service == "billing")
    }

    @Test("a pattern from configuration (as the rules stage will load) is used, and the defaults can be dropped")
    func configuredPattern() throws {
        let line = "2026-11-23 10:00:00 INFO req rid=abc x-trace=4bf92f3577b34da6a3ce929d0e0e4736 done"
        var configuration = LogDecoderConfiguration()
        configuration.traceContextPatterns = [TraceContextPattern(name: "x-trace", traceKey: "x-trace=")]
        let records = LogDecoding.records(line, configuration: configuration)
        guard case .log(let log)? = records.first else { Issue.record("no record"); return }
        #expect(log.trace == LogDecoding.trace(traceHex))
        let plain = try #require(LogDecoding.log(line))
        #expect(plain.trace == nil)
    }

    @Test(
        "level words after the time, in any case and bracket",
        arguments: [
            ("2026-11-23 10:00:00,123 WARN something", LogSeverity.warn, "WARN"),
            ("2026-11-23 10:00:00,123 [ERROR] something", .error, "ERROR"),
            ("2026-11-23 10:00:00.123 | WARNING  | mod:fn:3 - something", .warn, "WARNING"),
            ("[2026-11-23T10:00:00Z] [critical] something", .fatal, "critical"),
            ("2026-11-23T10:00:00Z Debug: something", .debug, "Debug"),
            ("2026-11-23 10:00:00.123 [main] ERROR c.e.Foo - something", .error, "ERROR"),
            ("WARNING:root:something", .warn, "WARNING"),
            ("[INFO] something", .info, "INFO"),
            ("E1123 10:00:00.123456   12345 server.go:12] something", .error, "E"),
            ("[2026-11-23 10:00:00,123: ERROR/ForkPoolWorker-1] Task raised something", .error, "ERROR"),
            ("E, [2026-11-23T10:00:00.123456 #1234] ERROR -- : something", .error, "ERROR"),
        ])
    func levels(_ line: String, _ severity: LogSeverity, _ text: String) throws {
        let log = try #require(LogDecoding.log(line))
        #expect(log.severity == severity)
        #expect(log.severityText == text)
        #expect(log.message.hasSuffix("something"))
    }

    @Test("a message that merely starts with a level-like word keeps it when there is no time")
    func messageWordNotLevel() throws {
        let log = try #require(LogDecoding.log("Error connecting to db"))
        #expect(log.message == "Error connecting to db")
        #expect(log.severity == .unspecified)
        #expect(log.time == nil)
    }

    @Test("CRLF residue, trailing spaces and a UTF-8 BOM are not part of the record")
    func crlfAndBOM() throws {
        let text = "\u{FEFF}2026-11-23 10:00:00 INFO first\r\n2026-11-23 10:00:01 INFO second  \r\n"
        let logs = LogDecoding.logs(text)
        #expect(logs.map(\.message) == ["first", "second"])
        #expect(logs[0].time == LogDecoding.base)
        #expect(logs[1].origin.line == 2)
    }

    @Test("invalid UTF-8 bytes become U+FFFD, the record survives")
    func invalidUTF8() {
        var bytes = Array("2026-11-23 10:00:00 INFO caf".utf8)
        bytes += [0xC3, 0x28, 0xFF]
        bytes += Array(" trace_id=4bf92f3577b34da6a3ce929d0e0e4736\n".utf8)
        let records = LogDecoding.records(bytes: bytes)
        guard records.count == 1, case .log(let log) = records[0] else {
            Issue.record("expected one record")
            return
        }
        #expect(log.message.contains("\u{FFFD}"))
        #expect(log.trace == LogDecoding.trace(traceHex))
    }

    @Test("empty and whitespace-only lines are neither records nor rejects")
    func emptyLines() {
        let records = LogDecoding.records("\n   \n\t\r\n2026-11-23 10:00:00 INFO a\n\n")
        #expect(records.count == 1)
    }

    @Test("no service in the record and none from the path: empty service, not guessed")
    func noServiceAnywhere() throws {
        let log = try #require(LogDecoding.log("2026-11-23 10:00:00 INFO a", service: nil))
        #expect(log.service == "")
        #expect(!log.serviceFromFileName)
    }
}
