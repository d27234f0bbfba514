import Normalize
import Testing
import TraceJoinCore

@Suite struct JSONLogEmitterTests {
    let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"
    let spanHex = "00f067aa0ba902b7"

    @Test("pino: numeric level, epoch ms, trace_id/span_id/trace_flags; the logger name stays an attribute")
    func pino() throws {
        let line = #"{"level":30,"time":1795428000123,"pid":1,"hostname":"h","name":"paymentservice-server","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"01","msg":"charge ok"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base + 123_000_000)
        #expect(log.severity == .info)
        #expect(log.severityText == "30")
        #expect(log.message == "charge ok")
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
        #expect(log.sampled == true)
        #expect(log.service == "file-service")
        #expect(log.serviceFromFileName)
        #expect(log.attributes.map(\.key) == ["pid", "hostname", "name"])
        #expect(log.attributes[key: "name"] == .string("paymentservice-server"))
        #expect(log.attributes[key: "pid"] == .int(1))
    }

    @Test("bunyan: level 50 is error, v and hostname stay attributes")
    func bunyan() throws {
        let line = #"{"name":"api","hostname":"web-1","pid":7,"level":50,"msg":"db down","time":"2026-11-23T10:00:00.000Z","v":0}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.severity == .error)
        #expect(log.time == LogDecoding.base)
        #expect(log.attributes.map(\.key) == ["name", "hostname", "pid", "v"])
    }

    @Test("winston: message, level name, ISO timestamp, trace context from the OTel instrumentation")
    func winston() throws {
        let line = #"{"level":"warn","message":"slow query","service":"order-service","span_id":"00f067aa0ba902b7","timestamp":"2026-11-23T10:00:00.250Z","trace_flags":"00","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.severity == .warn)
        #expect(log.message == "slow query")
        #expect(log.service == "order-service")
        #expect(!log.serviceFromFileName)
        #expect(log.time == LogDecoding.base + 250_000_000)
        #expect(log.sampled == false)
        #expect(log.attributes.isEmpty)
    }

    @Test("zap: float epoch seconds keep microseconds; caller stays")
    func zap() throws {
        let line = #"{"level":"info","ts":1795428000.123456,"caller":"server/handler.go:42","msg":"request done","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","status":200}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base + 123_456_000)
        #expect(log.severity == .info)
        #expect(log.trace == LogDecoding.trace(traceHex))
        // An HTTP status number is not a Datadog level.
        #expect(log.attributes[key: "status"] == .int(200))
        #expect(log.attributes[key: "caller"] == .string("server/handler.go:42"))
    }

    @Test("zerolog: message key, RFC 3339 with offset, traceID spelling")
    func zerolog() throws {
        let line = #"{"level":"error","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"00f067aa0ba902b7","error":"timeout","time":"2026-11-23T18:00:00+08:00","message":"call failed"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base)
        #expect(log.severity == .error)
        #expect(log.spanID == LogDecoding.span(spanHex))
        #expect(log.attributes[key: "error"] == .string("timeout"))
    }

    @Test("logrus: msg, +0800 offset without colon, logger field is not the service")
    func logrus() throws {
        let line = #"{"level":"warning","logger":"cart","msg":"retrying","time":"2026-11-23T18:00:00.5+0800","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base + 500_000_000)
        #expect(log.severity == .warn)
        #expect(log.severityText == "warning")
        #expect(log.service == "file-service")
        #expect(log.attributes[key: "logger"] == .string("cart"))
    }

    @Test("slog: upper-case level, nanosecond RFC 3339, nested group becomes a key-value list")
    func slog() throws {
        let line = #"{"time":"2026-11-23T10:00:00.123456789Z","level":"INFO","msg":"served","http":{"method":"GET","status":200},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base + 123_456_789)
        #expect(
            log.attributes[key: "http"]
                == .keyValueList([Attribute("method", .string("GET")), Attribute("status", .int(200))]))
        #expect(log.spanID == nil)
    }

    @Test("python-json-logger with otelTraceID, otelServiceName and a traceback attribute")
    func pythonJSONLogger() throws {
        let line = #"{"timestamp": "2026-11-23T10:00:00.042Z", "level": "ERROR", "logger": "user_service", "message": "lookup failed", "otelSpanID": "00f067aa0ba902b7", "otelTraceID": "4bf92f3577b34da6a3ce929d0e0e4736", "otelTraceSampled": true, "otelServiceName": "user-service", "exception": "Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError: 'id'"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.service == "user-service")
        #expect(log.sampled == true)
        #expect(log.severity == .error)
        #expect(log.attributes.map(\.key) == ["logger", "exception"])
    }

    @Test("python logging outside a span writes otelTraceID 0: no trace, and the zero IDs are dropped")
    func pythonOutsideSpan() throws {
        let line = #"{"timestamp": "2026-11-23T10:00:00.042Z", "level": "INFO", "message": "startup", "otelSpanID": "0", "otelTraceID": "0", "otelTraceSampled": false, "otelServiceName": ""}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.trace == nil)
        #expect(log.spanID == nil)
        #expect(log.service == "file-service")
        #expect(log.attributes[key: "otelTraceID"] == nil)
    }

    @Test("logback logstash encoder: @timestamp, level, traceId in MDC")
    func logback() throws {
        let line = #"{"@timestamp":"2026-11-23T18:00:00.123+08:00","@version":"1","message":"order placed","logger_name":"c.e.OrderController","thread_name":"http-nio-8080-exec-1","level":"INFO","level_value":20000,"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base + 123_000_000)
        #expect(log.severity == .info)
        #expect(log.attributes[key: "level_value"] == .int(20000))
    }

    @Test("log4j2 JSON template: instant object, level, and TraceID inside the message")
    func log4jInstantAndMessageTrace() throws {
        let line = #"{"instant":{"epochSecond":1795428000,"nanoOfSecond":7000},"level":"WARN","loggerName":"a.B","message":"TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: 00f067aa0ba902b7 slow"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.time == LogDecoding.base + 7000)
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
    }

    @Test("ECS: flat log.level, service.name, trace.id and span.id")
    func ecsFlat() throws {
        let line = #"{"@timestamp":"2026-11-23T10:00:00.000Z","log.level":"error","message":"payment declined","ecs.version":"1.6.0","service.name":"payment-service","trace.id":"4bf92f3577b34da6a3ce929d0e0e4736","transaction.id":"aaaabbbbccccdddd","span.id":"00f067aa0ba902b7","event.dataset":"payment.log"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.severity == .error)
        #expect(log.service == "payment-service")
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
        #expect(log.attributes.map(\.key) == ["ecs.version", "transaction.id", "event.dataset"])
    }

    @Test("ECS nested: log {level, logger}, trace {id}, service {name}; the rest of each object stays")
    func ecsNested() throws {
        let line = #"{"@timestamp":"2026-11-23T10:00:00Z","log":{"level":"warn","logger":"app"},"message":"m","trace":{"id":"4bf92f3577b34da6a3ce929d0e0e4736"},"span":{"id":"00f067aa0ba902b7"},"service":{"name":"cart","version":"2"}}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.severity == .warn)
        #expect(log.service == "cart")
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
        #expect(log.attributes[key: "log"] == .keyValueList([Attribute("logger", .string("app"))]))
        #expect(log.attributes[key: "service"] == .keyValueList([Attribute("version", .string("2"))]))
        #expect(log.attributes[key: "trace"] == nil)
    }

    @Test("Datadog nested dd with decimal IDs: lower 64 bits of the trace, decimal span ID, status as level")
    func datadogNested() throws {
        let line = #"{"timestamp":1795428000000,"status":"error","message":"charge failed","dd":{"trace_id":"11803532876627986230","span_id":"67667974448284343","service":"billing","env":"prod"}}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.trace == .lower64(11_803_532_876_627_986_230))
        #expect(log.spanID == SpanID(67_667_974_448_284_343))
        #expect(log.severity == .error)
        #expect(log.service == "billing")
        #expect(log.attributes[key: "dd"] == .keyValueList([Attribute("env", .string("prod"))]))
    }

    @Test("Datadog flat dd.trace_id as a JSON number above Int64.max")
    func datadogFlatNumber() throws {
        let line = #"{"message":"x","dd.trace_id":18446744073709551615,"dd.span_id":42,"dd.service":"billing"}"#
        let log = try #require(LogDecoding.log(line))
        #expect(log.trace == .lower64(UInt64.max))
        #expect(log.spanID == SpanID(42))
        #expect(log.service == "billing")
        #expect(log.time == nil)
    }

    @Test("traceparent field and Google Cloud's logging.googleapis.com/trace")
    func traceparentAndGoogle() throws {
        let withParent = #"{"msg":"a","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}"#
        let parent = try #require(LogDecoding.log(withParent))
        #expect(parent.trace == LogDecoding.trace(traceHex))
        #expect(parent.spanID == LogDecoding.span(spanHex))
        #expect(parent.sampled == true)
        let google = #"{"severity":"ERROR","message":"b","logging.googleapis.com/trace":"projects/p1/traces/4bf92f3577b34da6a3ce929d0e0e4736","logging.googleapis.com/spanId":"00f067aa0ba902b7"}"#
        let log = try #require(LogDecoding.log(google))
        #expect(log.trace == LogDecoding.trace(traceHex))
        #expect(log.spanID == LogDecoding.span(spanHex))
        #expect(log.severity == .error)
    }

    @Test("a trace-ID field holding an X-Ray ID, a traceparent or base64 gives the same trace; other text none")
    func otherIDFormsInTraceFields() throws {
        let values = [
            "1-4bf92f35-77b34da6a3ce929d0e0e4736", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "S/kvNXezTaajzpKdDg5HNg==", "S_kvNXezTaajzpKdDg5HNg",
        ]
        for value in values {
            let log = try #require(LogDecoding.log(#"{"msg":"a","trace_id":"\#(value)"}"#))
            #expect(log.trace == LogDecoding.trace(traceHex), "\(value)")
        }
        for value in ["not-a-trace-id-at-all-really", "tenant-4bf92f3577b34da6a3ce929d0e0e4736"] {
            let log = try #require(LogDecoding.log(#"{"msg":"a","traceId":"\#(value)"}"#))
            #expect(log.trace == nil, "\(value)")
        }
    }

    @Test("structlog event, Serilog @m/@l, journald-style log key: messages from every spelling")
    func messageSpellings() throws {
        #expect(LogDecoding.log(#"{"event":"user created","level":"info","timestamp":"2026-11-23T10:00:00Z"}"#)?.message == "user created")
        let serilog = try #require(LogDecoding.log(#"{"@t":"2026-11-23T10:00:00.0000000Z","@m":"Hello","@l":"Warning"}"#))
        #expect(serilog.message == "Hello")
        #expect(serilog.severity == .warn)
        #expect(serilog.time == LogDecoding.base)
        #expect(LogDecoding.log(#"{"log":"inner text","kubernetes":{"pod":"p"}}"#)?.message == "inner text")
        #expect(LogDecoding.log(#"{"@message":"x","@timestamp":"2026-11-23T10:00:00Z"}"#)?.message == "x")
    }

    @Test("an ID that is not hex stays an attribute instead of vanishing")
    func invalidIDStays() throws {
        let log = try #require(LogDecoding.log(#"{"msg":"m","trace_id":"not-a-trace"}"#))
        #expect(log.trace == nil)
        #expect(log.attributes[key: "trace_id"] == .string("not-a-trace"))
    }

    @Test("service precedence: resource service.name over service over app; hostname never")
    func servicePrecedence() throws {
        let nested = try #require(LogDecoding.log(#"{"msg":"m","app":"a","service":"s","resource":{"service":{"name":"r"},"host.name":"h1"},"hostname":"h"}"#))
        #expect(nested.service == "r")
        #expect(nested.attributes.map(\.key) == ["app", "service", "resource", "hostname"])
        #expect(nested.attributes[key: "resource"] == .keyValueList([Attribute("host.name", .string("h1"))]))
        let flat = try #require(LogDecoding.log(#"{"msg":"m","app":"a","resource.service.name":"r"}"#))
        #expect(flat.service == "r")
        let app = try #require(LogDecoding.log(#"{"msg":"m","app":"shop-web","hostname":"h"}"#))
        #expect(app.service == "shop-web")
        #expect(!app.serviceFromFileName)
        let none = try #require(LogDecoding.log(#"{"msg":"m","hostname":"h","name":"logger"}"#))
        #expect(none.service == "file-service")
        #expect(none.serviceFromFileName)
    }
}
