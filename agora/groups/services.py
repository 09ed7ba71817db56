"""Group writes: making and editing groups, joining, leaving, requests, members and their roles, invitations.

Every function checks the actor's right itself (PermissionDenied), refuses bad input with a message a
person can act on (ValidationError), keeps Group.member_count true with F() updates in the same
transaction, drops the memoised access of whoever's groups changed, and invalidates the visitors'
page cache when what visitors see changes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.accounts.usernames import canonical_username
from agora.core.interface_language import mail_language
from agora.core.markdown import render_markdown
from agora.core.page_cache import content_changed
from agora.core.translated_names import cleaned_translations
from agora.discuss.models import Topic
from agora.notifications.models import Notification
from agora.notifications.services import notify

from .models import Group, Invitation, JoinRequest, Membership

# Names the /g/ addresses use for pages of their own: a group called so could never be reached.
RESERVED_NAMES = frozenset({"new", "invitation"})
INVITATION_DEFAULT_DAYS = 7
INVITATION_MAX_DAYS = 30
# Fields a group's owners set on the edit page (the name is its address and stays).
GROUP_FIELDS = (
    "full_name",
    "description",
    "visibility",
    "members_visibility",
    "joining",
    "mentionable",
    "messageable",
)


def _last_owner_message() -> str:
    return _("A group needs at least one owner: make someone else an owner first.")


def _require_manage(actor: Any, group: Group) -> None:
    if not permissions.can(actor, "manage", group):
        raise PermissionDenied(_("Only the group's owners may do that."))


def _require_user_made(group: Group) -> None:
    if group.automatic:
        raise PermissionDenied(_("Who is in an automatic group follows from people's accounts."))


def _lock(group: Group) -> None:
    """Serialise membership changes of one group (PostgreSQL), so two owners cannot both step down."""
    Group.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True).first()


def _refresh_count(group: Group) -> None:
    group.refresh_from_db(fields=["member_count"])


def _add_member(group: Group, user: Any, *, is_owner: bool = False) -> Membership:
    """Add `user` to `group`; ValidationError if they are in it already."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(group=group, user=user, is_owner=is_owner)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already a member.") % {"name": user.name}, code="already_member") from None
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    _refresh_count(group)
    # A pending request is answered by joining, however they joined.
    JoinRequest.objects.filter(group=group, user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.ACCEPTED, decided_at=timezone.now()
    )
    permissions.forget_access(user)
    content_changed()
    return membership


def _forget(*users: Any) -> None:
    """Drop the memoised access of each object standing for a person whose groups changed (the actor
    and the row's user may be two objects for one person)."""
    for user in users:
        permissions.forget_access(user)


def _remove_member(group: Group, membership: Membership, *also: Any) -> None:
    user = membership.user
    membership.delete()
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
    _refresh_count(group)
    _forget(user, *also)
    content_changed()


def _other_owners_exist(group: Group, membership: Membership) -> bool:
    return Membership.objects.filter(group=group, is_owner=True).exclude(pk=membership.pk).exists()


def _membership(group: Group, user: Any) -> Membership:
    membership = Membership.objects.filter(group=group, user=user).select_related("user").first()
    if membership is None:
        raise ValidationError(_("%(name)s is not a member of this group.") % {"name": user.name}, code="not_member")
    return membership


def _owners(group: Group) -> list[Any]:
    return [m.user for m in Membership.objects.filter(group=group, is_owner=True).select_related("user")]


def _active_user(username: str) -> Any:
    """The active person with this username, in any spelling of it (Jane_Doe, jane doe)."""
    user = User.objects.filter(username_canonical=canonical_username(username), is_active=True).first()
    if user is None:
        raise ValidationError(_("Nobody here is called “%(name)s”.") % {"name": username.strip()}, code="unknown_user")
    return user


# --- making and editing groups ---------------------------------------------------------------


def _check_name(name: str) -> None:
    if name.lower() in RESERVED_NAMES:
        raise ValidationError(_("“%(name)s” is the address of a page: choose another name.") % {"name": name})
    if Group.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("There is already a group called “%(name)s”.") % {"name": name})
    # @name must mean one thing: a person or a group.
    if User.objects.filter(username_canonical=canonical_username(name)).exists():
        raise ValidationError(_("Someone already uses the name “%(name)s”: choose another one.") % {"name": name})


def _save_avatar(group: Group, avatar: UploadedFile | None, remove_avatar: bool) -> None:
    """Replace or remove the avatar (already processed by agora.accounts.avatars.process_avatar); the old
    file is deleted only once the new row is committed."""
    storage = Group._meta.get_field("avatar").storage
    old = group.avatar.name if group.avatar else ""
    if avatar is not None:
        group.avatar.save(avatar.name or "avatar.webp", avatar, save=False)
    elif remove_avatar:
        group.avatar = ""
    if old and old != (group.avatar.name if group.avatar else ""):
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def group_create(
    *,
    actor: Any,
    name: str,
    data: dict,
    owner_username: str = "",
    avatar: UploadedFile | None = None,
) -> Group:
    """Staff make a group; the person named `owner_username` (the actor if empty) becomes its first
    owner and member."""
    if not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Only staff may make groups."))
    Group._meta.get_field("name").run_validators(name)
    _check_name(name)
    owner = _active_user(owner_username) if owner_username.strip() else actor
    group = Group(name=name, **{f: data[f] for f in GROUP_FIELDS if f in data})
    group.description_html = render_markdown(group.description)
    group.full_clean(exclude=["avatar", "welcome_topic"])
    _save_avatar(group, avatar, False)
    group.save()
    _add_member(group, owner, is_owner=True)
    return group


@transaction.atomic
def group_update(
    *,
    actor: Any,
    group: Group,
    data: dict,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
) -> Group:
    """Owners (and staff) change a group's settings; the description is rendered once, here."""
    _require_manage(actor, group)
    for field in GROUP_FIELDS:
        if field in data:
            setattr(group, field, data[field])
    group.description_html = render_markdown(group.description)
    group.full_clean(exclude=["avatar", "welcome_topic", "name"])
    _save_avatar(group, avatar, remove_avatar)
    group.save()
    content_changed()
    return group


@transaction.atomic
def group_translations_save(*, actor: Any, group: Group, translations: dict[str, dict[str, str]]) -> Group:
    """Owners (and staff) set the group's name and description in other languages, all at once (a
    language left out is removed); each description is rendered once, here, as the group's own is."""
    _require_manage(actor, group)
    cleaned = cleaned_translations(translations, fields=("name", "description"))
    for entry in cleaned.values():
        if entry.get("description"):
            entry["description_html"] = render_markdown(entry["description"])
    group.translations = cleaned
    group.save(update_fields=["translations"])
    content_changed()
    return group


@transaction.atomic
def welcome_topic_set(*, actor: Any, group: Group, topic_id: int | None) -> Group:
    """Pin a topic to the top of the group page (None unpins): one the actor sees, in one of the
    group's categories."""
    _require_manage(actor, group)
    topic: Topic | None = None
    if topic_id is not None:
        from .queries import group_category_ids

        topic = permissions.visible_topics(actor).filter(pk=topic_id).first()
        if topic is None:
            raise ValidationError(_("There is no topic with that number that you may see."), code="unknown_topic")
        if topic.category_id not in group_category_ids(actor, group):
            raise ValidationError(_("Choose a topic in one of the group's categories."), code="not_in_group")
    group.welcome_topic = topic
    group.save(update_fields=["welcome_topic"])
    content_changed()
    return group


# --- joining and leaving ---------------------------------------------------------------------


@transaction.atomic
def group_join(*, user: Any, group: Group) -> Membership:
    """Join an open group."""
    if permissions.is_group_member(user, group):
        raise ValidationError(_("You are already a member of this group."), code="already_member")
    if not permissions.can(user, "join", group):
        raise PermissionDenied(_("This group cannot be joined directly: ask to join, or get an invitation."))
    return _add_member(group, user)


@transaction.atomic
def group_leave(*, user: Any, group: Group) -> None:
    _require_user_made(group)
    _lock(group)
    membership = Membership.objects.filter(group=group, user=user).select_related("user").first()
    if membership is None:
        raise ValidationError(_("You are not a member of this group."), code="not_member")
    if membership.is_owner and not _other_owners_exist(group, membership):
        raise ValidationError(_last_owner_message(), code="last_owner")
    _remove_member(group, membership, user)


@transaction.atomic
def join_request_create(*, user: Any, group: Group, message: str = "") -> JoinRequest:
    """Ask to join an ask-to-join group; its owners are notified."""
    if permissions.is_group_member(user, group):
        raise ValidationError(_("You are already a member of this group."), code="already_member")
    if JoinRequest.objects.filter(group=group, user=user, status=JoinRequest.Status.PENDING).exists():
        raise ValidationError(_("You already asked to join this group: an owner will answer."), code="already_asked")
    if not permissions.can(user, "ask_to_join", group):
        if permissions.can(user, "join", group):
            raise ValidationError(_("This group is open: join it directly."), code="open")
        raise PermissionDenied(_("This group takes new members by invitation only."))
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(group=group, user=user, message=message.strip())
    except IntegrityError:  # a second click that raced the first
        raise ValidationError(
            _("You already asked to join this group: an owner will answer."), code="already_asked"
        ) from None
    notify(users=_owners(group), kind=Notification.Kind.JOIN_REQUEST, actor=user, group=group)
    return join_request


def _require_pending(join_request: JoinRequest) -> None:
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request was already answered or withdrawn."), code="not_pending")


def _locked_request(join_request: JoinRequest) -> JoinRequest:
    return JoinRequest.objects.select_for_update().select_related("user", "group").get(pk=join_request.pk)


@transaction.atomic
def join_request_accept(*, actor: Any, join_request: JoinRequest) -> JoinRequest:
    group = join_request.group
    _require_manage(actor, group)
    join_request = _locked_request(join_request)
    _require_pending(join_request)
    if not Membership.objects.filter(group=group, user=join_request.user).exists():
        _add_member(group, join_request.user)
    join_request.status = JoinRequest.Status.ACCEPTED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    notify(users=[join_request.user], kind=Notification.Kind.JOIN_ACCEPTED, actor=actor, group=group)
    return join_request


@transaction.atomic
def join_request_decline(*, actor: Any, join_request: JoinRequest, reason: str = "") -> JoinRequest:
    group = join_request.group
    _require_manage(actor, group)
    join_request = _locked_request(join_request)
    _require_pending(join_request)
    join_request.status = JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.reason = reason.strip()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    notify(users=[join_request.user], kind=Notification.Kind.JOIN_DECLINED, actor=actor, group=group)
    return join_request


@transaction.atomic
def join_request_withdraw(*, user: Any, join_request: JoinRequest) -> JoinRequest:
    if join_request.user_id != user.pk:
        raise PermissionDenied(_("Only the person who asked may withdraw a request."))
    join_request = _locked_request(join_request)
    _require_pending(join_request)
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    return join_request


# --- members and roles -----------------------------------------------------------------------


@transaction.atomic
def member_add(*, actor: Any, group: Group, username: str) -> Membership:
    """An owner adds someone by username; they are told."""
    _require_manage(actor, group)
    _require_user_made(group)
    user = _active_user(username)
    membership = _add_member(group, user)
    notify(users=[user], kind=Notification.Kind.ADDED_TO_GROUP, actor=actor, group=group)
    return membership


@transaction.atomic
def member_remove(*, actor: Any, group: Group, user: Any) -> None:
    _require_manage(actor, group)
    _require_user_made(group)
    _lock(group)
    membership = _membership(group, user)
    if membership.is_owner and not _other_owners_exist(group, membership):
        raise ValidationError(_last_owner_message(), code="last_owner")
    _remove_member(group, membership, user, actor)


@transaction.atomic
def member_set_role(
    *, actor: Any, group: Group, user: Any, owner: bool | None = None, moderator: bool | None = None
) -> Membership:
    """Make a member an owner or a moderator, or take the role back (None leaves a role as it is)."""
    _require_manage(actor, group)
    _require_user_made(group)
    _lock(group)
    membership = _membership(group, user)
    if owner is False and membership.is_owner and not _other_owners_exist(group, membership):
        raise ValidationError(_last_owner_message(), code="last_owner")
    if owner is not None:
        membership.is_owner = owner
    if moderator is not None:
        membership.is_moderator = moderator
    membership.save(update_fields=["is_owner", "is_moderator"])
    # Owners and moderators moderate the group's categories: their access changes now.
    _forget(user, actor)
    content_changed()
    return membership


# --- invitations -----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, actor: Any, group: Group, email: str = "", days: int = INVITATION_DEFAULT_DAYS) -> Invitation:
    """An owner makes an invitation link; with an email address, it is mailed there once committed."""
    _require_manage(actor, group)
    _require_user_made(group)
    if not 1 <= days <= INVITATION_MAX_DAYS:
        raise ValidationError(
            _("An invitation lasts from 1 to %(max)d days.") % {"max": INVITATION_MAX_DAYS}, code="days"
        )
    invitation = Invitation.objects.create(
        group=group,
        email=email.strip(),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    if invitation.email:
        from .tasks import send_invitation_email

        transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))
    return invitation


def invitation_email_send(*, invitation_id: int) -> bool:
    """Mail an invitation's link to its address, if it can still be used. Safe to call twice (the
    second mail carries the same link)."""
    invitation = Invitation.objects.select_related("group", "created_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.email or not invitation.is_usable:
        return False
    context = {
        "invitation": invitation,
        "group": invitation.group,
        "inviter": invitation.created_by,
        "link": settings.SITE_URL + invitation.get_absolute_url(),
        "SITE_NAME": settings.SITE_NAME,
    }
    # An address a member holds gets the mail in their language; a stranger's, in the site's.
    invitee = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    with translation.override(mail_language(invitee)):
        subject = render_to_string("groups/email/invitation_subject.txt", context).strip()
        body = render_to_string("groups/email/invitation_message.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [invitation.email])
    return True


def invitation_problem(invitation: Invitation) -> str | None:
    """Why an invitation cannot be used any more, in words; None while it can."""
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn by the group's owners.")
    if invitation.accepted_at is not None:
        return _("This invitation was already used.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask the group's owners for a new one.")
    return None


@transaction.atomic
def invitation_accept(*, user: Any, invitation: Invitation) -> Membership:
    """The signed-in holder of a usable invitation joins the group, even a hidden one (the invitation is
    the owners' consent); the invitation is used up."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to accept the invitation."))
    invitation = Invitation.objects.select_for_update().select_related("group").get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem, code="unusable")
    group = invitation.group
    if Membership.objects.filter(group=group, user=user).exists():
        raise ValidationError(_("You are already a member of this group."), code="already_member")
    membership = _add_member(group, user)
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    _require_manage(actor, invitation.group)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already used."), code="used")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
