"""Rate limits: fixed-window counters in Django's cache, per person and per address.

The counters live in the default cache, so they work with local memory in embedded mode (one
process) and with Redis at scale (shared by every process). Each hit is one `cache.add` (creates
the window's counter if missing) and one `cache.incr` (atomic in both backends), so two requests
never read the same count. A fixed window allows at most twice the rate across a window's edge; for
limits of a few actions a minute that is enough, and it costs two cache calls instead of a lock.

We do not use django-allauth's ratelimit module (it keeps a list of timestamps under a polling
lock, and reads its rates from allauth's own settings) nor add django-ratelimit (decorators keyed
on views, while our limits sit in services and forms and need the seconds until retry). allauth
still limits sign-in and sign-up itself; see agora/accounts/adapter.py.

Rates are written as allauth's are: "10/m/user,30/m/ip" (amount / period s, m, h or d with an
optional number, "15m" / per user or ip).
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy, ngettext

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str  # "user" or "ip"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window that refused ends (0 when allowed)
    count: int
    cache_key: str = ""

    def undo(self) -> None:
        """Take the hit back (a request another limit refused costs nothing here)."""
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(self.cache_key)


class RateLimited(ValidationError):
    """Too many of an action: a ValidationError, so forms show it and keep the text, with the wait."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, code="rate_limited")
        self.retry_after = max(1, int(retry_after))


def parse_rates(text: str) -> list[Rate]:
    rates = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        amount, period, per = part.split("/")
        number, unit = period[:-1], period[-1]
        if unit not in _UNITS or per not in {"user", "ip"}:
            raise ValueError(f"Bad rate: {part!r}")
        rates.append(Rate(int(amount), int(float(number or 1) * _UNITS[unit]), per))
    return rates


def hit(key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """Count one hit of `key` in the current window of `window` seconds; allowed while the count <= limit."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    cache_key = f"rl:{key}:{window}:{bucket}"
    # The counter outlives its window a little, so a slow clock never resets it early.
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: start again
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1
    retry_after = 0 if count <= limit else math.ceil((bucket + 1) * window - now)
    return Verdict(allowed=count <= limit, retry_after=retry_after, count=count, cache_key=cache_key)


def enabled() -> bool:
    return getattr(settings, "AGORA_RATE_LIMITS_ENABLED", True)


def wait_text(seconds: int) -> str:
    """ "3 minutes", "45 seconds", "2 hours": how long to wait, rounded up."""
    if seconds < 90:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    if seconds < 90 * 60:
        n = math.ceil(seconds / 60)
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    n = math.ceil(seconds / 3600)
    return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}


# Whole sentences, one per action, so each language words them its own way (never an English fragment).
REFUSALS = {
    "post": gettext_lazy(
        "You have posted a lot in a short time. Please wait %(wait)s and try again; what you wrote is kept."
    ),
    "edit": gettext_lazy(
        "You have edited a lot in a short time. Please wait %(wait)s and try again; what you wrote is kept."
    ),
    "flag": gettext_lazy("You have flagged a lot in a short time. Please wait %(wait)s and try again."),
    "message": gettext_lazy(
        "You have sent many messages in a short time. Please wait %(wait)s and try again; what you wrote is kept."
    ),
}
REFUSAL = gettext_lazy("You have done this a lot in a short time. Please wait %(wait)s and try again.")


def check_action(action: str, *, user, ip: str | None) -> None:
    """Count one `action` ("post", "edit", "flag", "message") by this person from this address;
    raise RateLimited (with when to retry) past any of settings.AGORA_RATE_LIMITS[action].
    Staff are not limited: they clean up spam waves in bulk."""
    if not enabled() or getattr(user, "is_staff", False):
        return
    verdicts = []
    for rate in parse_rates(settings.AGORA_RATE_LIMITS.get(action, "")):
        if rate.per == "user":
            if not getattr(user, "pk", None):
                continue
            who = f"u{user.pk}"
        else:
            if not ip:
                continue
            who = f"ip{address_block(ip)}"
        verdicts.append(hit(f"{action}:{rate.per}:{who}:{rate.amount}", limit=rate.amount, window=rate.seconds))
    refused = [v.retry_after for v in verdicts if not v.allowed]
    if refused:
        # A refused try counts against nothing: a shared address's limit never eats a person's own.
        for verdict in verdicts:
            verdict.undo()
        wait = max(refused)
        raise RateLimited(
            str(REFUSALS.get(action, REFUSAL)) % {"wait": wait_text(wait)},
            retry_after=wait,
        )


def check_flag(user, ip: str | None) -> None:
    """For the flags' views: raise RateLimited past settings.AGORA_RATE_LIMITS["flag"]."""
    check_action("flag", user=user, ip=ip)


def address_block(ip: str) -> str:
    """What an address is counted as: itself for IPv4, its /64 for IPv6 (one home or server holds a whole
    /64 and could walk through it), as allauth's limits do."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return ip


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a proxy, uvicorn (bin/serve runs it with --proxy-headers) has
    already put X-Forwarded-For's client in REMOTE_ADDR when the proxy is one of FORWARDED_ALLOW_IPS;
    reading the header here would let anyone choose their address."""
    return request.META.get("REMOTE_ADDR", "") or ""


def wants_status(request: HttpRequest) -> bool:
    """htmx and API-like clients get a bare 429 with Retry-After; browsers get the page with the message."""
    accept = request.headers.get("Accept", "")
    return bool(request.headers.get("HX-Request")) or ("application/json" in accept and "text/html" not in accept)


def mark_429(response: HttpResponse, exc: RateLimited) -> HttpResponse:
    """A response (the form with its message, for a browser) as a 429 with Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(exc.retry_after)
    return response


def response_429(exc: RateLimited) -> HttpResponse:
    response = HttpResponse(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
    return mark_429(response, exc)
