"""Profile pages (/u/<username>) with activity tabs, and the preferences page."""

from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agora.discuss import queries

from .forms import ProfileForm
from .models import User
from .services import profile_update
from .usernames import canonical_username

TABS = {"topics", "replies", "likes"}


def _user_by_url_name(name: str) -> User:
    user = User.objects.filter(username_canonical=canonical_username(unquote(name)), is_active=True).first()
    if user is None:
        raise Http404
    return user


def profile(request: HttpRequest, username: str, tab: str = "topics") -> HttpResponse:
    person = _user_by_url_name(username)
    if tab not in TABS:
        raise Http404
    if quote(unquote(username).replace(" ", "_"), safe="") != person.url_name:
        suffix = "" if tab == "topics" else f"/{tab}"
        return redirect(person.get_absolute_url() + suffix, permanent=True)
    viewer = request.user
    if tab == "topics":
        qs = queries.user_topics(viewer, person)
    elif tab == "replies":
        qs = queries.user_replies(viewer, person)
    else:
        qs = queries.user_likes_given(viewer, person)
    paginator = Paginator(qs, settings.AGORA_TOPICS_PER_PAGE)
    try:
        page = paginator.page(int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1)
    except EmptyPage:
        raise Http404 from None
    context = {
        "person": person,
        "tab": tab,
        "page": page,
        "counts": queries.user_counts(viewer, person),
        "is_self": viewer.is_authenticated and viewer.pk == person.pk,
    }
    return render(request, "accounts/profile.html", context)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
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
