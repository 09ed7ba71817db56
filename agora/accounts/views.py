"""The preferences page. A person's page (/u/<username>) shows their Discuss activity, so it lives in
agora.discuss.profile_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .models import User
from .services import profile_update


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
