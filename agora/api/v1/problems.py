"""RFC 9457 problem documents: every refusal of the API is one, with a stable `type` per kind of error."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_TYPE_BASE = "/api/v1/problems/"
CONTENT_TYPE = "application/problem+json"

# The title of each kind of problem, by status; `type` names the kind (a URI relative to the site).
TITLES: dict[str, tuple[int, Any]] = {
    "bad-request": (400, _("Bad request")),
    "validation": (400, _("The request is not valid")),
    "bad-cursor": (400, _("The cursor is not valid")),
    "unknown-parameter": (400, _("Unknown query parameter")),
    "unauthenticated": (401, _("Authentication required")),
    "invalid-key": (401, _("The API key is not valid")),
    "forbidden": (403, _("Forbidden")),
    "read-only-key": (403, _("This API key may only read")),
    "csrf": (403, _("CSRF check failed")),
    "not-found": (404, _("Not found")),
    "method-not-allowed": (405, _("Method not allowed")),
    "conflict": (409, _("Conflict")),
    "rate-limited": (429, _("Too many requests")),
}


class Problem(Exception):
    """Raise from anywhere in the API to answer with a problem document."""

    def __init__(
        self,
        kind: str,
        detail: str = "",
        *,
        status: int | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.status = status or TITLES.get(kind, (400, ""))[0]
        self.detail = str(detail)
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    kind: str,
    detail: str = "",
    *,
    status: int | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    default_status, title = TITLES.get(kind, (status or 400, _("Error")))
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + kind,
        "title": str(title),
        "status": status or default_status,
        "detail": str(detail) or str(title),
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=body["status"], content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_problem(exc: Problem) -> HttpResponse:
    return problem_response(exc.kind, exc.detail, status=exc.status, errors=exc.errors, headers=exc.headers)


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ninja's (pydantic's) errors as the problem's `errors`: where (a JSON pointer-ish path) and what."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        out.append({"location": "/".join(loc), "detail": str(error.get("msg", "")), "code": str(error.get("type", ""))})
    return out


def form_errors(form: Any) -> list[dict[str, Any]]:
    """A Django form's errors in the same shape (the form's own sentences, already translated)."""
    return [
        {"location": "body/" + field if field != "__all__" else "body", "detail": str(message), "code": "invalid"}
        for field, messages in form.errors.items()
        for message in messages
    ]
