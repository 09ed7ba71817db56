"""Who a Discourse-style request speaks for, and the errors as Discourse writes them.

Discourse clients send `Api-Key` and `Api-Username` headers (or `User-Api-Key`); here both kinds are our
personal keys (agora.api.models.ApiKey). A key speaks for its owner only: a named user other than the
owner is refused, as is a revoked or unknown key, a suspended owner, and a write with a read-only key.
Without a key header the session decides, and its writes need the CSRF token as every form does."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from agora.accounts.usernames import canonical_username
from agora.api.queries import api_key_for
from agora.core.rate_limits import RateLimited

# pydiscourse (and Discourse's own clients) compare the content type exactly.
CONTENT_TYPE = "application/json; charset=utf-8"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ID = 2**63 - 1


class BadRequest(Exception):
    """A parameter missing or of the wrong kind: 400 with Discourse's `invalid_parameters`."""


class NotLoggedIn(Exception):
    """An address for signed-in people asked without a session or key: 403 `not_logged_in`."""


def json_response(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = CONTENT_TYPE
    return response


def error(status: int, error_type: str, *messages: str, **extra: Any) -> JsonResponse:
    """Discourse's error document: {"errors": [...], "error_type": "..."} (plus `extras` for a 429)."""
    return json_response({"errors": [str(m) for m in messages], "error_type": error_type, **extra}, status=status)


def not_found() -> JsonResponse:
    return error(404, "not_found", _("The requested URL or resource could not be found."))


def invalid_access(message: str = "") -> JsonResponse:
    return error(403, "invalid_access", message or _("You are not permitted to view the requested resource."))


def _key_header(request: HttpRequest) -> str | None:
    return request.headers.get("Api-Key") or request.headers.get("User-Api-Key")


def _header_username(request: HttpRequest) -> str | None:
    """Api-Username as sent. Headers are Latin-1: a name in another script arrives percent-encoded (as
    clients send it) or as raw UTF-8 bytes (read back here); usernames never hold "%" themselves."""
    named = request.headers.get("Api-Username")
    if not named:
        return None
    with contextlib.suppress(UnicodeError):
        named = named.encode("latin-1").decode("utf-8")
    return unquote(named)


def _authenticate(request: HttpRequest) -> JsonResponse | None:
    """Put the key's owner in request.user when a key is sent; a refusal when it may not be used."""
    raw = _key_header(request)
    if raw is None:
        request.discourse_key = None  # type: ignore[attr-defined]
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            # The session writes like a form: with its CSRF token (X-CSRFToken), never without.
            refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
            if refused is not None:
                return error(403, "invalid_access", "BAD CSRF")
        return None
    key = api_key_for(raw)
    named = _header_username(request)
    if key is None or (named and canonical_username(named) != key.user.username_canonical):
        return invalid_access(
            _("You are not permitted to view the requested resource. The API username or key is invalid.")
        )
    if key.user.is_suspended:
        return invalid_access(_("This account is suspended."))
    if request.method not in SAFE_METHODS and not key.can_write:
        return invalid_access(_("This API key may only read."))
    request.user = key.user
    request.discourse_key = key  # type: ignore[attr-defined]
    return None


def endpoint(*methods: str, signed_in: bool = False, action: str = "") -> Callable:
    """A Discourse-compatible view: the methods it answers, authentication by key or session, and every
    refusal as Discourse's JSON error (never an HTML page, never a 500 for bad input). `action` names a
    write in its 422 document, as Discourse's ({"action": "create_post", "errors": [...]})."""
    allowed = {m.upper() for m in methods}

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # checked in _authenticate for the session, not for keys (they are not cookies)
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed | ({"HEAD"} if "GET" in allowed else set()):
                response = error(
                    405,
                    "invalid_parameters",
                    _("This address does not answer %(method)s.") % {"method": request.method},
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
                return not_found()  # no row has such an id, and the database would refuse to compare it
            refused = _authenticate(request)
            if refused is not None:
                return refused
            try:
                if signed_in and not request.user.is_authenticated:
                    raise NotLoggedIn
                return view(request, *args, **kwargs)
            except Http404:
                return not_found()
            except NotLoggedIn:
                return error(403, "not_logged_in", _("You need to be logged in to do that."))
            except PermissionDenied as exc:
                return invalid_access(str(exc))
            except BadRequest as exc:
                return error(400, "invalid_parameters", str(exc))
            except RateLimited as exc:
                response = error(
                    429,
                    "rate_limit",
                    *exc.messages,
                    extras={"wait_seconds": exc.retry_after, "time_left": str(exc.retry_after)},
                )
                response["Retry-After"] = str(exc.retry_after)
                return response
            except ValidationError as exc:
                return json_response({"action": action or view.__name__, "errors": exc.messages}, status=422)

        return wrapped

    return wrap


# --- parameters ------------------------------------------------------------------------------


def body_params(request: HttpRequest) -> dict[str, Any]:
    """A write's parameters, form-encoded or JSON (Discourse takes both): one flat dict, lists kept for
    `name[]` keys."""
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise BadRequest(_("The body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise BadRequest(_("The body must be a JSON object."))
        return data
    if request.method == "POST":
        form = request.POST
    else:  # Django parses POST bodies only
        from django.http import QueryDict

        if content_type not in ("", "application/x-www-form-urlencoded"):
            raise BadRequest(_("Send the parameters form-encoded or as JSON."))
        try:
            form = QueryDict(request.body, encoding=request.encoding)
        except UnicodeDecodeError:
            raise BadRequest(_("The body is not valid UTF-8.")) from None
    return {key: (form.getlist(key) if key.endswith("[]") else form.get(key)) for key in form}


def text_param(data: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    """A string parameter (numbers are taken as their text); None when absent or empty."""
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
        raise BadRequest(_("The parameter %(name)s must be text.") % {"name": name})
    text = "" if value is None else str(value)
    if not text.strip():
        if required:
            raise BadRequest(_("param is missing or the value is empty: %(name)s") % {"name": name})
        return None
    return text


def int_param(data: Any, name: str, *, required: bool = False, minimum: int = 0) -> int | None:
    """A whole-number parameter; 400 when it is something else or out of range."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise BadRequest(_("param is missing or the value is empty: %(name)s") % {"name": name})
        return None
    if isinstance(value, bool):
        raise BadRequest(_("The parameter %(name)s must be a whole number.") % {"name": name})
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 12:
        number = int(value.strip())
    else:
        raise BadRequest(_("The parameter %(name)s must be a whole number.") % {"name": name})
    if number < minimum or number > MAX_ID:
        raise BadRequest(_("The parameter %(name)s is out of range.") % {"name": name})
    return number
