"""Planted personal data and the ID-like look-alikes that must survive scrubbing.

Every value a flow writes into the night comes from `Values`, so the generator knows exactly
what it planted (`planted`) and which look-alikes it wrote (`survivors`). Values are fake but
shape-correct: cards pass Luhn, IBANs pass mod-97, keys have their vendor's prefix and length.
"""

import base64
import json

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64URL = ALNUM + "-_"
FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
         "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "wendy", "zoe"]
LAST = ["smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "anderson", "thomas", "moore",
        "martin", "lee", "walker", "young", "king", "wright", "scott", "green", "baker", "adams"]
DOMAINS = ["example.com", "example.org", "mail.example.net", "shop-customer.example", "example.co.uk"]


def luhn_check_digit(payload):
    """The digit that makes `payload + digit` pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = ord(ch) - 48
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return chr(48 + (10 - total % 10) % 10)


def luhn_valid(number):
    digits = number.replace(" ", "").replace("-", "")
    return luhn_check_digit(digits[:-1]) == digits[-1]


class Values:
    """Makes values from a seeded random source; records them when `record` is on (fixture mode)."""

    def __init__(self, rng, record):
        self.rng = rng
        self.record = record
        self.planted = []
        self.survivors = []
        self._planted_seen = set()
        self._survivors_seen = set()

    # MARK: - bookkeeping

    def plant(self, value):
        if self.record and value not in self._planted_seen:
            self._planted_seen.add(value)
            self.planted.append(value)
        return value

    def keep(self, value):
        if self.record and value not in self._survivors_seen:
            self._survivors_seen.add(value)
            self.survivors.append(value)
        return value

    def _chars(self, alphabet, n):
        r = self.rng
        return "".join(alphabet[r.randrange(len(alphabet))] for _ in range(n))

    def _digits(self, n):
        return "%0*d" % (n, self.rng.randrange(10 ** n))

    # MARK: - personal data (planted: must never reach the database)

    def email(self, plant=True):
        r = self.rng
        first, last = FIRST[r.randrange(len(FIRST))], LAST[r.randrange(len(LAST))]
        sep = "._"[r.randrange(2)]
        value = "%s%s%s%d@%s" % (first, sep, last, r.randrange(10, 999), DOMAINS[r.randrange(len(DOMAINS))])
        return self.plant(value) if plant else value

    def card(self, style=None):
        """A Luhn-valid card number of a major brand, plain, spaced or dashed."""
        r = self.rng
        brand = r.randrange(4)
        if brand == 0:
            body = "4" + self._digits(14)
        elif brand == 1:
            body = "5" + str(r.randrange(1, 6)) + self._digits(13)
        elif brand == 2:
            body = "6011" + self._digits(11)
        else:
            body = "3" + "47"[r.randrange(2)] + self._digits(12)  # Amex, 15 digits
        number = body + luhn_check_digit(body)
        style = style if style is not None else r.randrange(3)
        if style and len(number) == 16:
            sep = " " if style == 1 else "-"
            number = sep.join(number[i:i + 4] for i in range(0, 16, 4))
        elif style and len(number) == 15:
            sep = " " if style == 1 else "-"
            number = number[:4] + sep + number[4:10] + sep + number[10:]
        return self.plant(number)

    def phone(self):
        r = self.rng
        kind = r.randrange(4)
        if kind == 0:
            value = "+1%d555%s" % (r.randrange(201, 989), self._digits(4))
        elif kind == 1:
            value = "(%d) 555-%s" % (r.randrange(201, 989), self._digits(4))
        elif kind == 2:
            value = "+44 20 7946 %s" % self._digits(4)
        else:
            value = "090-%s-%s" % (self._digits(4), self._digits(4))
        return self.plant(value)

    def ipv4(self):
        r = self.rng
        net = ["203.0.113", "198.51.100", "192.0.2"][r.randrange(3)]
        return self.plant("%s.%d" % (net, r.randrange(11, 250)))

    def ipv6(self):
        r = self.rng
        return self.plant("2001:db8:%x:%x::%x:%x" % (r.randrange(0x100, 0xffff), r.randrange(0x100, 0xffff),
                                                     r.randrange(0x100, 0xffff), r.randrange(0x100, 0xffff)))

    def iban(self, grouped=None):
        r = self.rng
        bban = self._digits(18)
        numeric = "".join(str(int(c, 36)) for c in bban + "DE00")
        check = 98 - int(numeric) % 97
        value = "DE%02d%s" % (check, bban)
        grouped = r.randrange(2) if grouped is None else grouped
        if grouped:
            value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
        return self.plant(value)

    def ssn(self):
        r = self.rng
        return self.plant("%03d-%02d-%04d" % (r.randrange(101, 665), r.randrange(1, 99), r.randrange(1, 9999)))

    def jwt(self, email=None):
        r = self.rng
        header = b'{"alg":"HS256","typ":"JWT"}'
        claims = {"sub": self.uuid(keep=False), "iat": 1795300000 + r.randrange(80000), "scope": "orders:read"}
        if email:
            claims["email"] = email
        payload = json.dumps(claims, separators=(",", ":")).encode()
        enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
        return self.plant("%s.%s.%s" % (enc(header), enc(payload), self._chars(B64URL, 43)))

    def bearer(self):
        """An opaque bearer token (the value after `Bearer `)."""
        return self.plant(self._chars(B64URL, 40))

    def aws_key(self):
        return self.plant("AKIA" + self._chars(UPPER32, 16))

    def github_token(self):
        return self.plant("ghp_" + self._chars(ALNUM, 36))

    def slack_token(self):
        return self.plant("xoxb-%s-%s-%s" % (self._digits(12), self._digits(13), self._chars(ALNUM, 24)))

    def stripe_key(self):
        return self.plant("sk_live_" + self._chars(ALNUM, 24))

    def password(self):
        r = self.rng
        words = ["Tr0ub4dor", "c0rrectH0rse", "Winter2026", "s3cr3tSauce", "P4ssw0rd", "hunter2x", "Zq9vLm2p"]
        return self.plant("%s-%s%d" % (words[r.randrange(len(words))], self._chars(ALNUM, 4), r.randrange(10, 99)))

    # MARK: - look-alikes (kept: must survive scrubbing intact)

    def uuid(self, keep=True):
        r = self.rng
        value = "%08x-%04x-4%03x-%x%03x-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(12),
                                                  8 + r.randrange(4), r.getrandbits(12), r.getrandbits(48))
        return self.keep(value) if keep else value

    def sha256(self):
        return self.keep("%064x" % self.rng.getrandbits(256))

    def md5(self):
        return self.keep("%032x" % self.rng.getrandbits(128))

    def order_number(self):
        """A 16-digit order number that starts like a Visa/Mastercard number but fails Luhn."""
        body = "4" + self._digits(14) if self.rng.randrange(2) else "5" + str(self.rng.randrange(1, 6)) + self._digits(13)
        bad = chr(48 + (ord(luhn_check_digit(body)) - 48 + 1 + self.rng.randrange(9)) % 10)
        return self.keep(body + bad)

    def epoch_ms(self, t_ns):
        return self.keep(str(t_ns // 1_000_000))

    def version(self, value):
        return self.keep(value)

    def port(self, value):
        return self.keep(str(value))

    def decimal_id(self, value):
        """A Datadog decimal ID, kept only where no card rule could mistake it (20 digits or Luhn-invalid)."""
        text = str(value)
        if len(text) == 20 or not luhn_valid(text):
            self.keep(text)
        return text
