"""Trust pages: the endpoint reading.js reports to, and the staff page that sets a person's level."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.accounts.queries import get_active_user_by_url_name

from . import queries, services
from .forms import ReadBatchForm, TrustLevelForm


@require_POST
def read(request: HttpRequest) -> HttpResponse:
    """POST /read: a batch of reading from reading.js (posts seen on screen, seconds with the page
    visible), sent with navigator.sendBeacon as a form with the CSRF token. 204 when counted."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to have your reading counted.")}, status=403)
    form = ReadBatchForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    topic = permissions.get_topic_for_user(request.user, form.cleaned_data["topic"])
    services.reading_report(
        user=request.user, topic=topic, numbers=form.cleaned_data["posts"], seconds=form.cleaned_data["seconds"]
    )
    return HttpResponse(status=204)


def user_trust(request: HttpRequest, username: str) -> HttpResponse:
    """/u/<name>/trust: staff see a person's level, its history and the next level's figures, and set it
    by hand (locked or not). Anyone else gets 404: the page does not exist for them."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    person = get_active_user_by_url_name(username)
    initial = {"level": person.trust_level, "locked": True}
    form = TrustLevelForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                change = services.trust_level_set(
                    actor=request.user,
                    user=person,
                    level=form.cleaned_data["level"],
                    locked=form.cleaned_data["locked"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if change is None:
                    messages.info(request, _("Nothing changed: that is already the level and the lock."))
                else:
                    messages.success(request, _("Trust level set to %(n)d.") % {"n": change.to_level})
                return redirect(f"{person.get_absolute_url()}/trust")
        status = 400
    context = {
        "person": person,
        "form": form,
        "box": queries.trust_box(person, request.user),
        "history": queries.trust_level_history(person),
        "on_trust_page": True,
    }
    return render(request, "trust/user_trust.html", context, status=status)
