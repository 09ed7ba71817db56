"""Writing a story: drafts, edits with revisions and conflict checks, pictures, sections and tags,
authors, translations, and throwing a draft away."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.core.detect import language_for
from agora.core.languages import language_name, normalize_content_language
from agora.core.page_cache import content_changed
from agora.discuss.models import Post, Topic, make_slug
from agora.discuss.rendering import render_post_html
from agora.groups.models import Group

from .. import hooks
from ..models import BlogCategory, Story, StoryImage, StoryRevision
from ._common import (
    MAX_AUTHORS,
    OTHER_FIELDS,
    REVISION_GRACE_SECONDS,
    SAME_DRAFT_SECONDS,
    TEXT_FIELDS,
    State,
    _draft_slug,
    _locked,
    _require_move,
)
from .topic import _opening_post_raw


def _clean_data(data: dict[str, Any], *, draft: bool) -> dict[str, Any]:
    """Check and trim the fields. A draft needs only its title; a story in the editors' hands keeps all three."""
    unknown = set(data) - set(TEXT_FIELDS) - set(OTHER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown story fields: %(f)s") % {"f": ", ".join(sorted(unknown))}, code="unknown")
    clean = dict(data)
    for name in TEXT_FIELDS:
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    for name in ("title",) if draft else ("title", "lead", "body"):
        if name in clean and not clean[name]:
            raise ValidationError({name: _("A story needs a title, a lead and a body.")}, code="required")
    if clean.get("language"):
        code = normalize_content_language(clean["language"])
        if code is None:
            raise ValidationError(
                {"language": _("“%(code)s” is not a language code we know.") % {"code": clean["language"]}},
                code="bad_language",
            )
        clean["language"] = code
    if "kind" in clean and clean["kind"] not in Story.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of story.")}, code="bad_kind")
    return clean


def _check_group(user: Any, story: Story | None, group: Group | None) -> None:
    """A story speaks for a group its writer may speak for (or that an editor keeps as it was chosen)."""
    if group is None or (story is not None and story.group_id == group.pk):
        return
    if not permissions.may_speak_for(user, group):
        raise ValidationError({"group": _("Choose a group you are a member of.")}, code="bad_group")


def _apply(story: Story, data: dict[str, Any]) -> list[str]:
    """Set the plain fields from `data` on the story; returns the names changed (M2Ms are set after save)."""
    changed = []
    for name in (*TEXT_FIELDS, "series", "group"):
        if name in data and getattr(story, name) != data[name]:
            setattr(story, name, data[name])
            changed.append(name)
    if "cover" in data:
        # An upload (already checked and re-encoded by agora.core.images) replaces the cover; None removes it.
        old = story.cover.name if story.cover else ""
        if data["cover"] is not None or old:
            story.cover = data["cover"] or ""
            changed.append("cover")
            if old:
                storage = story.cover.storage
                transaction.on_commit(lambda: storage.delete(old))
    if "body" in changed:
        story.body_html = render_post_html(story.body)
        changed.append("body_html")
    return changed


def _detect_language(story: Story, user: Any) -> None:
    """A story whose language was left empty gets the one its text reads as (else its writer's, else the
    interface's): every story has a language."""
    if not story.language:
        text = "\n".join((story.title, story.lead, story.body))
        story.language = language_for("", text, *getattr(user, "language_list", [])[:1], get_language())


def _alt_text(filename: str) -> str:
    """A first description for a picture, from its file name ("wlm_jury-2026.jpg": "wlm jury 2026")."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = "".join(c if c.isalnum() else " " for c in stem).split()
    return " ".join(words)[:100]


def _attach_images(story: Story, user: Any, images: Iterable[tuple[str, Any]]) -> bool:
    """Keep the pictures (already checked and re-encoded) and add each to the end of the body as
    Markdown; True when there were any."""
    lines = []
    for filename, upload in images:
        image = StoryImage.objects.create(story=story, image=upload, created_by=user)
        lines.append(f"![{_alt_text(filename)}]({image.image.url})")
    if not lines:
        return False
    story.body = "\n\n".join(part for part in (story.body.rstrip(), *lines) if part)
    story.body_html = render_post_html(story.body)
    return True


def _set_relations(story: Story, data: dict[str, Any]) -> bool:
    """Set the story's sections and tags from `data`; True if either changed."""
    changed = False
    if "categories" in data:
        categories = list(data["categories"])
        if any(not isinstance(c, BlogCategory) for c in categories):
            raise ValidationError(_("Unknown blog category."), code="bad_category")
        if {c.pk for c in categories} != set(story.categories.values_list("pk", flat=True)):
            story.categories.set(categories)
            changed = True
    if "tags" in data:
        tags = list(data["tags"])
        if {t.pk for t in tags} != set(story.tags.values_list("pk", flat=True)):
            story.tags.set(tags)
            changed = True
    return changed


def recent_same_draft(*, user: User, title: str) -> Story | None:
    """The user's draft of this title made moments ago, if any: a new-story page saved by hand while its
    first autosave was still on the way must not make a second one."""
    since = timezone.now() - timedelta(seconds=SAME_DRAFT_SECONDS)
    mine = Story.authors.through.objects.filter(user_id=user.pk).values("story_id")
    title = (title or "").strip()
    return (
        Story.objects.filter(id__in=mine, state=State.DRAFT, title=title, created_at__gte=since, edit_seq__lte=1)
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def story_create(*, user: User, data: dict[str, Any]) -> Story:
    """A new draft; its creator is its first author. A draft needs a title; its lead and body may come later."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    clean = _clean_data(data, draft=True)
    if not clean.get("title"):
        raise ValidationError({"title": _("Give the story a title.")}, code="required")
    _check_group(user, None, clean.get("group"))
    story = Story(created_by=user, slug=_draft_slug(), state=State.DRAFT, edit_seq=1, edited_by=user)
    _apply(story, clean)
    _detect_language(story, user)
    story.body_html = render_post_html(story.body)
    story.save()
    story.authors.add(user)
    _set_relations(story, clean)
    if _attach_images(story, user, clean.get("images", ())):
        story.save(update_fields=["body", "body_html"])
    return story


def _keep_revision(story: Story, user: Any, before: tuple[str, str, str]) -> bool:
    """Record what the story said before this edit, unless the same person's last edit was moments ago
    (that revision already holds the text from before their run of edits). True when one was recorded."""
    last = story.revisions.order_by("-number").first()
    grace = timezone.now() - timedelta(seconds=REVISION_GRACE_SECONDS)
    if last is not None and last.user_id == user.pk and last.created_at >= grace and last.number == story.version - 1:
        return False
    StoryRevision.objects.create(
        story=story, number=story.version, title=before[0], lead=before[1], body=before[2], user=user
    )
    return True


def _check_base(story: Story, user: Any, base: int | None) -> None:
    """Refuse an edit made on a copy of the story that someone else has changed since: their words would
    be lost. (The same person's own saves, autosaves included, moved it on: that is no conflict.)"""
    if base is None or base == story.edit_seq or story.edited_by_id == getattr(user, "pk", None):
        return
    raise ValidationError(
        _(
            "Someone else changed the story while you were editing it. Your text is below: copy what you "
            "need, then reload the page to see their changes."
        ),
        code="conflict",
    )


def _require_edit(user: Any, story: Story) -> None:
    if permissions.can_story(user, "edit", story):
        return
    if not permissions.can_story(user, "manage", story):
        raise PermissionDenied
    raise ValidationError(
        _(
            "The story is with the editors now (%(state)s): your changes were not saved. Copy your text, and ask "
            "the editors in an editorial comment."
        )
        % {"state": story.get_state_display().lower()},
        code="locked",
    )


@transaction.atomic
def story_update(*, user: User, story: Story, data: dict[str, Any], base: int | None = None) -> Story:
    """Edit a story, keeping what it said before as a revision. Authors edit while it is a draft or changes
    are requested; editors at any time but a draft's. A published story's title renames its topic.
    `base` is the edit_seq the editor's copy was made from (see _check_base)."""
    story = _locked(story)
    _require_edit(user, story)
    _check_base(story, user, base)
    clean = _clean_data(data, draft=story.state == State.DRAFT)
    if "group" in clean:
        _check_group(user, story, clean["group"])
    before = (story.title, story.lead, story.body)
    before_language = story.language
    changed = _apply(story, clean)
    if "language" in changed:
        _detect_language(story, user)
        if story.language == before_language:
            changed.remove("language")
    if _attach_images(story, user, clean.get("images", ())):
        changed += [name for name in ("body", "body_html") if name not in changed]
    if any(name in changed for name in ("title", "lead", "body")) and _keep_revision(story, user, before):
        story.version += 1
        changed.append("version")
    relations_changed = _set_relations(story, clean)
    if changed or relations_changed:
        story.updated_at = timezone.now()
        story.edit_seq += 1
        story.edited_by = user
        story.save(update_fields=[*changed, "updated_at", "edit_seq", "edited_by"])
    if story.topic_id is not None and ("title" in changed or "lead" in changed or "cover" in changed):
        if "title" in changed:
            Topic.objects.filter(pk=story.topic_id).update(title=story.title, slug=make_slug(story.title))
        raw = _opening_post_raw(story)
        Post.objects.filter(topic_id=story.topic_id, number=1).update(raw=raw, html=render_post_html(raw))
    if story.state in (State.PUBLISHED, State.UNPUBLISHED) and (changed or relations_changed):
        content_changed()
        hooks.story_changed.send(story=story)
    return story


@transaction.atomic
def story_delete(*, user: User, story: Story) -> None:
    """An author throws a draft away (its cover and pictures go after commit); co-authors are not asked."""
    story = _locked(story)
    _require_move(user, story, "delete")
    files = [story.cover, *(picture.image for picture in story.images.all())]
    names = [(f.storage, f.name) for f in files if f and f.name]

    def remove_files() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
    story.delete()


@transaction.atomic
def story_set_authors(*, user: User, story: Story, authors: Iterable[User]) -> bool:
    """Set who wrote the story (its authors, or an editor, may): at least one, active people only.
    Returns whether `user` may still open the story's desk."""
    story = _locked(story)
    if not permissions.can_story(user, "manage", story):
        raise PermissionDenied
    people = list({a.pk: a for a in authors}.values())
    if not people:
        raise ValidationError(_("A story needs at least one author."), code="no_author")
    if len(people) > MAX_AUTHORS:
        raise ValidationError(_("A story has %(n)d authors at most.") % {"n": MAX_AUTHORS}, code="too_many")
    if any(not p.is_active for p in people):
        raise ValidationError(_("Only active members can be authors."), code="inactive")
    story.authors.set(people)
    if story.state == State.PUBLISHED:
        content_changed()
    return permissions.desk_stories(user).filter(pk=story.pk).exists()


@transaction.atomic
def story_link_translation(*, user: User, story: Story, original: Story | None) -> Story:
    """Mark `story` as a translation of `original` (None unlinks it). Every translation points at the one
    original: linking to a translation links to what it translates, which the user must be able to open
    too (else it is answered like a story that does not exist)."""
    story = _locked(story)
    if not permissions.can_story(user, "manage", story):
        raise PermissionDenied
    if original is not None:
        reachable = permissions.visible_stories(user)
        seen: set[int] = set()
        current: Story | None = reachable.select_for_update().filter(pk=original.pk).first()
        while current is not None and current.translation_of_id is not None and current.pk not in seen:
            seen.add(current.pk)
            current = reachable.select_for_update().filter(pk=current.translation_of_id).first()
        if current is None:
            raise ValidationError(_("No story you may open has that address."), code="not_found")
        original = current
        if original.pk == story.pk:
            raise ValidationError(_("A story cannot be a translation of itself."), code="self_translation")
        if story.translations.exists():
            raise ValidationError(
                _("This story has translations of its own: it cannot become a translation."), code="chain"
            )
        if original.language == story.language:
            raise ValidationError(_("A translation is in another language than its original."), code="same_language")
        twin = existing_translation(original, story.language)
        if twin is not None and twin.pk != story.pk:
            raise ValidationError(
                _("That story has a translation in %(language)s already.")
                % {"language": language_name(story.language)},
                code="language_taken",
            )
    story.translation_of = original
    story.save(update_fields=["translation_of"])
    if story.state == State.PUBLISHED:
        content_changed()
    return story


# A translation that was declined leaves its language free for another attempt.
_LIVE_TRANSLATION = [s for s in State.values if s != State.DECLINED]


def existing_translation(original: Story, language: str) -> Story | None:
    """The story of `original`'s group in `language` (the original itself, or a live translation)."""
    if original.language == language:
        return original
    return (
        Story.objects.filter(translation_of_id=original.pk, language=language, state__in=_LIVE_TRANSLATION)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def story_start_translation(*, user: User, original: Story, language: str) -> Story:
    """ "Help translate": a new draft of `original` in `language`, linked to it (to its original when it is
    itself a translation), written by `user`, with the original's kind, cover, sections and tags, and its
    title to start from. It then goes through the editorial workflow like any story. Refused, with nothing
    made: an unknown language, the original's own language, a language that has a translation already, a
    story the user may not open."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    source = permissions.published_stories(user).filter(pk=original.pk).first()
    if source is None:
        raise ValidationError(_("No story you may open has that address."), code="not_found")
    root = source
    if source.translation_of_id is not None:
        root = permissions.published_stories(user).filter(pk=source.translation_of_id).first() or source
    code = normalize_content_language(language)
    if code is None:
        raise ValidationError(
            {"language": _("“%(code)s” is not a language code we know.") % {"code": language}}, code="bad_language"
        )
    taken = existing_translation(root, code)
    if taken is not None:
        name = language_name(code)
        if taken.pk == root.pk:
            message = _("The story is written in %(language)s already: choose another language.") % {"language": name}
        elif taken.state == State.PUBLISHED:
            message = _("The story has a translation in %(language)s already: %(url)s") % {
                "language": name,
                "url": taken.get_absolute_url(),
            }
        else:
            message = _("Someone is translating the story into %(language)s already.") % {"language": name}
        raise ValidationError({"language": message}, code="same_language" if taken.pk == root.pk else "language_taken")
    Story.objects.select_for_update().filter(pk=root.pk).first()  # two starts at once: one waits, then sees the other
    if existing_translation(root, code) is not None:
        raise ValidationError({"language": _("Someone started this translation a moment ago.")}, code="language_taken")
    story = Story(
        created_by=user,
        slug=_draft_slug(),
        state=State.DRAFT,
        edit_seq=1,
        edited_by=user,
        title=source.title,
        kind=source.kind,
        language=code,
        translation_of=root,
        series=source.series,
        cover_credit=source.cover_credit,
        cover_licence=source.cover_licence,
    )
    if source.cover:
        # A copy of the picture, not the same file: throwing the draft away deletes its cover.
        with source.cover.open("rb") as picture:
            story.cover.save(source.cover.name.rsplit("/", 1)[-1], File(picture), save=False)
    story.save()
    story.authors.add(user)
    story.categories.set(source.categories.all())
    story.tags.set(source.tags.all())
    return story
