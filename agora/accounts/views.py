"""Profile pages (/u/<username>) with activity tabs, and the preferences page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agora.core.pagination import page_number, peek_page
from agora.discuss import queries as discuss_queries

from .forms import ProfileForm
from .models import User
from .queries import get_active_user_by_url_name
from .services import profile_update

TABS = {"topics", "replies", "likes"}


def profile(request: HttpRequest, username: str, tab: str = "topics") -> HttpResponse:
    if tab not in TABS:
        raise Http404
    person = get_active_user_by_url_name(username)
    # One address per person: "alice", "Jane Doe" or a fullwidth spelling redirect to the canonical one.
    if username != person.username.replace(" ", "_"):
        suffix = "" if tab == "topics" else f"/{tab}"
        query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
        return redirect(person.get_absolute_url() + suffix + query, permanent=True)
    viewer = request.user
    if tab == "topics":
        items = discuss_queries.user_topics(viewer, person)
    elif tab == "replies":
        items = discuss_queries.user_replies(viewer, person)
    else:
        items = discuss_queries.user_likes_given(viewer, person)
    page = peek_page(items, page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    context = {
        "person": person,
        "tab": tab,
        "page": page,
        "counts": discuss_queries.user_counts(viewer, person),
        "is_self": viewer.is_authenticated and viewer.pk == person.pk,
    }
    return render(request, "accounts/profile.html", context)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    # The form works on its own copy, so a refused change never shows up in the page header.
    form = ProfileForm(request.POST or None, request.FILES or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        profile_update(
            user=user,
            data=form.cleaned_data,
            avatar=form.cleaned_data.get("avatar"),
            remove_avatar=form.cleaned_data.get("remove_avatar", False),
        )
        messages.success(request, _("Your profile was saved."))
        return redirect(user.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/preferences.html", {"form": form}, status=status)
