"""Moderator pages about people: a person's moderator panel (/u/<username>/moderate) and the staff action
log (/review/log). Thin: parse a form, check who may, call people.py, render or redirect."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora import permissions
from agora.accounts.models import User
from agora.accounts.queries import get_active_user_by_url_name
from agora.core.pagination import page_number, peek_page
from agora.discuss import queries as discuss_queries

from . import people
from .log_queries import LogFilters, annotate_entries, filtered_log, log_about, reads_log
from .people_forms import DeleteForm, LiftForm, LogFilterForm, PenaltyForm, WarnForm

# How many other accounts from the same addresses the panel lists (it says how many there are in all).
SAME_IP_LIST = 50


def _moderator_only(request: HttpRequest) -> HttpResponse | None:
    """Visitors log in; site moderators and staff pass; group moderators are told these pages are not
    theirs (403); other members get the 404 of a page that is not there for them."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if reads_log(user):
        return None
    if permissions.access_for(user).moderated_category_ids:
        raise PermissionDenied(
            _(
                "Group moderators look after the posts in their group's categories; "
                "acting on people and the staff action log are for site moderators and staff."
            )
        )
    raise Http404


# --- a person's panel --------------------------------------------------------------------


def _why_not(viewer: Any, person: User) -> str:
    if viewer.pk == person.pk:
        return _("This is you: nobody acts on themselves here.")
    if person.is_staff:
        return _("Staff cannot be warned, silenced, suspended or deleted here.")
    return _("Only staff act on another moderator.")


def _other_accounts(person: User) -> tuple[int, list[User]]:
    addresses = [ip for ip in (person.registration_ip, person.last_ip) if ip]
    if not addresses:
        return 0, []
    qs = User.objects.filter(Q(registration_ip__in=addresses) | Q(last_ip__in=addresses)).exclude(pk=person.pk)
    accounts = list(qs.order_by("-date_joined")[: SAME_IP_LIST + 1])
    count = len(accounts) if len(accounts) <= SAME_IP_LIST else qs.count()
    return count, accounts[:SAME_IP_LIST]


FORMS = {
    "warn": lambda data, person: WarnForm(data, prefix="warn"),
    "silence": lambda data, person: PenaltyForm(data, prefix="silence"),
    "unsilence": lambda data, person: LiftForm(data, prefix="unsilence"),
    "suspend": lambda data, person: PenaltyForm(data, prefix="suspend"),
    "unsuspend": lambda data, person: LiftForm(data, prefix="unsuspend"),
    "delete": lambda data, person: DeleteForm(data, prefix="delete", person=person),
}

DONE = {
    "warn": gettext_lazy("The warning was sent."),
    "silence": gettext_lazy("%(name)s is silenced."),
    "unsilence": gettext_lazy("%(name)s may post again."),
    "suspend": gettext_lazy("%(name)s is suspended; their sessions have ended."),
    "unsuspend": gettext_lazy("%(name)s may sign in again."),
    "delete": gettext_lazy("The account was deleted; it is now %(name)s."),
}


def _apply(tool: str, *, actor: Any, person: User, data: dict[str, Any]) -> str:
    """Run one tool; returns the name to use in the success message."""
    if tool == "warn":
        people.user_warn(actor=actor, user=person, message=data["message"])
    elif tool == "silence":
        people.user_silence(actor=actor, user=person, until=data["until"], reason=data["reason"])
    elif tool == "unsilence":
        people.user_unsilence(actor=actor, user=person, reason=data["reason"])
    elif tool == "suspend":
        people.user_suspend(actor=actor, user=person, until=data["until"], reason=data["reason"])
    elif tool == "unsuspend":
        people.user_unsuspend(actor=actor, user=person, reason=data["reason"])
    else:
        return people.user_delete(actor=actor, user=person, delete_posts=data["delete_posts"], reason=data["reason"])
    return person.username


def person_panel(request: HttpRequest, username: str) -> HttpResponse:
    """GET: the person's standing, their log and the tools. POST (tool=...): one tool, then back here."""
    refused = _moderator_only(request)
    if refused is not None:
        return refused
    viewer = request.user
    person = get_active_user_by_url_name(username)
    can_act = permissions.can_moderate_user(viewer, person)
    forms = {tool: make(None, person) for tool, make in FORMS.items()}
    status = 200
    if request.method == "POST":
        tool = request.POST.get("tool", "")
        if tool not in FORMS:
            raise Http404
        if not can_act or (tool == "delete" and not viewer.is_staff):
            raise PermissionDenied(_why_not(viewer, person) if not can_act else _("Only staff may delete an account."))
        form = FORMS[tool](request.POST, person)
        forms[tool] = form
        if form.is_valid():
            try:
                name = _apply(tool, actor=viewer, person=person, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, DONE[tool] % {"name": name})
                if tool == "delete":
                    return redirect(f"/review/log?subject={name}")
                return redirect(f"{person.get_absolute_url()}/moderate")
        status = 400
    context = {
        "person": person,
        "can_act": can_act,
        "why_not": "" if can_act else _why_not(viewer, person),
        "forms": forms,
        "counts": discuss_queries.user_counts(viewer, person),
        "entries": log_about(viewer, person),
        "shows_ips": viewer.is_staff,
    }
    if viewer.is_staff:
        context["same_ip_count"], context["same_ip_accounts"] = _other_accounts(person)
    return render(request, "moderation/person.html", context, status=status)


# --- the staff action log ----------------------------------------------------------------


def action_log_page(request: HttpRequest) -> HttpResponse:
    """Who did what to which object, when and why; filtered by a GET form; read-only (GET only)."""
    refused = _moderator_only(request)
    if refused is not None:
        return refused
    if request.method not in ("GET", "HEAD"):
        # Append-only: there is nothing to post, edit or delete here.
        return HttpResponse(_("The staff action log is read-only."), status=405, headers={"Allow": "GET, HEAD"})
    form = LogFilterForm(request.GET or None)
    filters = LogFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = LogFilters(
            action=data["action"],
            actor=data["actor"],
            subject=data["subject"],
            since=data["since"],
            until=data["until"],
        )
    elif form.is_bound:
        # A bad filter is named beside its field, and the others still apply.
        data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        filters = LogFilters(
            action=data.get("action", ""),
            actor=data.get("actor"),
            subject=data.get("subject"),
            since=data.get("since"),
            until=data.get("until"),
        )
        if "actor" in form.errors or "subject" in form.errors:
            # An unknown name matches nothing: show nothing rather than everything.
            filters = None
    if filters is None:
        page = peek_page(filtered_log(request.user, LogFilters()).none(), 1, settings.AGORA_TOPICS_PER_PAGE)
    else:
        page = peek_page(filtered_log(request.user, filters), page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    annotate_entries(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "moderation/log.html", {"form": form, "page": page, "query": query.urlencode()})
