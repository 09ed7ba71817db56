"""Group pages (/g, /g/<name> and its members, requests, invitations and settings) and the buttons on them.

Thin: parse a form, fetch the group through the permission module (404 when the viewer may not know it
exists, 403 when they may see it but not do this), call a service, then redirect with a notice, or show
the page again with the error and status 400.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.core.pagination import page_number
from agora.core.translation_pages import translations_page

from . import queries, services
from .forms import (
    AddMemberForm,
    DeclineForm,
    GroupCreateForm,
    GroupForm,
    InvitationForm,
    JoinRequestForm,
    RoleForm,
)
from .models import Group, JoinRequest


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _manage_denied() -> PermissionDenied:
    return PermissionDenied(_("Only the group's owners may do that."))


def _require(request: HttpRequest, action: str, group: Group) -> None:
    """403 with a reason when the viewer, who sees the group, may not do `action` to it."""
    if action == "manage" and not permissions.can(request.user, "manage", group):
        raise _manage_denied()
    if action == "see_members" and not permissions.can(request.user, "see_members", group):
        raise PermissionDenied(
            _("The members of this group are shown only to some people, and you are not one of them.")
        )


def _group_for(request: HttpRequest, name: str, action: str = "see") -> Group:
    """The group, or 404 (hidden or missing, alike); 403 with a reason when the action is refused."""
    group = permissions.get_group_for_user(request.user, name)
    _require(request, action, group)
    return group


def group_post(action: str = "see") -> Callable:
    """A POST-only button on a group's pages: 404 for a group the viewer may not know of, visitors are
    sent to log in, then 403 when the action is refused."""

    def decorator(view: Callable) -> Callable:
        @require_POST
        @wraps(view)
        def wrapper(request: HttpRequest, name: str, **kwargs) -> HttpResponse:
            group = _group_for(request, name)  # 404 first: a hidden group and a missing one answer alike
            if not request.user.is_authenticated:
                return redirect_to_login(group.get_absolute_url())
            _require(request, action, group)
            return view(request, group, **kwargs)

        return wrapper

    return decorator


# --- the list and the group page -------------------------------------------------------------


def group_list(request: HttpRequest) -> HttpResponse:
    rows = queries.groups_for_list(request.user)
    can_create = request.user.is_authenticated and request.user.is_staff
    return render(request, "groups/list.html", {"rows": rows, "can_create": can_create})


def _detail(request: HttpRequest, group: Group, *, status: int = 200, errors=(), request_form=None) -> HttpResponse:
    viewer = request.user
    membership = permissions.membership_of(viewer, group)
    sees_members = permissions.can(viewer, "see_members", group)
    can_manage = permissions.can(viewer, "manage", group)
    categories = queries.group_categories(viewer, group)
    my_request = None if membership or group.automatic else queries.viewer_request(viewer, group)
    pending = my_request if my_request and my_request.status == JoinRequest.Status.PENDING else None
    declined = my_request if my_request and my_request.status == JoinRequest.Status.DECLINED else None
    context = {
        "group": group,
        "membership": membership,
        "owners": queries.group_owners(group),
        "sees_members": sees_members,
        "members": queries.members_preview(group) if sees_members and not group.automatic else [],
        "categories": categories,
        "topics": queries.recent_topics(viewer, categories),
        "welcome": queries.welcome_topic(viewer, group),
        "can_join": permissions.can(viewer, "join", group),
        "can_ask": permissions.can(viewer, "ask_to_join", group) and pending is None,
        "can_leave": permissions.can(viewer, "leave", group),
        "can_manage": can_manage,
        "pending_request": pending,
        "declined_request": declined,
        "pending_count": queries.pending_request_count(group) if can_manage and not group.automatic else 0,
        "request_form": request_form or JoinRequestForm(),
        "errors": errors,
    }
    return render(request, "groups/detail.html", context, status=status)


def group_detail(request: HttpRequest, name: str) -> HttpResponse:
    return _detail(request, _group_for(request, name))


@group_post()
def group_join(request: HttpRequest, group: Group) -> HttpResponse:
    try:
        services.group_join(user=request.user, group=group)
    except ValidationError as exc:
        return _detail(request, group, status=400, errors=_errors(exc))
    messages.success(request, _("Welcome: you joined the group."))
    return redirect(group.get_absolute_url())


@group_post()
def group_leave(request: HttpRequest, group: Group) -> HttpResponse:
    if not permissions.can(request.user, "leave", group):
        raise PermissionDenied(_("You are not a member of this group."))
    try:
        services.group_leave(user=request.user, group=group)
    except ValidationError as exc:
        return _detail(request, group, status=400, errors=_errors(exc))
    messages.success(request, _("You left the group."))
    # A hidden group is gone from view once left: go to the list.
    if permissions.can(request.user, "see", group):
        return redirect(group.get_absolute_url())
    return redirect("groups:list")


@group_post()
def join_request_create(request: HttpRequest, group: Group) -> HttpResponse:
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _detail(request, group, status=400, request_form=form)
    try:
        services.join_request_create(user=request.user, group=group, message=form.cleaned_data["message"])
    except ValidationError as exc:
        return _detail(request, group, status=400, errors=_errors(exc), request_form=form)
    messages.success(request, _("Your request was sent to the group's owners."))
    return redirect(group.get_absolute_url())


@group_post()
def join_request_withdraw(request: HttpRequest, group: Group) -> HttpResponse:
    pending = queries.viewer_request(request.user, group)
    if pending is None or pending.status != JoinRequest.Status.PENDING:
        return _detail(request, group, status=400, errors=[_("You have no request waiting for this group.")])
    services.join_request_withdraw(user=request.user, join_request=pending)
    messages.success(request, _("Your request was withdrawn."))
    return redirect(group.get_absolute_url())


# --- members ---------------------------------------------------------------------------------


def _members(request: HttpRequest, group: Group, *, status: int = 200, errors=(), add_form=None) -> HttpResponse:
    can_manage = permissions.can(request.user, "manage", group)
    context = {
        "group": group,
        "page": queries.members_page(group, page_number(request)) if not group.automatic else None,
        "can_manage": can_manage,
        "add_form": add_form or AddMemberForm(),
        "errors": errors,
    }
    return render(request, "groups/members.html", context, status=status)


def members(request: HttpRequest, name: str) -> HttpResponse:
    return _members(request, _group_for(request, name, "see_members"))


@group_post("manage")
def member_add(request: HttpRequest, group: Group) -> HttpResponse:
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        return _members(request, group, status=400, add_form=form)
    try:
        membership = services.member_add(actor=request.user, group=group, username=form.cleaned_data["username"])
    except ValidationError as exc:
        return _members(request, group, status=400, errors=_errors(exc), add_form=form)
    messages.success(request, _("%(name)s is now a member.") % {"name": membership.user.name})
    return redirect("groups:members", name=group.name)


@group_post("manage")
def member_remove(request: HttpRequest, group: Group, pk: int) -> HttpResponse:
    membership = queries.get_member(group, pk)
    try:
        services.member_remove(actor=request.user, group=group, user=membership.user)
    except ValidationError as exc:
        return _members(request, group, status=400, errors=_errors(exc))
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.name})
    if not permissions.can(request.user, "see_members", group):  # an owner staff removed from a hidden group
        return redirect("groups:list")
    return redirect("groups:members", name=group.name)


@group_post("manage")
def member_role(request: HttpRequest, group: Group, pk: int) -> HttpResponse:
    membership = queries.get_member(group, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _members(request, group, status=400, errors=[_("Choose a role to give or take back.")])
    role, value = form.cleaned_data["role"], form.cleaned_data["value"]
    try:
        services.member_set_role(actor=request.user, group=group, user=membership.user, **{role: value})
    except ValidationError as exc:
        return _members(request, group, status=400, errors=_errors(exc))
    name = membership.user.name
    notices = {
        ("owner", True): _("%(name)s is now an owner."),
        ("owner", False): _("%(name)s is no longer an owner."),
        ("moderator", True): _("%(name)s is now a moderator."),
        ("moderator", False): _("%(name)s is no longer a moderator."),
    }
    messages.success(request, notices[(role, value)] % {"name": name})
    if not permissions.can(request.user, "manage", group):  # they stepped down themselves
        return redirect(group.get_absolute_url())
    return redirect("groups:members", name=group.name)


# --- requests --------------------------------------------------------------------------------


def _requests(request: HttpRequest, group: Group, *, status: int = 200, errors=()) -> HttpResponse:
    context = {
        "group": group,
        "requests": list(queries.pending_requests(group)),
        "errors": errors,
        "decline_form": DeclineForm(),
    }
    return render(request, "groups/requests.html", context, status=status)


def requests(request: HttpRequest, name: str) -> HttpResponse:
    return _requests(request, _group_for(request, name, "manage"))


@group_post("manage")
def join_request_accept(request: HttpRequest, group: Group, pk: int) -> HttpResponse:
    join_request = queries.get_pending_request(group, pk)
    try:
        services.join_request_accept(actor=request.user, join_request=join_request)
    except ValidationError as exc:
        return _requests(request, group, status=400, errors=_errors(exc))
    messages.success(request, _("%(name)s is now a member.") % {"name": join_request.user.name})
    return redirect("groups:requests", name=group.name)


@group_post("manage")
def join_request_decline(request: HttpRequest, group: Group, pk: int) -> HttpResponse:
    join_request = queries.get_pending_request(group, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _requests(request, group, status=400, errors=[e for errs in form.errors.values() for e in errs])
    try:
        services.join_request_decline(actor=request.user, join_request=join_request, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _requests(request, group, status=400, errors=_errors(exc))
    messages.success(request, _("The request of %(name)s was declined.") % {"name": join_request.user.name})
    return redirect("groups:requests", name=group.name)


# --- invitations -----------------------------------------------------------------------------


def invitations(request: HttpRequest, name: str) -> HttpResponse:
    group = _group_for(request, name, "manage")
    form = InvitationForm(request.POST or None)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=request.user, group=group, email=form.cleaned_data["email"], days=form.cleaned_data["days"]
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                if invitation.email:
                    messages.success(
                        request, _("The invitation was made and mailed to %(email)s.") % {"email": invitation.email}
                    )
                else:
                    messages.success(
                        request, _("The invitation was made: send its link below to the person you invite.")
                    )
                return redirect("groups:invitations", name=group.name)
        status = 400
    context = {
        "group": group,
        "form": form,
        "errors": errors,
        "invitations": queries.active_invitations(group) if not group.automatic else [],
        "site_url": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "groups/invitations.html", context, status=status)


@group_post("manage")
def invitation_revoke(request: HttpRequest, group: Group, pk: int) -> HttpResponse:
    invitation = queries.get_invitation(group, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
        return redirect("groups:invitations", name=group.name)
    messages.success(request, _("The invitation was withdrawn: its link no longer works."))
    return redirect("groups:invitations", name=group.name)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """/g/invitation/<token>: the group's name and an Accept button; a spent link says why (410)."""
    invitation = queries.get_invitation_by_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(request, "groups/invitation.html", {"problem": problem}, status=410)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    group = invitation.group
    already = permissions.is_group_member(request.user, group)
    if request.method == "POST":
        try:
            services.invitation_accept(user=request.user, invitation=invitation)
        except ValidationError as exc:
            context = {"invitation": invitation, "group": group, "errors": _errors(exc), "already_member": already}
            return render(request, "groups/invitation.html", context, status=400)
        messages.success(request, _("Welcome: you joined the group."))
        return redirect(group.get_absolute_url())
    if request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return render(
        request, "groups/invitation.html", {"invitation": invitation, "group": group, "already_member": already}
    )


# --- making and editing groups ---------------------------------------------------------------


def group_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise Http404  # as for /g/<a missing group>: the page exists for staff only
    form = GroupCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_create(
                actor=request.user,
                name=data["name"],
                data=data,
                owner_username=data["owner"],
                avatar=data.get("avatar"),
            )
        except ValidationError as exc:
            _add_service_error(form, exc, {"unknown_user": "owner"}, default="name")
        else:
            messages.success(request, _("The group was made."))
            return redirect(group.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/form.html", {"form": form, "group": None}, status=status)


def _add_service_error(form, exc: ValidationError, fields_by_code: dict[str, str], default: str | None) -> None:
    """Show a service's refusal beside the field it is about (or above the form)."""
    if hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    form.add_error(fields_by_code.get(getattr(exc, "code", None) or "", default), exc)


def group_translations(request: HttpRequest, name: str) -> HttpResponse:
    """Owners (and staff) give the group's name and description in other languages."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    group = _group_for(request, name, "manage")
    return translations_page(
        request,
        translations=group.translations,
        save=lambda translations: services.group_translations_save(
            actor=request.user, group=group, translations=translations
        ),
        own_name=group.display_name,
        address=group.get_absolute_url(),
        markdown=True,
    )


def group_edit(request: HttpRequest, name: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    group = _group_for(request, name, "manage")
    # The form works on its own copy: a refused change never shows in the page's header.
    form = GroupForm(request.POST or None, request.FILES or None, instance=copy.copy(group))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # settings and welcome topic: both saved, or neither
                updated = services.group_update(
                    actor=request.user,
                    group=form.instance,
                    data=data,
                    avatar=data.get("avatar"),
                    remove_avatar=data.get("remove_avatar", False),
                )
                services.welcome_topic_set(actor=request.user, group=updated, topic_id=data["welcome_topic_ref"])
        except ValidationError as exc:
            topic_codes = {"unknown_topic": "welcome_topic_ref", "not_in_group": "welcome_topic_ref"}
            _add_service_error(form, exc, topic_codes, default=None)
        else:
            messages.success(request, _("The group's settings were saved."))
            return redirect(updated.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/form.html", {"form": form, "group": group}, status=status)
