"""Logs outside any trace: start-up lines (with the secrets services like to print), health checks, pool
stats; and the malformed lines a real night leaves behind (records cut off mid-write)."""

from .night import CHECKOUT, NOTIFY, ORDER, PAY, USER, WORKER

SERVICES = [ORDER, USER, PAY, WORKER, CHECKOUT, NOTIFY]


def startup(n, t):
    """What each service prints when it starts; several lines carry credentials."""
    v = n.values
    n.uncorrelated(ORDER, t, "info", "connecting to database", {"url": "postgres://orders_app:%s@db-primary.shop.internal:5432/orders"
                                                                % n.password(ORDER)})
    n.uncorrelated(ORDER, t + 40_000_000, "info", "order-service v%s listening on port %s" % (v.version("3.14.2"), v.port(8080)))
    n.uncorrelated(USER, t + 5_000_000, "info", "loading config from https://x-access-token:%s@github.com/shop/config.git"
                   % v.github_token())
    n.uncorrelated(USER, t + 60_000_000, "info", "token cache refreshed; next refresh at %s" % v.epoch_ms(t + 3_600_000_000_000 + n.rng.randrange(10 ** 9)))
    n.uncorrelated(PAY, t + 7_000_000, "info", "psp client configured", {"psp_api_key": v.stripe_key(), "base_url": "https://api.psp.example",
                                                                         "timeout": "3s"}, caller="psp/client.go:40")
    n.uncorrelated(PAY, t + 9_000_000, "info", "listening", {"addr": ":%s" % v.port(8443), "version": v.version("v1.22.7")},
                   caller="cmd/server/main.go:58")
    n.uncorrelated(WORKER, t + 11_000_000, "info", "exporting snapshots to s3://inventory-exports using access key %s" % v.aws_key(),
                   caller="exports.py:21", logger="inventory.exports")
    n.uncorrelated(WORKER, t + 12_000_000, "info", "loaded pricing rules bundle sha256=%s" % v.sha256(), caller="rules.py:12",
                   logger="inventory.rules")
    n.uncorrelated(CHECKOUT, t + 13_000_000, "info", "feature flags loaded (etag %s)" % v.md5(), {"flags": 42})
    n.uncorrelated(NOTIFY, t + 15_000_000, "info", "[main] Slack alerts enabled for #shop-oncall with token %s" % v.slack_token(),
                   logger="c.s.n.AlertConfig#29", pod=0)
    for pod in (0, 1):
        n.uncorrelated(NOTIFY, t + 4_213_000_000, "info", "[main] Started NotificationApplication in 4.213 seconds (process running for 4.9)",
                       logger="c.s.n.NotificationApplication#61", pod=pod)


def tick(n, t, service, pod=0):
    """One routine line of `service` with no trace context."""
    r = n.rng
    if service == ORDER:
        n.uncorrelated(ORDER, t, "info", "request completed", {"req": {"method": "GET", "url": "/healthz",
                       "remoteAddress": "::ffff:10.0.0.1"}, "res": {"statusCode": 200}, "responseTime": r.randrange(1, 3)})
    elif service == USER:
        n.uncorrelated(USER, t, "info", "cache stats", {"hits": r.randrange(1000, 90000), "misses": r.randrange(10, 900)})
    elif service == PAY:
        n.uncorrelated(PAY, t, "debug", "metrics flushed", {"series": r.randrange(200, 400)}, caller="metrics/flush.go:27")
    elif service == WORKER:
        n.uncorrelated(WORKER, t, "info", "heartbeat: queue inventory.reserve depth=%d" % r.randrange(0, 40), caller="worker.py:130")
    elif service == CHECKOUT:
        n.uncorrelated(CHECKOUT, t, "info", "health check ok", {"http": {"status_code": 200, "url_details": {"path": "/health"}}})
    else:
        n.uncorrelated(NOTIFY, t, "info", "[HikariPool-1 housekeeper] HikariPool-1 - Pool stats (total=10, active=%d, idle=%d, waiting=0)"
                       % (a := r.randrange(0, 4), 10 - a), logger="c.z.h.p.HikariPool#421", pod=pod)


def malformed(n, t, service, pod=0):
    """A record cut off mid-write, with personal data before the cut."""
    v = n.values
    if service == ORDER:
        card, email = v.card(), v.email()
        n.malformed(ORDER, t, "warn", "payment declined for card %s (customer %s)" % (card, email), email)
    elif service == USER:
        ssn = v.ssn()
        n.malformed(USER, t, "info", "profile updated", ssn, extra={"user": {"email": v.email(), "ssn": ssn}})
    elif service == PAY:
        iban = v.iban()
        n.malformed(PAY, t, "info", "refund issued", iban, extra={"card": v.card(style=0), "iban": iban})
    elif service == CHECKOUT:
        phone = v.phone()
        n.malformed(CHECKOUT, t, "info", "sms receipt sent to %s" % phone, phone)
    elif service == NOTIFY:
        phone = v.phone()
        n.malformed(NOTIFY, t, "info", "[smsFallback] texting %s about order delay" % phone, phone, pod=pod,
                    reason="truncated Docker json-file line")
