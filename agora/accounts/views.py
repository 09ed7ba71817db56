"""The preferences page and the language switcher. A person's page (/u/<username>) shows their Discuss
activity, so it lives in agora.discuss.profile_views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agora.core.interface_language import offered_language, safe_next

from .forms import ProfileForm
from .models import User
from .services import interface_language_set, profile_update


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


@require_GET
@never_cache
def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """The switcher's links: remember the language (a cookie; a member's preferences too) and go back.

    A GET, so it works from visitors' cached pages, which carry no CSRF token; at worst a link elsewhere
    changes someone's interface language, which the same switcher undoes."""
    target = safe_next(request, request.GET.get("next"))
    language = offered_language(code) if code in dict(settings.LANGUAGES) else None
    if language is None:
        offered = ", ".join(f"{name} ({tag})" for tag, name in settings.LANGUAGES)
        messages.error(
            request,
            _("The site is not offered in “%(code)s”. Choose one of: %(offered)s.")
            % {"code": code[:20], "offered": offered},
        )
        return redirect(target)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.user.is_authenticated:
        interface_language_set(user=request.user, code=language)
    return response
