"""Moderator tools on people: warn, silence, suspend and delete, each logged in the staff action log.

Silence and suspension live in services.py (the review queue silences too); they are named here again so
the people pages have one module to call. Warnings and deletions are here."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.accounts.usernames import canonical_username
from agora.core.page_cache import content_changed
from agora.discuss import messages as discuss_messages
from agora.discuss import services as discuss_services
from agora.discuss.models import Post, Topic
from agora.groups.models import Group, Membership
from agora.notifications.models import Notification

from .services import action_log, user_silence, user_suspend, user_unsilence, user_unsuspend

__all__ = [
    "user_delete",
    "user_silence",
    "user_suspend",
    "user_unsilence",
    "user_unsuspend",
    "user_warn",
]


def check_may_act(actor: Any, user: User, *, staff_only: bool = False) -> None:
    """The rules for every tool on people: never oneself, never staff, never another moderator unless
    staff; deletion by staff only. A clear message for each refusal; PermissionDenied for the rest."""
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot do that to yourself."), code="self")
    if staff_only and not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Only staff may delete an account."))
    if not permissions.can_moderate_user(actor, user):
        if user.is_staff or user.is_moderator:
            raise ValidationError(_("Staff and moderators cannot be warned, silenced, suspended or deleted here."))
        raise PermissionDenied


@transaction.atomic
def user_warn(*, actor: User, user: User, message: str) -> Topic:
    """Warn a person: a private message from the moderator to them, kept in the moderators' inbox too (so
    the team sees it and the person's answer reaches all of them), told as a warning (MOD_WARNING), and
    logged. Returns the message."""
    check_may_act(actor, user)
    message = message.strip()
    if not message:
        raise ValidationError(_("Write the warning: the person reads it as a message from you."), code="empty")
    if not user.is_active:
        raise ValidationError(_("This account is closed."), code="inactive")
    topic = discuss_messages.message_create(
        sender=actor,
        title=_("A warning from the moderators"),
        raw=message,
        recipients=[user],
        groups=[discuss_messages.moderators_group()],
        recipient_kind=Notification.Kind.MOD_WARNING,
    )
    action_log(
        actor=actor,
        action="user_warn",
        target=user,
        subject_user=user,
        reason=message,
        details={"message_id": topic.pk},
    )
    return topic


def _free_anonymous_username() -> str:
    # "anon" and eight digits, as Discourse's anonymiser names people: nothing of the old name is left.
    while True:
        name = f"anon{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username_canonical=canonical_username(name)).exists():
            return name


def _delete_posts(*, actor: User, user: User) -> int:
    """Soft-delete the person's topics and replies in categories, through discuss.services (counters stay
    true). Private messages stay with their participants, under the anonymised name. Returns how many."""
    deleted = 0
    openings = Post.objects.filter(
        user=user, number=1, deleted_at__isnull=True, topic__is_message=False, topic__deleted_at__isnull=True
    ).select_related("topic")
    replies = Post.objects.filter(user=user, number__gt=1, deleted_at__isnull=True, topic__is_message=False)
    for post in [*openings, *replies.select_related("topic")]:
        try:
            discuss_services.post_delete(user=actor, post=post)
        except PermissionDenied:
            # A blog story's opening post goes with its story (the editors unpublish it), not alone.
            continue
        deleted += 1
    return deleted


@transaction.atomic
def user_delete(*, actor: User, user: User, delete_posts: bool, reason: str) -> str:
    """Delete a person's account (staff only). Discourse's way: the row stays, anonymised ("anon12345678",
    no e-mail, profile, avatar, password or groups) and closed (is_active False, so their sessions end at
    once and their profile is gone); with delete_posts, their topics and replies are deleted too, else they
    stay under the anonymous name. The log keeps the old username. Returns the new name."""
    check_may_act(actor, user, staff_only=True)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why: the staff action log keeps it."), code="no_reason")
    if not user.is_active:
        raise ValidationError(_("This account is closed already."), code="inactive")
    old_username = user.username
    posts_deleted = _delete_posts(actor=actor, user=user) if delete_posts else 0
    for membership in Membership.objects.filter(user=user):
        Group.objects.filter(pk=membership.group_id).update(member_count=F("member_count") - 1)
    Membership.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    if user.avatar:
        user.avatar.delete(save=False)
    user.username = _free_anonymous_username()
    user.display_name = user.bio = user.bio_html = user.location = user.languages = user.timezone = ""
    user.first_name = user.last_name = user.email = ""
    user.avatar = ""
    user.is_active = False
    user.is_moderator = False
    user.set_unusable_password()
    user.save()
    permissions.forget_access(user)
    content_changed()
    action_log(
        actor=actor,
        action="user_delete",
        target=user,
        target_label=old_username,
        subject_user=user,
        reason=reason,
        details={"delete_posts": delete_posts, "posts_deleted": posts_deleted, "anonymised_as": user.username},
    )
    return user.username
