"""/api/v1/: the NinjaAPI, its error handlers (every error an RFC 9457 problem document) and its URLs.

django-ninja was chosen over DRF + drf-spectacular: its typed pydantic schemas validate input and write
the OpenAPI document from the same code, with less machinery."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from agora.core.rate_limits import RateLimited

from . import reads, writes
from .problems import Problem, from_problem, problem_response, validation_errors
from .security import guarded

DESCRIPTION = """
Read and write Agora's topics, posts, stories, events, categories, tags, people, groups, notifications and
search, with exactly the permissions of the site's pages.

**Authentication.** Anonymous callers read what visitors see. Send a personal key (made at
`/my/api-keys`, scoped *read* or *read and write*) as `Authorization: Bearer <key>`; a signed-in browser's
session works too, with Django's CSRF token in an `X-CSRFToken` header on writes. A read key writing
gets 403; an unknown or revoked key gets 401, even to read.

**Rate limits.** Per key (or per signed-in person), and per address for anonymous callers. Every answer
carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the window
resets: the three-header form of the IETF draft); past the limit, 429 with `Retry-After`.

**Pagination.** Lists take `limit` (1 to 100: a larger one is refused with 400, never clamped) and an
opaque `cursor`; the body's `next` (and the `Link: <...>; rel="next"` header) fetches the next page, and
is null at the end. Cursors walk a list without gaps or repeats while it changes.

**Errors.** Every error is an RFC 9457 problem document (`application/problem+json`: `type`, `title`,
`status`, `detail`, and `errors` for invalid input). Invalid input is 400 (never 422), including unknown
query parameters.
"""


class Docs(Swagger):
    """Swagger UI with the CSRF token, so a signed-in member can try the writes from the docs page."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api, "add_csrf": True}
        return render(request, self.template, context)


api = NinjaAPI(
    title="Agora API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    docs=Docs(settings={"persistAuthorization": False}),
    openapi_extra={"info": {"license": {"name": "AGPL-3.0-or-later"}}},
)
# Writes add their operations to the reads' router (one path, one router: /topics is read and written).
assert writes.router is reads.router
api.add_router("", reads.router)


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return from_problem(exc)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return problem_response(
        "validation", _("The request is not valid: see errors."), errors=validation_errors(exc.errors)
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        "unauthenticated",
        _("Send a key (Authorization: Bearer <key>) or sign in."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    kinds = {401: "unauthenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed", 429: "rate-limited"}
    return problem_response(kinds.get(exc.status_code, "bad-request"), str(exc), status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response("not-found", _("There is nothing here, or you may not see it."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response("forbidden", _("You may not do this here."))


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return problem_response("rate-limited", " ".join(exc.messages), headers={"Retry-After": str(exc.retry_after)})


# Refusals the services word as conflicts with the present state rather than bad input.
CONFLICT_CODES = {"twice"}


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    codes = {getattr(e, "code", None) for e in exc.error_list} if hasattr(exc, "error_list") else set()
    kind = "conflict" if codes & CONFLICT_CODES else "validation"
    errors = [{"location": "body", "detail": str(m), "code": str(c or "invalid")} for m, c in _messages(exc)]
    return problem_response(kind, " ".join(exc.messages), errors=errors)


def _messages(exc: DjangoValidationError) -> list[tuple[str, Any]]:
    if hasattr(exc, "error_list"):
        return [(" ".join(e.messages), e.code) for e in exc.error_list]
    return [(m, "invalid") for m in exc.messages]


def _unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response("not-found", _("No such address in the API: see /api/v1/docs."))


def _guarded(patterns: list[Any]) -> list[URLPattern | URLResolver]:
    out: list[URLPattern | URLResolver] = []
    for entry in patterns:
        if isinstance(entry, URLPattern):
            entry.callback = guarded(entry.callback)
        out.append(entry)
    return out


_patterns, _app, _namespace = api.urls
urlpatterns = [
    path("api/v1/", (_guarded(_patterns), _app, _namespace)),
    # Anything else under /api/v1/: a problem document, never the site's HTML 404 page.
    re_path(r"^api/v1/(?P<rest>.*)$", guarded(_unknown), name="api_unknown"),
    re_path(r"^api/v1$", guarded(_unknown), name="api_root"),
]
