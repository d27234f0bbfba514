"""What happens in the shop: request and job flows, each with its failure variants.

Each flow builds one trace through `Night` with a time cursor `t` (ns) and, when it fails, says
which class of failure it meant and where it began (`Trace.fail`); `Night` checks that the spans and
logs it built say the same (deepest, earliest error).
"""

from .model import CLIENT, CONSUMER, INTERNAL, PRODUCER, SERVER, Log
from .night import CHECKOUT, NOTIFY, ORDER, PAY, USER, WORKER
from .render import DOCKER_SPLIT, logback

HTTP, PG, AMQP = "@opentelemetry/instrumentation-http", "@opentelemetry/instrumentation-pg", "@opentelemetry/instrumentation-amqplib"
DD, TOMCAT, ANNOT = "ddtrace", "io.opentelemetry.tomcat-10.0", "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16"


APP_AGENTS = ["ShopApp/5.12.0 (iOS 17.5; iPhone15,2)", "ShopApp/5.11.3 (Android 14; Pixel 8)",
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"]


def ms(r, lo, hi):
    return int(r.uniform(lo, hi) * 1_000_000)


def node_stack(head, frames):
    return head + "\n" + "\n".join("    at " + f for f in frames)


def http_server(method, route, path, client):
    attrs = [("http.request.method", method), ("url.path", path), ("http.route", route), ("url.scheme", "http"),
             ("server.port", 8080), ("network.protocol.version", "1.1")]
    if client:
        attrs.append(("client.address", client))
    return attrs


def http_client(method, url, host, port):
    return [("http.request.method", method), ("url.full", url), ("server.address", host), ("server.port", port)]


def pg_attrs(db, statement):
    return [("db.system", "postgresql"), ("db.name", db), ("db.statement", statement),
            ("server.address", "db-primary.shop.internal"), ("server.port", 5432)]


# MARK: - user-service (Node, winston, OTLP)

def user_get(n, tr, t, cli, uid, fail, req_id):
    """GET /users/:id; returns (end time, HTTP status)."""
    r, v = n.rng, n.values
    t += ms(r, 0.4, 1.2)
    srv = n.span(tr, USER, "GET /users/:id", SERVER, cli, t, http_server("GET", "/users/:id", "/users/%d" % uid, None), HTTP)
    if r.random() < (0.5 if n.small else 0.2):
        # Captured request headers (OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST): a string array.
        srv.attrs.append(("http.request.header.authorization", ["Bearer " + v.jwt(email=v.email(plant=False))]))
    n.log(tr, USER, t + 90_000, "info", "GET /users/%d" % uid, srv, {"request_id": req_id})
    t += ms(r, 0.1, 0.4)
    if fail in ("connection", "resource_exhausted"):
        if fail == "connection":
            msg, etype = "connect ECONNREFUSED 10.0.3.12:5432", "Error"
            stack = node_stack("Error: " + msg, ["TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)"])
            err = {"code": "ECONNREFUSED", "errno": -111, "syscall": "connect", "address": "10.0.3.12", "port": 5432}
        else:
            msg, etype = "remaining connection slots are reserved for non-replication superuser connections", "error"
            stack = node_stack("error: " + msg, ["Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)",
                                                  "Parser.handlePacket (/app/node_modules/pg-protocol/dist/parser.js:122:29)"])
            err = {"code": "53300", "severity": "FATAL", "routine": "InitProcessStartupPacket"}
        dsn = "postgres://users_app:%s@db-primary.shop.internal:5432/users" % n.password(USER)
        for attempt in (1, 2):
            c = n.span(tr, USER, "pg.connect", CLIENT, srv, t, [("db.system", "postgresql"), ("db.name", "users"),
                       ("server.address", "db-primary.shop.internal"), ("server.port", 5432)], PG)
            t += ms(r, 1, 4)
            n.exception(c, t, etype, msg, stack)
            n.end(c, t, 2, msg)
            n.log(tr, USER, t + 40_000, "warn" if attempt == 1 else "error",
                  "database connection failed" + (", retrying in 50ms" if attempt == 1 else ""), srv,
                  {"error": dict(err, message=msg), "db": dsn, "attempt": attempt})
            t += 50_000_000 if attempt == 1 else 200_000
        n.exception(srv, t, etype, msg, stack)
        n.end(srv, t, 2, msg, 500)
        n.log(tr, USER, t + 30_000, "error", "GET /users/%d 500" % uid, srv, {"status": 500})
        tr.fail(fail, USER, "pg.connect")
        return t, 500
    if fail == "auth":
        jwt = v.jwt(email=v.email(plant=False))  # inside the token, base64: the token is what is planted
        n.log(tr, USER, t, "warn", "token verification failed for %s: jwt expired" % jwt, srv, {"reason": "TokenExpiredError"})
        n.exception(srv, t + 20_000, "TokenExpiredError", "jwt expired",
                    node_stack("TokenExpiredError: jwt expired", ["/app/node_modules/jsonwebtoken/verify.js:190:21",
                                                                 "getSecret (/app/node_modules/jsonwebtoken/verify.js:97:14)"]))
        t += 60_000
        n.end(srv, t, 2, "jwt expired", 401)
        tr.fail("auth", USER, "GET /users/:id")
        return t, 401
    q = n.span(tr, USER, "pg.query:SELECT shop", CLIENT, srv, t,
               pg_attrs("users", "SELECT id, email, full_name, phone FROM users WHERE id = $1"), PG)
    t += ms(r, 0.8, 5)
    n.end(q, t)
    if fail == "not_found":
        n.log(tr, USER, t + 50_000, "warn", "user %d not found" % uid, srv)
        n.exception(srv, t + 60_000, "NotFoundError", "User %d not found" % uid)
        t += 100_000
        n.end(srv, t, 2, "User %d not found" % uid, 404)
        tr.fail("not_found", USER, "GET /users/:id")
        return t, 404
    if r.random() < 0.6 or n.small:
        n.log(tr, USER, t + 40_000, "debug", "user loaded", srv,
              {"user": {"id": uid, "email": v.email(), "phone": v.phone(), "address": {"city": "Springfield"}}})
    else:
        n.log(tr, USER, t + 40_000, "debug", "user %d loaded from cache" % uid, srv, {"cache": "hit"})
    t += ms(r, 0.2, 0.6)
    if r.random() < 0.3 or n.small:
        srv.attrs.append(("enduser.id", v.email()))
    n.end(srv, t, 0, "", 200)
    return t, 200


# MARK: - order lookup: order-service → user-service (the classic pair)

def order_lookup(n, tr, t, fail=None):
    r, v = n.rng, n.values
    order_no = v.order_number()
    uid = r.randrange(10000, 99999)
    ip = v.ipv4() if r.random() < 0.7 else v.ipv6()
    req_id = v.uuid()
    t0 = t
    srv = n.span(tr, ORDER, "GET /orders/:id", SERVER, None, t, http_server("GET", "/orders/:id", "/orders/" + order_no, ip), HTTP)
    headers = {"host": "order-service.shop.svc.cluster.local:8080", "user-agent": APP_AGENTS[r.randrange(len(APP_AGENTS))],
               "accept": "application/json", "accept-encoding": "gzip, deflate, br", "x-forwarded-for": ip, "x-request-id": req_id}
    if r.random() < 0.5:
        # The mobile app started the trace: the server span's parent is the app's span, never exported here (an orphan).
        srv.pid, srv.remote_parent = n.new_id(), True
        headers["traceparent"] = "00-%s-%016x-%s" % (tr.trace_id, srv.pid, "01" if tr.sampled else "00")
    n.log(tr, ORDER, t + 250_000, "info", "incoming request", srv,
          {"req": {"id": req_id, "method": "GET", "url": "/orders/" + order_no, "headers": headers,
                   "remoteAddress": ("::ffff:" + ip) if "." in ip else ip, "remotePort": r.randrange(30000, 60000)}})
    t += ms(r, 0.3, 0.9)
    db = n.span(tr, ORDER, "pg.query:SELECT shop", CLIENT, srv, t,
                pg_attrs("orders", "SELECT id, user_id, status, total_cents FROM orders WHERE order_number = $1"), PG)
    t += ms(r, 0.8, 6)
    n.end(db, t)
    n.log(tr, ORDER, t + 80_000, "debug", "order loaded", srv, {"order_number": order_no, "items": r.randrange(1, 6)})
    t += 300_000
    url = "http://user-service.shop.svc.cluster.local:8080/users/%d" % uid
    cli = n.span(tr, ORDER, "GET", CLIENT, srv, t, http_client("GET", url, "user-service.shop.svc.cluster.local", 8080), HTTP)
    n.log(tr, ORDER, t + 20_000, "debug", "fetching customer %d from user-service" % uid, srv)
    if fail == "timeout":
        # user-service is slow (a long query, no error of its own); the caller gives up after 2 s.
        first_log = len(tr.logs)
        user_get(n, tr, t, cli, uid, None, req_id)
        for s in tr.spans:
            if s.service == USER:
                s.end += 2_400_000_000
        for log in tr.logs[first_log + 1:]:
            log.t += 2_400_000_000
        t += 2_000_000_000
        msg = "timeout of 2000ms exceeded"
        n.exception(cli, t, "AxiosError", msg, node_stack("AxiosError: " + msg, [
            "RedirectableRequest.handleRequestTimeout (/app/node_modules/axios/dist/node/axios.cjs:3231:16)"]))
        n.end(cli, t, 2, msg)
        n.log(tr, ORDER, t + 50_000, "error", "user-service request failed", srv,
              {"err": {"type": "AxiosError", "code": "ETIMEDOUT", "message": msg}})
        t += 200_000
        n.end(srv, t, 2, msg, 504)
        n.log(tr, ORDER, t, "error", "request errored", srv, {"res": {"statusCode": 504}, "responseTime": (t - t0) // 1_000_000})
        tr.fail("timeout", ORDER, "GET")
        return
    t, status = user_get(n, tr, t, cli, uid, fail, req_id)
    t += ms(r, 0.3, 1.0)
    if status != 200:
        n.end(cli, t, 2, "Request failed with status code %d" % status, status)
        level = "error" if status >= 500 else "warn"
        n.log(tr, ORDER, t + 40_000, level, "customer lookup failed: user-service responded %d" % status, srv,
              {"err": {"type": "AxiosError", "message": "Request failed with status code %d" % status}})
        t += 150_000
        out = 502 if status >= 500 else status
        n.end(srv, t, 2, "Bad Gateway" if out == 502 else "", out)
        n.log(tr, ORDER, t, "error" if out >= 500 else "warn", "request errored" if out >= 500 else "request completed",
              srv, {"res": {"statusCode": out}, "responseTime": (t - t0) // 1_000_000})
        return
    n.end(cli, t, 0, "", 200)
    if fail == "code_defect":
        msg = "Cannot read properties of undefined (reading 'street')"
        stack = node_stack("TypeError: " + msg, ["formatShipping (/app/src/orders/format.js:41:38)",
                                                 "OrderController.show (/app/src/orders/controller.js:77:19)"])
        n.exception(srv, t + 30_000, "TypeError", msg, stack)
        n.log(tr, ORDER, t + 40_000, "error", "request errored", srv,
              {"err": {"type": "TypeError", "message": msg, "stack": stack}, "res": {"statusCode": 500},
               "responseTime": (t - t0) // 1_000_000})
        t += 100_000
        n.end(srv, t, 2, msg, 500)
        tr.fail("code_defect", ORDER, "GET /orders/:id")
        return
    t += ms(r, 0.2, 0.8)
    n.end(srv, t, 0, "", 200)
    n.log(tr, ORDER, t, "info", "request completed", srv, {"res": {"statusCode": 200, "headers": {
        "content-type": "application/json; charset=utf-8", "content-length": str(r.randrange(400, 4000)),
        "x-request-id": req_id, "cache-control": "private, max-age=0"}}, "responseTime": max(1, (t - t0) // 1_000_000)})


# MARK: - checkout: checkout-api (Datadog) → order-service → user-service, payment-service, inventory-worker, notification-service

def checkout(n, tr, t, fail=None):
    r, v = n.rng, n.values
    email = v.email()
    t0 = t
    ip = v.ipv6() if r.random() < 0.4 else v.ipv4()
    session = v.bearer()
    srv = n.span(tr, CHECKOUT, "POST /api/checkout", SERVER, None, t,
                 [("http.method", "POST"), ("http.url", "https://shop.example/api/checkout?access_token=%s&email=%s" % (session, email)),
                  ("http.client_ip", ip), ("http.useragent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)"),
                  ("_dd.p.tid", "%016x" % tr.hi)], DD)
    items = r.randrange(1, 5)
    total = r.randrange(999, 25999)
    n.log(tr, CHECKOUT, t + 300_000, "info", "checkout started", srv,
          {"usr": {"id": str(r.randrange(10000, 99999)), "email": email},
           "cart": {"items": items, "total_cents": total, "currency": "EUR"}, "network": {"client": {"ip": ip}}})
    if r.random() < (0.3 if n.small else 0.05):
        n.log(tr, CHECKOUT, t + 350_000, "debug", "identity check passed for ssn %s" % v.ssn(), srv,
              {"kyc": {"provider": "idv.example", "ssn": v.ssn(), "phone": v.phone()}})
    t += ms(r, 0.4, 1)
    val = n.span(tr, CHECKOUT, "checkout.validate", INTERNAL, srv, t, [("cart.items", items)], DD)
    t += ms(r, 0.2, 1.5)
    if fail == "validation":
        card = v.card()
        msg = "card expiry 03/24 is in the past"
        n.log(tr, CHECKOUT, t, "warn", "payment method rejected: card %s expired 03/24" % card, val)
        n.exception(val, t, "ValidationError", msg, 'Traceback (most recent call last):\n  File "/app/checkout/validate.py", '
                    'line 58, in validate_payment\n    raise ValidationError("card expiry 03/24 is in the past")\n'
                    "checkout.errors.ValidationError: " + msg)
        n.end(val, t, 2, msg)
        t += 200_000
        n.end(srv, t, 2, "422 Unprocessable Entity", 422)
        n.log(tr, CHECKOUT, t, "error", "checkout failed: validation error", srv, {"http": {"status_code": 422}})
        tr.fail("validation", CHECKOUT, "checkout.validate")
        return
    n.end(val, t)
    t += 200_000
    url = "http://order-service.shop.svc.cluster.local:8080/orders"
    cli = n.span(tr, CHECKOUT, "POST", CLIENT, srv, t, [("http.method", "POST"), ("http.url", url),
                                                       ("out.host", "order-service.shop.svc.cluster.local")], DD)
    n.log(tr, CHECKOUT, t + 10_000, "debug", "calling order-service", srv,
          {"http": {"url": url, "headers": {"x-datadog-trace-id": v.decimal_id(tr.lo), "x-datadog-parent-id": str(cli.sid),
                                             "x-datadog-sampling-priority": "1"}}})
    t, status = order_create(n, tr, t, cli, fail, email, items, total)
    t += ms(r, 0.3, 1)
    if status >= 400:
        n.end(cli, t, 2, "%d" % status, status)
        out = 502 if status >= 500 else status
        t += 200_000
        n.end(srv, t, 2, "%d %s" % (out, {502: "Bad Gateway", 409: "Conflict", 429: "Too Many Requests"}.get(out, "")), out)
        n.log(tr, CHECKOUT, t, "error", "checkout failed: order-service responded %d" % status, srv,
              {"http": {"status_code": out}, "duration_ms": (t - t0) // 1_000_000})
        return
    n.end(cli, t, 0, "", status)
    t += ms(r, 0.2, 0.6)
    n.end(srv, t, 0, "", 200)
    n.log(tr, CHECKOUT, t, "info", "checkout completed", srv, {"http": {"status_code": 200}, "duration_ms": (t - t0) // 1_000_000})


def order_create(n, tr, t, cli, fail, email, items, total):
    r, v = n.rng, n.values
    t += ms(r, 0.5, 1.5)
    t0 = t
    order_no = v.order_number()
    idem = v.uuid()
    srv = n.span(tr, ORDER, "POST /orders", SERVER, cli, t, http_server("POST", "/orders", "/orders", "10.0.2.15"), HTTP)
    n.log(tr, ORDER, t + 200_000, "info", "incoming request", srv,
          {"req": {"id": v.uuid(), "method": "POST", "url": "/orders",
                   "headers": {"idempotency-key": idem, "authorization": "Bearer " + v.bearer(), "content-type": "application/json"}}})
    t += ms(r, 0.3, 0.8)
    uid = r.randrange(10000, 99999)
    ucli = n.span(tr, ORDER, "GET", CLIENT, srv, t, http_client(
        "GET", "http://user-service.shop.svc.cluster.local:8080/users/%d" % uid, "user-service.shop.svc.cluster.local", 8080), HTTP)
    t, _ = user_get(n, tr, t, ucli, uid, None, idem)
    t += ms(r, 0.3, 0.8)
    n.end(ucli, t, 0, "", 200)
    ins = n.span(tr, ORDER, "pg.query:INSERT shop", CLIENT, srv, t, pg_attrs(
        "orders", "INSERT INTO orders (order_number, user_id, total_cents, idempotency_key) VALUES ($1, $2, $3, $4)"), PG)
    t += ms(r, 1, 5)
    if fail == "conflict":
        msg = 'duplicate key value violates unique constraint "orders_idempotency_key_key"'
        n.exception(ins, t, "error", msg, node_stack("error: " + msg, [
            "Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)"]))
        n.end(ins, t, 2, msg)
        n.log(tr, ORDER, t + 30_000, "error", "could not create order", srv,
              {"err": {"type": "DatabaseError", "code": "23505", "message": msg, "detail": "Key (idempotency_key)=(%s) already exists." % idem}})
        t += 100_000
        n.end(srv, t, 2, "Conflict", 409)
        n.log(tr, ORDER, t, "warn", "request completed", srv, {"res": {"statusCode": 409}, "responseTime": (t - t0) // 1_000_000})
        tr.fail("conflict", ORDER, "pg.query:INSERT shop")
        return t, 409
    n.end(ins, t)
    if r.random() < (1.0 if n.small else 0.03):
        # A debug line that dumps the payment payload: the classic leak.
        n.log(tr, ORDER, t + 10_000, "debug", "payment payload prepared", srv,
              {"payment": {"method": "card", "card": {"number": v.card(style=1), "exp": "09/28", "holder": v.email()}}})
    n.log(tr, ORDER, t + 30_000, "info", "order %s created" % order_no, srv, {"order_number": order_no, "items": items,
                                                                              "total_cents": total})
    t += 200_000
    purl = "http://payment-service.shop.svc.cluster.local:8443/v1/payments"
    pcli = n.span(tr, ORDER, "POST", CLIENT, srv, t, http_client("POST", purl, "payment-service.shop.svc.cluster.local", 8443), HTTP)
    if fail == "connection":
        t += ms(r, 0.5, 2)
        msg = "connect ECONNREFUSED 10.0.5.7:8443"
        n.exception(pcli, t, "Error", msg, node_stack("Error: " + msg, ["TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)"]))
        n.end(pcli, t, 2, msg)
        n.log(tr, ORDER, t + 30_000, "error", "payment request failed", srv,
              {"err": {"type": "Error", "code": "ECONNREFUSED", "message": msg}, "order_number": order_no})
        t += 100_000
        n.end(srv, t, 2, "Bad Gateway", 502)
        n.log(tr, ORDER, t, "error", "request errored", srv, {"res": {"statusCode": 502}, "responseTime": (t - t0) // 1_000_000})
        tr.fail("connection", ORDER, "POST")
        return t, 502
    t, status = payment_charge(n, tr, t, pcli, fail, order_no, total)
    t += ms(r, 0.3, 1)
    if status >= 400:
        n.end(pcli, t, 2, "Request failed with status code %d" % status, status)
        n.log(tr, ORDER, t + 30_000, "error", "payment failed: payment-service responded %d" % status, srv,
              {"order_number": order_no})
        out = 429 if status == 429 else 502
        t += 100_000
        n.end(srv, t, 2, "Bad Gateway" if out == 502 else "Too Many Requests", out)
        n.log(tr, ORDER, t, "error" if out >= 500 else "warn", "request errored" if out >= 500 else "request completed", srv,
              {"res": {"statusCode": out}, "responseTime": (t - t0) // 1_000_000})
        return t, out
    n.end(pcli, t, 0, "", 201)
    prod = n.span(tr, ORDER, "inventory.reserve publish", PRODUCER, srv, t, [
        ("messaging.system", "rabbitmq"), ("messaging.operation", "publish"),
        ("messaging.destination.name", "inventory.reserve"), ("messaging.message.id", v.uuid())], AMQP)
    t += ms(r, 0.2, 0.6)
    n.end(prod, t)
    n.log(tr, ORDER, t + 20_000, "info", "stock reservation requested for order %s" % order_no, srv)
    t += 100_000
    ncli = n.span(tr, ORDER, "POST", CLIENT, srv, t, http_client(
        "POST", "http://notification-service.shop.svc.cluster.local:8080/notifications/order-confirmation",
        "notification-service.shop.svc.cluster.local", 8080), HTTP)
    t, nstatus = notify_send(n, tr, t, ncli, fail, email, order_no)
    t += ms(r, 0.3, 0.8)
    if nstatus >= 500:
        n.end(ncli, t, 2, "Request failed with status code %d" % nstatus, nstatus)
        n.log(tr, ORDER, t + 30_000, "warn", "order confirmation not sent; will retry from outbox", srv, {"order_number": order_no})
    else:
        n.end(ncli, t, 0, "", nstatus)
    t += ms(r, 0.2, 0.6)
    n.end(srv, t, 0, "", 201)
    n.log(tr, ORDER, t, "info", "request completed", srv, {"res": {"statusCode": 201, "headers": {
        "content-type": "application/json; charset=utf-8", "location": "/orders/" + order_no}}, "responseTime": (t - t0) // 1_000_000})
    inventory_reserve(n, tr, prod.end + ms(r, 3, 40), prod, fail, order_no, items)
    return t, 201


# MARK: - payment-service (Go, zap, Jaeger)

def payment_charge(n, tr, t, pcli, fail, order_no, total):
    r, v = n.rng, n.values
    t += ms(r, 0.5, 1.5)
    t0 = t
    srv = n.span(tr, PAY, "POST /v1/payments", SERVER, pcli, t, [("http.request.method", "POST"), ("url.path", "/v1/payments"),
                                                                 ("server.port", 8443)])
    if r.random() < (1.0 if n.small else 0.2):
        srv.attrs.append(("enduser.id", v.email()))
    n.log(tr, PAY, t + 100_000, "info", "charge requested", srv,
          {"merchant_ref": order_no, "amount_cents": total, "currency": "EUR", "card_last4": "%04d" % r.randrange(10000)},
          caller="payments/handler.go:61")
    t += ms(r, 0.3, 1)
    fraud = n.span(tr, PAY, "fraud.check", INTERNAL, srv, t, [("fraud.rules", 14)])
    t += ms(r, 1, 4)
    n.end(fraud, t)
    n.log(tr, PAY, t, "debug", "fraud score computed", srv, {"score": round(r.random() * 0.2, 3)}, caller="fraud/score.go:112")
    t += 200_000
    psp = n.span(tr, PAY, "psp.charge", CLIENT, srv, t, [("http.request.method", "POST"), ("url.full", "https://api.psp.example/v1/charges"),
                                                         ("server.address", "api.psp.example"), ("server.port", 443)])
    stacktrace = ("main.(*PaymentHandler).Charge\n\t/app/payments/handler.go:97\nnet/http.HandlerFunc.ServeHTTP\n"
                  "\t/usr/local/go/src/net/http/server.go:2171\nnet/http.serverHandler.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:3142")
    if fail in ("timeout", "upstream", "rate_limit"):
        if fail == "timeout":
            t += 3_000_000_000
            msg = 'Post "https://api.psp.example/v1/charges": context deadline exceeded'
            n.exception(psp, t, "*url.Error", msg)
            n.end(psp, t, 2, msg)
            out = 504
        elif fail == "upstream":
            t += ms(r, 20, 80)
            msg = "psp responded 503 Service Unavailable"
            n.end(psp, t, 2, msg, 503)
            out = 502
        else:
            t += ms(r, 5, 20)
            msg = "psp responded 429 Too Many Requests: rate limit exceeded for merchant"
            n.end(psp, t, 2, msg, 429)
            out = 429
        n.log(tr, PAY, t + 40_000, "error", "charge failed", srv, {"merchant_ref": order_no, "error": msg, "stacktrace": stacktrace},
              caller="payments/handler.go:97")
        t += 100_000
        n.end(srv, t, 2, msg, out)
        tr.fail(fail, PAY, "psp.charge")
        return t, out
    t += ms(r, 40, 250)
    n.end(psp, t, 0, "", 200)
    n.log(tr, PAY, t + 30_000, "info", "charge authorized", srv, {"merchant_ref": order_no, "psp_charge_id": "ch_%024x" % r.getrandbits(96),
                                                                   "authorized_at_ms": int(v.epoch_ms(t)),
                                                                   "duration": "%.1fms" % ((t - t0) / 1e6)}, caller="payments/handler.go:104")
    t += 100_000
    ins = n.span(tr, PAY, "INSERT payments", CLIENT, srv, t, [("db.system", "postgresql"), ("db.name", "payments"),
                                                              ("db.statement", "INSERT INTO payments (merchant_ref, amount_cents, psp_charge_id) VALUES ($1, $2, $3)")])
    t += ms(r, 1, 4)
    n.end(ins, t)
    t += 100_000
    n.end(srv, t, 0, "", 201)
    return t, 201


# MARK: - notification-service (Java in Kubernetes: Docker/CRI-wrapped logback text, OTLP)

def notify_send(n, tr, t, ncli, fail, email, order_no):
    r, v = n.rng, n.values
    t += ms(r, 0.5, 1.5)
    srv = n.span(tr, NOTIFY, "POST /notifications/order-confirmation", SERVER, ncli, t,
                 http_server("POST", "/notifications/order-confirmation", "/notifications/order-confirmation", None), TOMCAT)
    n.log(tr, NOTIFY, t + 300_000, "info", "[orderConfirmation] sending confirmation for order %s to %s" % (order_no, email), srv)
    t += ms(r, 0.5, 1.5)
    send = n.span(tr, NOTIFY, "MailSender.send", INTERNAL, srv, t, [("code.namespace", "com.shop.notify.MailSender"),
                                                                     ("code.function", "send"), ("smtp.port", 587)], ANNOT)
    if fail == "java_npe":
        t += ms(r, 0.5, 2)
        msg = 'Cannot invoke "String.length()" because the return value of "com.shop.notify.Recipient.phone()" is null'
        stack = ["java.lang.NullPointerException: " + msg,
                 "\tat com.shop.notify.SmsFallback.normalise(SmsFallback.java:41)",
                 "\tat com.shop.notify.MailSender.send(MailSender.java:88)",
                 "\tat com.shop.notify.NotificationController.orderConfirmation(NotificationController.java:57)",
                 "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                 "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
                 "Caused by: java.lang.IllegalStateException: no verified phone for customer %s" % v.email(),
                 "\tat com.shop.notify.Recipient.phone(Recipient.java:33)",
                 "\t... 4 common frames omitted"]
        n.exception(send, t, "java.lang.NullPointerException", msg, "\n".join(stack))
        n.end(send, t, 2, msg)
        n.log(tr, NOTIFY, t + 50_000, "error", "[orderConfirmation] failed to send order confirmation", srv, cont=stack,
              logger="c.s.n.MailSender#88")
        t += 300_000
        n.end(srv, t, 2, "", 500)
        tr.fail("code_defect", NOTIFY, "MailSender.send")
        return t, 500
    t += ms(r, 2, 12)
    n.end(send, t)
    if tr.long_line:
        # A rendered e-mail body over 16 KiB: the wrapper splits it; the address straddles the split.
        probe = Log(NOTIFY, t, "debug", "", tr.hi, tr.lo, send.sid, True, None, None, "c.s.n.MailRenderer#23", None)
        head = len(logback(probe, "", 1))
        lead = "[orderConfirmation] rendered template order-confirmation.html: <html><body><p>Dear customer "
        filler = "<p>Thank you for your order.</p>"
        addr = v.email()
        body = lead
        while head + len(body) + len(filler) < DOCKER_SPLIT - len(addr) // 2:
            body += filler
        body += " " * (DOCKER_SPLIT - len(addr) // 2 - head - len(body))
        body += addr + " " + filler * 30 + "</body></html>"
        n.log(tr, NOTIFY, t + 20_000, "debug", body, send, logger="c.s.n.MailRenderer#23")
    n.log(tr, NOTIFY, t + 50_000, "info", "[orderConfirmation] queued message %s" % v.uuid(), srv,
          logger="c.s.n.MailSender#102")
    t += ms(r, 0.3, 1)
    n.end(srv, t, 0, "", 202)
    return t, 202


# MARK: - inventory-worker (Python, OTel logging text format, Zipkin)

def py_traceback(frames, last):
    out = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        out.append('  File "%s", line %d, in %s' % (path, line, func))
        out.append("    " + code)
    out.append(last)
    return out


def inventory_reserve(n, tr, t, prod, fail, order_no, items):
    r, v = n.rng, n.values
    cons = n.span(tr, WORKER, "inventory.reserve process", CONSUMER, prod, t, [
        ("messaging.system", "rabbitmq"), ("messaging.operation", "process"), ("messaging.destination.name", "inventory.reserve")])
    n.log(tr, WORKER, t + 150_000, "info", "received reservation for order %s (%d items)" % (order_no, items), cons,
          caller="worker.py:61")
    t += ms(r, 0.3, 1)
    if fail == "py_keyerror":
        tb = py_traceback([("/app/inventory/worker.py", 84, "reserve_stock", 'qty = line["qty"]'),
                           ("/usr/local/lib/python3.12/site-packages/inventory/lines.py", 19, "__getitem__", "return self._data[key]")],
                          "KeyError: 'qty'")
        n.log(tr, WORKER, t, "error", "reserve_stock failed for order %s (contact %s)" % (order_no, v.email()), cons,
              cont=tb, caller="worker.py:88")
        n.exception(cons, t, "KeyError", "'qty'", "\n".join(tb))
        n.end(cons, t + 100_000, 2, "KeyError: 'qty'")
        tr.fail("code_defect", WORKER, "inventory.reserve process")
        return
    if fail == "redis_oom":
        rs = n.span(tr, WORKER, "SET", CLIENT, cons, t, [("db.system", "redis"), ("db.statement", "SET reservation:%s ?" % order_no),
                                                          ("server.address", "redis.shop.internal"), ("server.port", 6379)])
        t += ms(r, 0.2, 1)
        msg = "OOM command not allowed when used memory > 'maxmemory'."
        n.end(rs, t, 2, msg)
        tb = py_traceback([("/app/inventory/worker.py", 97, "reserve_stock", "cache.set(f\"reservation:{order}\", payload, ex=900)"),
                           ("/usr/local/lib/python3.12/site-packages/redis/commands/core.py", 2342, "set",
                            "return self.execute_command(\"SET\", *pieces, **options)")],
                          "redis.exceptions.ResponseError: " + msg)
        n.log(tr, WORKER, t + 40_000, "error", "could not cache reservation for order %s" % order_no, cons, cont=tb,
              caller="worker.py:99")
        n.end(cons, t + 100_000, 2, "ResponseError: " + msg)
        tr.fail("resource_exhausted", WORKER, "SET")
        return
    upd = n.span(tr, WORKER, "UPDATE stock", CLIENT, cons, t, [("db.system", "postgresql"), ("db.name", "inventory"),
                 ("db.statement", "UPDATE stock SET reserved = reserved + %s WHERE sku = %s")])
    t += ms(r, 1, 6)
    n.end(upd, t)
    n.log(tr, WORKER, t + 30_000, "info", "reserved %d units of SKU-%05d" % (items, r.randrange(100000)), cons, caller="worker.py:92")
    n.end(cons, t + 200_000)


def inventory_sync(n, tr, t, fail=None):
    """A scheduled job rooted in the worker: fetch stock from the warehouse partner, update the table."""
    r, v = n.rng, n.values
    root = n.span(tr, WORKER, "inventory.sync", INTERNAL, None, t, [("job.schedule", "*/20 * * * *")])
    run = v.uuid()
    n.log(tr, WORKER, t + 100_000, "info", "inventory sync started (run %s)" % run, root, caller="sync.py:30", logger="inventory.sync")
    t += ms(r, 0.5, 2)
    url = "https://warehouse.partner.example/api/v2/stock?since=%s&token=%s" % (run[:8], v.bearer())
    get = n.span(tr, WORKER, "GET", CLIENT, root, t, [("http.method", "GET"), ("http.url", url), ("net.peer.name", "warehouse.partner.example"),
                                                       ("net.peer.port", "443")])
    if fail == "timeout":
        t += 10_000_000_000
        # requests prints the path and query of the URL in the exception: the token ends up in the traceback.
        msg = ("HTTPSConnectionPool(host='warehouse.partner.example', port=443): Max retries exceeded with url: %s "
               "(Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f3a2c1d5e50>, "
               "'Connection to warehouse.partner.example timed out. (connect timeout=10)'))" % url[url.index("/api"):])
        n.end(get, t, 2, "ConnectTimeout: connection to warehouse.partner.example timed out (connect timeout=10)")
        tb = py_traceback([("/app/inventory/sync.py", 44, "fetch_stock", "resp = session.get(url, timeout=10)"),
                           ("/usr/local/lib/python3.12/site-packages/requests/adapters.py", 688, "send", "raise ConnectTimeout(e, request=request)")],
                          "requests.exceptions.ConnectTimeout: " + msg)
        n.log(tr, WORKER, t + 50_000, "error", "inventory sync failed", root, cont=tb, caller="sync.py:52", logger="inventory.sync")
        n.end(root, t + 200_000, 2, "ConnectTimeout")
        tr.fail("timeout", WORKER, "GET")
        return
    t += ms(r, 80, 400)
    n.end(get, t, 0, "", 200)
    skus = r.randrange(20, 400)
    n.log(tr, WORKER, t + 40_000, "info", "fetched %d stock levels from warehouse" % skus, root, caller="sync.py:47", logger="inventory.sync")
    if fail == "py_keyerror":
        tb = py_traceback([("/app/inventory/sync.py", 63, "apply_levels", 'wh = level["warehouse_id"]')], "KeyError: 'warehouse_id'")
        n.log(tr, WORKER, t + 60_000, "error", "inventory sync failed", root, cont=tb, caller="sync.py:70", logger="inventory.sync")
        n.exception(root, t + 60_000, "KeyError", "'warehouse_id'", "\n".join(tb))
        n.end(root, t + 100_000, 2, "KeyError: 'warehouse_id'")
        tr.fail("code_defect", WORKER, None if not tr.sampled else "inventory.sync")
        return
    for _ in range(r.randrange(1, 3)):
        t += 200_000
        upd = n.span(tr, WORKER, "UPDATE stock", CLIENT, root, t, [("db.system", "postgresql"), ("db.name", "inventory"),
                     ("db.statement", "UPDATE stock SET on_hand = %s WHERE sku = %s")])
        t += ms(r, 2, 20)
        n.end(upd, t)
    if r.random() < 0.3 or n.small:
        n.log(tr, WORKER, t + 10_000, "debug", "db connection: host=db-inventory.shop.internal port=5432 user=inventory password=%s dbname=stock"
              % n.password(WORKER), root, caller="db.py:18", logger="inventory.db")
    n.log(tr, WORKER, t + 50_000, "info", "inventory sync finished: %d SKUs updated in %.2fs" % (skus, (t - root.start) / 1e9), root,
          caller="sync.py:58", logger="inventory.sync")
    n.end(root, t + 100_000)


# MARK: - settlement job (Go, legacy jaeger-client: 64-bit trace IDs)

def settlement(n, tr, t, fail=None):
    r, v = n.rng, n.values
    root = n.span(tr, PAY, "reconcile-settlements", INTERNAL, None, t, [("job.run_id", v.uuid())])
    n.log(tr, PAY, t + 100_000, "info", "settlement run started", root, caller="settle/run.go:33")
    t += ms(r, 0.5, 2)
    sel = n.span(tr, PAY, "SELECT settlements", CLIENT, root, t, [("db.system", "postgresql"),
                 ("db.statement", "SELECT id, payout_id, amount_cents FROM settlements WHERE state = 'open'")])
    t += ms(r, 2, 10)
    n.end(sel, t)
    lst = n.span(tr, PAY, "psp.list_payouts", CLIENT, root, t, [("http.request.method", "GET"),
                 ("url.full", "https://api.psp.example/v1/payouts?limit=100"), ("server.port", 443)])
    t += ms(r, 50, 200)
    n.end(lst, t, 0, "", 200)
    payouts = r.randrange(5, 60)
    n.log(tr, PAY, t + 20_000, "info", "fetched %d payouts" % payouts, root, {"payouts": payouts}, caller="settle/run.go:51")
    if fail == "unknown":
        t += ms(r, 1, 3)
        msg = "reconciliation mismatch: 3 payouts differ"
        n.log(tr, PAY, t, "error", "reconciliation mismatch", root, {"mismatched": 3, "iban": v.iban(grouped=False)},
              caller="settle/run.go:77")
        n.end(root, t + 100_000, 2, msg)
        tr.fail("unknown", PAY, "reconcile-settlements")
        return
    upd = n.span(tr, PAY, "UPDATE settlements", CLIENT, root, t, [("db.system", "postgresql"),
                 ("db.statement", "UPDATE settlements SET state = 'settled' WHERE id = ANY($1)")])
    t += ms(r, 2, 10)
    n.end(upd, t)
    if r.random() < 0.5 or n.small:
        n.log(tr, PAY, t + 10_000, "info", "payout to %s settled" % v.iban(grouped=True), root, caller="settle/run.go:88")
    if r.random() < 0.2 or n.small:
        # A 13-digit Luhn-valid number with no card issuer prefix: an invoice number, not a card.
        n.log(tr, PAY, t + 20_000, "info", "invoice %s issued" % v.keep("1748503543012"), root, caller="settle/invoice.go:31")
    n.log(tr, PAY, t + 30_000, "info", "settlement run finished", root, {"settled": payouts}, caller="settle/run.go:95")
    n.end(root, t + 100_000)
