"""Mail pages: the email preferences tab, the unsubscribe landing page, the staff's list addresses. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import composing, queries, services
from .forms import EmailSettingsForm, ListAddressForm


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    form = EmailSettingsForm(request.POST or None, instance=queries.email_settings_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.email_settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your email choices were saved."))
        return redirect("mail:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "mail/email_settings.html", {"form": form}, status=status)


# RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" to the link with no cookie and no CSRF
# token; the signed token is the proof. A GET (a person following the link) shows a page with a button.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = composing.read_unsubscribe_token(token)
    if found is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True}, status=400)
    user_id, what = found
    if request.method == "POST":
        if services.unsubscribe(user_id=user_id, what=what) is None:
            return render(request, "mail/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "mail/unsubscribe.html", {"done": True, "what": what})
    return render(request, "mail/unsubscribe.html", {"what": what, "token": token})


@login_required
@require_http_methods(["GET", "POST"])
def list_addresses(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404  # as for any page a person may not see
    form = ListAddressForm(request.POST if "address" in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        found = queries.list_address(request.POST["remove"])
        if found is None:
            messages.error(request, _("That list address no longer exists."))
        else:
            services.list_address_remove(user=request.user, list_address=found)
            messages.success(request, _("The list address was removed."))
        return redirect("mail:lists")
    if request.method == "POST" and form.is_valid():
        try:
            services.list_address_add(
                user=request.user,
                address=form.cleaned_data["address"],
                category=form.category(),
                blog=form.category() is None,
            )
        except IntegrityError:
            form.add_error("address", _("This address already receives that."))
        else:
            messages.success(request, _("The list address was added."))
            return redirect("mail:lists")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "mail/list_addresses.html", {"form": form, "addresses": queries.list_addresses()}, status=status
    )
