"""Who is calling, what they may do, and how often: API keys and the session, scopes, rate limits.

Every API view is wrapped by `guarded`: it reads the caller once (a `Bearer` key, else the session, else
an anonymous visitor), counts the request against the caller's limit, answers 401/429 itself, and
puts the RateLimit-* headers on every answer. The ninja auth classes below then only check what the
wrapper found: a write needs a write-scoped key, or a signed-in session with a CSRF token."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from agora.api.queries import api_key_for
from agora.core import rate_limits

from .problems import CONTENT_TYPE, Problem, from_problem, problem_response

MAX_ID = 2**63 - 1
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class ApiRate:
    amount: int
    seconds: int


def parse_rate(text: str) -> ApiRate:
    """ "120/m", "1000/h", "30/5m": so many requests per window."""
    amount, period = text.strip().split("/")
    number, unit = period[:-1], period[-1]
    if unit not in _UNITS:
        raise ValueError(f"Bad API rate: {text!r}")
    return ApiRate(int(amount), int(float(number or 1) * _UNITS[unit]))


def caller(request: HttpRequest) -> Any:
    """The person the request speaks for (the key's owner, the session's user, or AnonymousUser)."""
    return getattr(request, "api_user", request.user)


def identify(request: HttpRequest) -> None:
    """Read the caller: a presented key must be valid (else 401, even to read: a client with a revoked key
    should learn it at once, not read as a visitor)."""
    request.api_key = None  # type: ignore[attr-defined]
    request.api_user = request.user  # type: ignore[attr-defined]
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _space, token = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="api"'}
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem("invalid-key", _("Send your key as “Authorization: Bearer <key>”."), headers=challenge)
    key = api_key_for(token.strip())
    if key is None:
        raise Problem(
            "invalid-key",
            _("This key is unknown or has been revoked. Make a new one at /my/api-keys."),
            headers=challenge,
        )
    request.api_key = key  # type: ignore[attr-defined]
    request.api_user = key.user  # type: ignore[attr-defined]


def _limit_for(request: HttpRequest) -> tuple[str, ApiRate]:
    key = getattr(request, "api_key", None)
    user = caller(request)
    if key is not None:
        return f"key{key.pk}", parse_rate(settings.AGORA_API_RATE_LIMIT)
    if user.is_authenticated:
        return f"user{user.pk}", parse_rate(settings.AGORA_API_RATE_LIMIT)
    block = rate_limits.address_block(rate_limits.client_ip(request))
    return f"ip{block}", parse_rate(settings.AGORA_API_RATE_LIMIT_ANONYMOUS)


def _count(request: HttpRequest) -> dict[str, str]:
    """Count this request; the RateLimit-* headers to send (draft-ietf-httpapi-ratelimit-headers, the
    three-header form); raise a 429 problem past the limit."""
    if not rate_limits.enabled():
        return {}
    who, rate = _limit_for(request)
    now = time.time()
    verdict = rate_limits.hit(f"api:{who}", limit=rate.amount, window=rate.seconds, now=now)
    reset = max(1, math.ceil((int(now // rate.seconds) + 1) * rate.seconds - now))
    headers = {
        "RateLimit-Limit": str(rate.amount),
        "RateLimit-Remaining": str(max(rate.amount - verdict.count, 0)),
        "RateLimit-Reset": str(reset),
    }
    if not verdict.allowed:
        raise Problem(
            "rate-limited",
            _("This key (or address) has made %(n)d requests in %(s)d seconds. Try again in %(wait)d seconds.")
            % {"n": rate.amount, "s": rate.seconds, "wait": verdict.retry_after},
            headers={**headers, "Retry-After": str(verdict.retry_after)},
        )
    return headers


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap one of ninja's URL views: identify, count, and keep every answer a problem document or JSON."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        headers: dict[str, str] = {}
        if any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in kwargs.values()):
            return problem_response("not-found")  # no row has that id, and the database could not even look
        refused: Problem | None = None
        try:
            identify(request)
        except Problem as exc:
            # A bad key is counted against the address, as an anonymous request: guessing costs the same.
            request.api_key = None  # type: ignore[attr-defined]
            request.api_user = AnonymousUser()  # type: ignore[attr-defined]
            refused = exc
        try:
            headers = _count(request)
        except Problem as exc:
            return from_problem(exc)
        if refused is not None:
            refused.headers.update(headers)
            return from_problem(refused)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != CONTENT_TYPE:
            allow = response.get("Allow", "")
            response = problem_response(
                "method-not-allowed",
                _("This address answers %(methods)s.") % {"methods": allow},
                headers={"Allow": allow},
            )
        for name, value in headers.items():
            response[name] = value
        link = getattr(request, "api_link", None)
        if link and response.status_code == 200:
            response["Link"] = f'<{link}>; rel="next"'
        return response

    return wrapped


class KeyAuth(HttpBearer):
    """`Authorization: Bearer <key>`, a personal key made at /my/api-keys. Keys scoped to reading get 403
    on writes."""

    def __init__(self, *, write: bool) -> None:
        super().__init__()
        self.write = write

    def __call__(self, request: HttpRequest) -> Any:
        key = getattr(request, "api_key", None)
        if key is None:
            return None
        if self.write and not key.can_write:
            raise Problem("read-only-key", _("This key may only read. Make a key that may write at /my/api-keys."))
        return key.user

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover - __call__ decides
        return None


class SessionCsrfAuth(APIKeyCookie):
    """A signed-in browser's session; writes need Django's CSRF token (X-CSRFToken header and cookie)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if getattr(request, "api_key", None) is not None or not request.user.is_authenticated:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise Problem("csrf", _("Send the CSRF token (the csrftoken cookie) in an X-CSRFToken header."))
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - __call__ decides
        return None


WRITE_AUTH = [KeyAuth(write=True), SessionCsrfAuth()]
# Reads of one's own things (notifications): a key of either scope, or the session (no CSRF to read).
SIGNED_IN_AUTH = [KeyAuth(write=False), SessionCsrfAuth(csrf=False)]
# Reads: the same two, or nobody (an anonymous visitor reads what visitors see). Documented only: the
# wrapper has already identified the caller.
READ_SECURITY: list[dict[str, list[str]]] = [{"KeyAuth": []}, {"SessionCsrfAuth": []}, {}]
