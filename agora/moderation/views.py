"""Moderation pages: the flag forms (a post's, a person's) and the review queue. Thin: parse, fetch
through the permission module, call a service, redirect with a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.accounts.queries import get_active_user_by_url_name
from agora.core import rate_limits

from . import flags, queries, review
from .forms import FlagForm, ReviewActionForm
from .models import Flag, ReviewItem


def _post_url(post) -> str:
    page = (max(post.number, 1) - 1) // settings.AGORA_POSTS_PER_PAGE + 1
    url = post.topic.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return f"{url}#post-{post.number}"


def _refusal(user, *, own: bool, own_text: str) -> str:
    """Why this person may not flag here (shown above the form, which stays), or nothing."""
    if own:
        return own_text
    if not permissions.may_flag(user):
        return _("Flags unlock at trust level %(n)d: read a little more and they will.") % {
            "n": settings.AGORA_MIN_TRUST_TO_FLAG
        }
    return ""


@login_required
def flag_post(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the kinds of flag; POST: record it and go back to the post with a message."""
    post = permissions.get_post_for_user(request.user, pk)
    if post.deleted_at is not None:
        raise Http404
    form = FlagForm(request.POST or None)
    refusal = _refusal(
        request.user,
        own=post.user_id == request.user.pk,
        own_text=_("You cannot flag your own post: edit or delete it instead."),
    )
    limited: rate_limits.RateLimited | None = None
    if request.method == "POST" and form.is_valid():
        try:
            rate_limits.check_flag(request.user, rate_limits.client_ip(request))
            flag = flags.flag_post(
                user=request.user, post=post, kind=form.cleaned_data["kind"], message=form.cleaned_data["message"]
            )
        except rate_limits.RateLimited as exc:
            form.add_error(None, exc)
            limited = exc
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            if flag is None:
                messages.success(request, _("Your message was sent to the author."))
            else:
                messages.success(request, _("Thank you: the moderators will look at this post."))
            return redirect(_post_url(post))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "post": post, "refusal": refusal}
    response = render(request, "moderation/flag.html", context, status=status)
    return rate_limits.mark_429(response, limited) if limited else response


@login_required
def flag_user(request: HttpRequest, username: str) -> HttpResponse:
    person = get_active_user_by_url_name(username)
    form = FlagForm(request.POST or None, about_user=True)
    refusal = _refusal(request.user, own=person.pk == request.user.pk, own_text=_("You cannot flag yourself."))
    limited: rate_limits.RateLimited | None = None
    if request.method == "POST" and form.is_valid():
        try:
            rate_limits.check_flag(request.user, rate_limits.client_ip(request))
            flags.flag_user(
                user=request.user, target=person, kind=form.cleaned_data["kind"], message=form.cleaned_data["message"]
            )
        except rate_limits.RateLimited as exc:
            form.add_error(None, exc)
            limited = exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: the moderators will look at this."))
            return redirect(person.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person, "refusal": refusal}
    response = render(request, "moderation/flag.html", context, status=status)
    return rate_limits.mark_429(response, limited) if limited else response


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The review queue: pending items by score, with their flags and the person's history."""
    if not permissions.may_review(request.user):
        raise Http404
    handled = request.GET.get("show") == "handled"
    context = {
        "items": queries.review_queue(request.user, handled=handled),
        "handled": handled,
        "site_moderator": permissions.reviewable_category_ids(request.user) is None,
        "Kind": ReviewItem.Kind,
        "FlagKind": Flag.Kind,
    }
    return render(request, "moderation/review.html", context)


@login_required
@require_POST
def review_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One click in the queue: agree, disagree, ignore, approve or reject, with its options."""
    item = queries.get_review_item_for_user(request.user, pk)
    form = ReviewActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That action was not understood: nothing was changed."))
        return redirect("moderation:review")
    data = form.cleaned_data
    action, version = data["action"], data["version"]
    try:
        if action == "agree":
            review.review_agree(
                actor=request.user,
                item=item,
                version=version,
                post_action=data["post_action"] or "keep",
                penalty=data["penalty"],
                days=data["days"] or 0,
                reason=data["reason"],
            )
        elif action == "disagree":
            review.review_disagree(actor=request.user, item=item, version=version, reason=data["reason"])
        elif action == "ignore":
            review.review_ignore(actor=request.user, item=item, version=version, reason=data["reason"])
        elif action == "approve":
            review.post_approve(actor=request.user, item=item, version=version)
        else:
            review.post_reject(actor=request.user, item=item, version=version, reason=data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("You may not do that here: nothing was changed."))
    else:
        messages.success(request, _("Done."))
    return redirect("moderation:review")
