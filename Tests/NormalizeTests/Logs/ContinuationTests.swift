import Normalize
import Testing
import TraceJoinCore

@Suite struct ContinuationTests {
    @Test("Java stack trace with Caused by: and ... 12 more is one record")
    func javaStackTrace() throws {
        let text = """
            2026-11-23 10:00:00.123 ERROR [http-nio-8080-exec-1] c.e.OrderController - order failed TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: 00f067aa0ba902b7
            org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error
            \tat org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:186)
            \tat com.example.OrderService.place(OrderService.java:77)
            Caused by: java.net.SocketTimeoutException: Read timed out
            \tat java.base/java.net.SocketInputStream.socketRead0(Native Method)
            \t... 12 more
            2026-11-23 10:00:01.000 INFO [main] c.e.OrderController - next request
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.count == 2)
        let error = logs[0]
        #expect(error.severity == .error)
        #expect(error.trace == LogDecoding.trace("4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(error.message.split(separator: "\n").count == 7)
        #expect(error.message.hasSuffix("\t... 12 more"))
        #expect(error.message.contains("\nCaused by: java.net.SocketTimeoutException: Read timed out\n"))
        #expect(error.origin.line == 1)
        #expect(logs[1].message == "[main] c.e.OrderController - next request")
        #expect(logs[1].origin.line == 8)
    }

    @Test("Python traceback from logger.exception, including a chained exception, is one record")
    func pythonTraceback() throws {
        let text = """
            2026-11-23 10:00:00,123 ERROR [worker] [job.py:20] [trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 resource.service.name=worker trace_sampled=True] - job failed
            Traceback (most recent call last):
              File "/app/job.py", line 18, in run
                data = load(key)
              File "/app/job.py", line 9, in load
                return cache[key]
            KeyError: 'order:42'

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/app/job.py", line 20, in run
                raise RuntimeError("cannot load") from None
            RuntimeError: cannot load
            2026-11-23 10:00:01,000 INFO [worker] [job.py:30] [trace_id=0 span_id=0 resource.service.name=worker trace_sampled=False] - idle
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.count == 2)
        #expect(logs[0].message.hasSuffix("\nRuntimeError: cannot load"))
        #expect(logs[0].message.contains("\nKeyError: 'order:42'\nDuring handling"))
        #expect(logs[0].service == "worker")
        #expect(logs[1].trace == nil)
    }

    @Test("Go panic output with goroutine lines is one record of fatal severity")
    func goPanic() throws {
        let text = """
            2026/11/23 10:00:00 handling /orders/42
            panic: runtime error: invalid memory address or nil pointer dereference
            [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5f2b]

            goroutine 18 [running]:
            main.(*Server).handle(0x0, {0x7a5f20, 0xc0000a0150})
            \t/app/server.go:42 +0x2b
            net/http.HandlerFunc.ServeHTTP(0xc000016120, {0x7a5f20, 0xc0000a0150}, 0xc0000b2000)
            \t/usr/local/go/src/net/http/server.go:2136 +0x29
            created by net/http.(*Server).Serve in goroutine 1
            \t/usr/local/go/src/net/http/server.go:3086 +0x4cc
            exit status 2
            2026/11/23 10:00:05 restarted
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.map(\.origin.line) == [1, 2, 13])
        let panic = logs[1]
        #expect(panic.severity == .fatal)
        #expect(panic.message.hasPrefix("panic: runtime error"))
        #expect(panic.message.hasSuffix("\nexit status 2"))
        #expect(panic.message.contains("\ngoroutine 18 [running]:\nmain.(*Server).handle("))
        #expect(logs[0].time == LogDecoding.base)
    }

    @Test("a Python traceback after a JSON record joins it (an uncaught error after the last log line)")
    func tracebackAfterJSON() throws {
        let text = """
            {"level":"error","message":"crash","timestamp":"2026-11-23T10:00:00Z"}
            Traceback (most recent call last):
              File "/app/main.py", line 3, in <module>
            ZeroDivisionError: division by zero
            {"level":"info","message":"restart","timestamp":"2026-11-23T10:00:01Z"}
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.count == 2)
        #expect(logs[0].message.hasPrefix("crash\nTraceback"))
        #expect(logs[0].message.hasSuffix("ZeroDivisionError: division by zero"))
    }

    @Test("time-less plain lines are one record each; only stack-shaped lines join")
    func plainLinesStaySeparate() {
        let logs = LogDecoding.logs("Starting server\nListening on :8080\nNote: ready\n")
        #expect(logs.map(\.message) == ["Starting server", "Listening on :8080", "Note: ready"])
    }

    @Test("a continuation line with no record before it is a record of its own")
    func orphanContinuation() {
        let logs = LogDecoding.logs("\tat com.example.Foo.bar(Foo.java:1)\n")
        #expect(logs.count == 1)
        #expect(logs[0].message == "at com.example.Foo.bar(Foo.java:1)")
    }

    @Test("a joined record is cut at maxRecordBytes and marked")
    func recordSizeLimit() throws {
        var configuration = LogDecoderConfiguration()
        configuration.maxRecordBytes = 200
        var text = "2026-11-23 10:00:00 ERROR failed\njava.lang.RuntimeException: x\n"
        for index in 0..<50 { text += "\tat com.example.Frame\(index).call(Frame.java:\(index))\n" }
        let records = LogDecoding.records(text, configuration: configuration)
        #expect(records.count == 1)
        guard case .log(let log)? = records.first else { return }
        #expect(log.message.utf8.count <= 200)
        #expect(log.message.hasPrefix("failed\njava.lang.RuntimeException: x\n\tat com.example.Frame0"))
        #expect(log.attributes[key: "tracejoin.truncated"] == .bool(true))
    }

    @Test("an indented JSON-looking line inside a stack trace is part of it, not a record or a reject")
    func indentedBraceInStackTrace() {
        let text = "2026-11-23 10:00:00 ERROR bad payload\n    {\"order\": 42, \"items\": [\n\tat com.example.Parser.parse(Parser.java:9)\n"
        let records = LogDecoding.records(text)
        #expect(records.count == 1)
        #expect(LogDecoding.rejects(records).isEmpty)
    }

    @Test("after a traceback, time-less lines that open with a level word are new records (uvicorn)")
    func levelWordEndsTraceback() {
        let text = """
            ERROR:    Exception in ASGI application
            Traceback (most recent call last):
              File "/app/main.py", line 9, in handler
            ValueError: bad input
            INFO:     127.0.0.1:51234 - "GET /health HTTP/1.1" 200 OK
            """
        let logs = LogDecoding.logs(text)
        #expect(logs.count == 2)
        #expect(logs[0].severity == .error)
        #expect(logs[0].message.hasSuffix("ValueError: bad input"))
        #expect(logs[1].severity == .info)
    }

    @Test("finish flushes the pending record, and the decoder can be fed again afterwards")
    func finishThenFeed() {
        var decoder = LogLineDecoder(source: "tail.log", serviceFromPath: nil)
        var records: [Record] = []
        let first = Array("2026-11-23 10:00:00 INFO one".utf8)
        let second = Array("2026-11-23 10:00:01 INFO two".utf8)
        first.withUnsafeBufferPointer { decoder.feed($0, lineNumber: 1, byteOffset: 0) { records.append($0) } }
        #expect(records.isEmpty)
        decoder.finish { records.append($0) }
        #expect(records.count == 1)
        second.withUnsafeBufferPointer { decoder.feed($0, lineNumber: 2, byteOffset: 29) { records.append($0) } }
        decoder.finish { records.append($0) }
        #expect(records.count == 2)
        guard case .log(let log) = records[1] else { return }
        #expect(log.message == "two")
        #expect(log.origin.byteOffset == 29)
    }
}
