"""The blog's writing and editorial pages: submit news, my stories, a story's desk (its state, history,
editorial comments and the buttons that move it), the review queue and the editorial calendar.

Thin: parse a form, fetch the story through agora.blog.queries (which start from the permission
module: 404 for anyone who may not open the desk), call one service, then redirect with a notice, or
show the page again with every typed word and the reason, with status 400.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.core.forms import add_service_errors
from agora.core.language_filter import language_filter
from agora.core.languages import language_autonym, language_direction
from agora.core.pagination import page_number, peek_page
from agora.core.reader import reader_languages
from agora.core.when import when_text
from agora.discuss.diff import revision_diff

from . import queries, services
from .forms import (
    LICENCES,
    AuthorsForm,
    AutosaveForm,
    EditorialCommentForm,
    ReasonForm,
    ScheduleForm,
    StoryForm,
    TranslationForm,
)
from .models import Story

State = Story.State
LIST_SIZE = 30


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _require_login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _require_editor(request: HttpRequest) -> None:
    if not permissions.is_editor(request.user):
        raise PermissionDenied(
            _("The review pages are for the editorial board. Anyone may ask to join it on its group page.")
        )


def _zone(user: Any) -> str:
    return getattr(user, "timezone", "") or "UTC"


# --- writing ---------------------------------------------------------------------------------------


def _story_form_page(request: HttpRequest, form: StoryForm, story: Story | None, *, status: int = 200) -> HttpResponse:
    can_submit = story is None or permissions.can_story(request.user, "submit", story)
    context = {
        "form": form,
        "story": story,
        "can_submit": can_submit,
        # Autosave only while the story is its authors' to change: never a story readers can see.
        "autosave": story is None or story.state in Story.AUTHOR_EDITABLE,
        "licences": LICENCES,
        "editorial_group": settings.AGORA_EDITORIAL_GROUP,
        # A translation is written with its original beside it (when the writer may open the original).
        "original": queries.visible_original(request.user, story) if story and story.translation_of_id else None,
    }
    if context["original"] is not None:
        context["original_name"] = language_autonym(context["original"].language)
        context["original_dir"] = language_direction(context["original"].language)
    return render(request, "blog/story_form.html", context, status=status)


def _draft_for(request: HttpRequest) -> Story | None:
    """The draft a new-story page is already writing into: the one its first autosave made (its id came
    back to the page), or, when the page saves before that answer arrives, the same-titled draft the
    writer made moments ago. None for a new story."""
    try:
        pk = int(request.POST.get("story", ""))
    except ValueError:
        return services.recent_same_draft(user=request.user, title=request.POST.get("title", ""))
    return queries.get_story_desk_for_user(request.user, pk)


def _create_or_update(request: HttpRequest, form: StoryForm, story: Story | None) -> Story:
    if story is None:
        return services.story_create(user=request.user, data=form.story_data())
    return services.story_update(
        user=request.user, story=story, data=form.story_data(), base=form.cleaned_data.get("base")
    )


def _refused(request: HttpRequest, form: StoryForm, story: Story | None) -> HttpResponse:
    """The page again with every reason at once: sending to the editors also names a missing lead or body,
    so fixing a bad cover is not followed by a second refusal."""
    if request.POST.get("intent") == "submit":
        form.require_complete()
    return _story_form_page(request, form, story, status=400)


def _save(request: HttpRequest, form: StoryForm, story: Story | None) -> HttpResponse:
    """Save (and, when asked, send to the editors) a valid form; the page again with the reasons if not."""
    submit = request.POST.get("intent") == "submit"
    if submit and not form.require_complete():
        return _story_form_page(request, form, story, status=400)
    try:
        story = _create_or_update(request, form, story)
        if submit:
            services.story_submit(user=request.user, story=story)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _story_form_page(request, form, story, status=409 if exc.code in ("conflict", "locked") else 400)
    if submit:
        messages.success(request, _("Thank you: your story is with the editors. You will hear from them here."))
        return redirect(story.desk_url())
    messages.success(request, _("Saved."))
    return redirect(f"{story.desk_url()}/edit")


def story_new(request: HttpRequest) -> HttpResponse:
    """Submit news: the editorial template for a new story."""
    if (login := _require_login(request)) is not None:
        return login
    if request.method != "POST":
        languages = request.user.language_list
        initial = {"language": languages[0]} if languages else {}
        return _story_form_page(request, StoryForm(user=request.user, initial=initial), None)
    story = _draft_for(request)
    form = StoryForm(request.POST, request.FILES, user=request.user, story=story)
    if not form.is_valid():
        return _refused(request, form, story)
    return _save(request, form, story)


def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if (login := _require_login(request)) is not None:
        return login
    story = queries.get_story_desk_for_user(request.user, pk)
    if request.method != "POST":
        if not permissions.can_story(request.user, "edit", story):
            raise PermissionDenied(
                _("The story is with the editors now: ask them for changes in an editorial comment.")
            )
        return _story_form_page(
            request, StoryForm(user=request.user, story=story, initial=StoryForm.initial_for(story)), story
        )
    # A story that moved on while this page was open (sent, declined) refuses the save in the service,
    # and the page comes back with every typed word and the reason.
    form = StoryForm(request.POST, request.FILES, user=request.user, story=story)
    if not form.is_valid():
        return _refused(request, form, story)
    return _save(request, form, story)


@require_POST
def story_autosave(request: HttpRequest) -> HttpResponse:
    """What the writing page sends every few seconds (htmx): save the draft as it stands and say so. A page
    that has no story yet makes its draft here on the first save that has a title."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    story = _draft_for(request)
    form = AutosaveForm(request.POST, user=request.user, story=story)
    context: dict[str, Any] = {"story": story, "autosave": True}
    if story is not None and story.state not in Story.AUTHOR_EDITABLE:
        context["problem"] = _("Not saved: the story is %(state)s now. Copy your text before you leave.") % {
            "state": story.get_state_display().lower()
        }
        return render(request, "blog/story_form.html#autosave-status", context)
    if not form.is_valid():
        context["problem"] = _("Not saved yet: %(reason)s") % {
            "reason": " ".join(str(e) for errors in form.errors.values() for e in errors)
        }
        return render(request, "blog/story_form.html#autosave-status", context)
    try:
        story = _create_or_update(request, form, story)
    except ValidationError as exc:
        context["problem"] = _("Not saved: %(reason)s") % {"reason": " ".join(exc.messages)}
        return render(request, "blog/story_form.html#autosave-status", context)
    context.update(story=story, saved_at=timezone.now(), oob=True)
    response = render(request, "blog/story_form.html#autosave-status", context)
    response["HX-Replace-Url"] = f"{story.desk_url()}/edit"
    return response


def my_stories(request: HttpRequest) -> HttpResponse:
    if (login := _require_login(request)) is not None:
        return login
    page = peek_page(queries.my_stories(request.user), page_number(request), LIST_SIZE)
    return render(request, "blog/mine.html", {"page": page, "stories": page.object_list})


# --- a story's desk --------------------------------------------------------------------------------


def _desk(request: HttpRequest, story: Story, *, status: int = 200, errors=(), **forms: Any) -> HttpResponse:
    user = request.user
    reason_forms = {
        name: forms.get(f"{name}_form") or ReasonForm(prefix=name) for name in ("changes", "decline", "unpublish")
    }
    # Named only to those who may know of them: the group the story speaks for, the story it translates.
    group = story.group if story.group_id and permissions.can(user, "see", story.group) else None
    original = queries.visible_original(user, story)
    context = {
        "story": story,
        "authors": list(story.authors.all()),
        "group": group,
        "original": original,
        "is_author": permissions.is_story_author(user, story),
        "can_edit": permissions.can_story(user, "edit", story),
        "can_review": permissions.can_story(user, "review", story),
        "can": {move: permissions.can_story(user, move, story) for move in Story.MOVES},
        "missing": story.missing_for_submission,
        "timeline": queries.story_timeline(story),
        "revision_count": story.version - 1,
        "comment_form": forms.get("comment_form") or EditorialCommentForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(zone=_zone(user)),
        "authors_form": forms.get("authors_form")
        or AuthorsForm(initial={"authors": ", ".join(a.username for a in story.authors.all())}),
        "translation_form": forms.get("translation_form")
        or TranslationForm(initial={"original": original.get_absolute_url() if original else ""}),
        "reason_forms": reason_forms,
        "errors": errors,
        "states": State,
    }
    return render(request, "blog/desk.html", context, status=status)


def story_desk(request: HttpRequest, pk: int) -> HttpResponse:
    if (login := _require_login(request)) is not None:
        return login
    return _desk(request, queries.get_story_desk_for_user(request.user, pk))


def desk_post(view: Callable) -> Callable:
    """A button on a story's desk: POST only, visitors sent to log in, 404 for anyone who may not open the
    desk; a refusal shows the desk again with the reason (400), a forbidden move is 403."""

    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(f"/blog/stories/{pk}")
        story = queries.get_story_desk_for_user(request.user, pk)
        try:
            return view(request, story)
        except ValidationError as exc:
            return _desk(request, story, status=400, errors=_errors(exc))

    return wrapper


def _done(request: HttpRequest, story: Story, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(story.desk_url())


@desk_post
def story_submit(request: HttpRequest, story: Story) -> HttpResponse:
    services.story_submit(user=request.user, story=story)
    return _done(request, story, _("Thank you: your story is with the editors. You will hear from them here."))


@desk_post
def story_withdraw(request: HttpRequest, story: Story) -> HttpResponse:
    services.story_withdraw(user=request.user, story=story)
    return _done(request, story, _("The story is a draft again: send it when it is ready."))


@desk_post
def story_delete(request: HttpRequest, story: Story) -> HttpResponse:
    services.story_delete(user=request.user, story=story)
    messages.success(request, _("The draft was deleted."))
    return redirect("blog:mine")


@desk_post
def story_claim(request: HttpRequest, story: Story) -> HttpResponse:
    services.story_claim(user=request.user, story=story)
    return _done(request, story, _("You are reviewing this story."))


def _with_reason(name: str, service: Callable, done: str) -> Callable:
    @desk_post
    def view(request: HttpRequest, story: Story) -> HttpResponse:
        form = ReasonForm(request.POST, prefix=name)
        if not form.is_valid():
            return _desk(request, story, status=400, **{f"{name}_form": form})
        try:
            service(user=request.user, story=story, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            return _desk(request, story, status=400, errors=_errors(exc), **{f"{name}_form": form})
        return _done(request, story, done)

    return view


story_request_changes = _with_reason(
    "changes", services.story_request_changes, _("The authors were asked for changes.")
)
story_decline = _with_reason("decline", services.story_decline, _("The story was declined; its authors were told why."))
story_unpublish = _with_reason("unpublish", services.story_unpublish, _("The story is no longer published."))


@desk_post
def story_schedule(request: HttpRequest, story: Story) -> HttpResponse:
    form = ScheduleForm(request.POST, zone=_zone(request.user))
    if not form.is_valid():
        return _desk(request, story, status=400, schedule_form=form)
    try:
        services.story_schedule(user=request.user, story=story, at=form.cleaned_data["at"])
    except ValidationError as exc:
        return _desk(request, story, status=400, errors=_errors(exc), schedule_form=form)
    when = when_text(form.cleaned_data["at"], "datetime", zone=form.zone)
    return _done(request, story, _("Scheduled: the story appears on %(when)s.") % {"when": when})


@desk_post
def story_publish(request: HttpRequest, story: Story) -> HttpResponse:
    story = services.story_publish(user=request.user, story=story)  # its address is made now
    messages.success(request, _("Published."))
    return redirect(story.get_absolute_url())


@desk_post
def story_feature(request: HttpRequest, story: Story) -> HttpResponse:
    featured = request.POST.get("featured") == "1"
    services.story_feature(user=request.user, story=story, featured=featured)
    return _done(request, story, _("Featured on the blog's front page.") if featured else _("No longer featured."))


@desk_post
def story_comment(request: HttpRequest, story: Story) -> HttpResponse:
    form = EditorialCommentForm(request.POST)
    if not form.is_valid():
        return _desk(request, story, status=400, comment_form=form)
    try:
        services.editorial_comment_add(user=request.user, story=story, raw=form.cleaned_data["raw"])
    except ValidationError as exc:
        return _desk(request, story, status=400, errors=_errors(exc), comment_form=form)
    return _done(request, story, _("Comment added."))


@desk_post
def story_authors(request: HttpRequest, story: Story) -> HttpResponse:
    form = AuthorsForm(request.POST)
    if not form.is_valid():
        return _desk(request, story, status=400, authors_form=form)
    try:
        still_here = services.story_set_authors(user=request.user, story=story, authors=form.cleaned_data["authors"])
    except ValidationError as exc:
        return _desk(request, story, status=400, errors=_errors(exc), authors_form=form)
    if not still_here:
        messages.success(request, _("Authors saved. You are no longer one of them."))
        return redirect("blog:mine")
    return _done(request, story, _("Authors saved."))


@desk_post
def story_translation(request: HttpRequest, story: Story) -> HttpResponse:
    form = TranslationForm(request.POST)
    if not form.is_valid():
        return _desk(request, story, status=400, translation_form=form)
    original = None
    if form.cleaned_data["original"]:
        try:
            original = queries.original_for_translation(request.user, form.cleaned_data["original"])
        except Http404:
            form.add_error("original", _("No story you may open has that address."))
            return _desk(request, story, status=400, translation_form=form)
    try:
        services.story_link_translation(user=request.user, story=story, original=original)
    except ValidationError as exc:
        return _desk(request, story, status=400, errors=_errors(exc), translation_form=form)
    return _done(request, story, _("Linked as a translation.") if original else _("No longer linked as a translation."))


def story_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every earlier version of the story with what changed from it to the next."""
    if (login := _require_login(request)) is not None:
        return login
    story = queries.get_story_desk_for_user(request.user, pk)
    revisions = queries.story_revisions(story)
    rows = []
    newer = (story.title, story.lead, story.body)
    for revision in revisions:  # newest first: each compares with the version after it
        older = (revision.title, revision.lead, revision.body)
        rows.append(
            {
                "revision": revision,
                "title": (older[0], newer[0]) if older[0] != newer[0] else None,
                "lead": revision_diff(older[1], newer[1]) if older[1] != newer[1] else [],
                "body": revision_diff(older[2], newer[2]) if older[2] != newer[2] else [],
            }
        )
        newer = older
    return render(request, "blog/revisions.html", {"story": story, "rows": rows})


# --- the editors' pages ----------------------------------------------------------------------------


def review_queue(request: HttpRequest) -> HttpResponse:
    if (login := _require_login(request)) is not None:
        return login
    _require_editor(request)
    state = request.GET.get("state") or State.SUBMITTED
    if state not in queries.QUEUE_STATES:
        raise Http404
    page = peek_page(queries.review_queue(request.user, state), page_number(request), LIST_SIZE)
    tabs = [(s, State(s).label, n) for s, n in queries.queue_counts(request.user).items()]
    context = {"page": page, "stories": page.object_list, "state": state, "tabs": tabs}
    return render(request, "blog/review.html", context)


def _month(request: HttpRequest) -> datetime.date:
    value = request.GET.get("month", "")
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-"))
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if not 1970 <= first.year <= 2100:  # a calendar of editorial work, not of the ages
        raise Http404
    return first


def editorial_calendar(request: HttpRequest) -> HttpResponse:
    """Scheduled and published stories by day, a month at a time (weeks start on the locale's first day)."""
    if (login := _require_login(request)) is not None:
        return login
    _require_editor(request)
    first = _month(request)
    start, end = queries.month_range(first.year, first.month)
    by_day: dict[datetime.date, list[Story]] = {}
    for when, story in queries.calendar_stories(request.user, start, end):
        by_day.setdefault(when.astimezone(datetime.UTC).date(), []).append(story)
    week_start = int(formats.get_format("FIRST_DAY_OF_WEEK"))  # 0 Sunday, 1 Monday
    lead = (first.isoweekday() % 7 - week_start) % 7
    day = first - datetime.timedelta(days=lead)
    weeks = []
    while day < end.date():
        week = []
        for _i in range(7):
            week.append({"date": day, "in_month": day.month == first.month, "stories": by_day.get(day, [])})
            day += datetime.timedelta(days=1)
        weeks.append(week)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = end.date()
    context = {
        "month": first,
        "weeks": weeks,
        "weekdays": [w["date"] for w in weeks[0]],
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "following": f"{following.year:04d}-{following.month:02d}",
        "today": timezone.localdate(),
    }
    return render(request, "blog/calendar.html", context)


def help_translate(request: HttpRequest) -> HttpResponse:
    """ "Help translate": published stories that lack a translation into the reader's languages (or the
    ones `?lang=` names), newest first, each with a button per missing language. Visitors are asked to
    sign in: a translation is a draft of one's own."""
    languages = language_filter(request, lead_with_reader=False)
    wanted = languages.codes or reader_languages(request)[:4]
    context: dict[str, Any] = {"languages": languages, "wanted": [(c, language_autonym(c)) for c in wanted]}
    if request.user.is_authenticated:
        page = peek_page(queries.stories_to_translate(request.user, wanted), page_number(request), LIST_SIZE)
        missing = queries.missing_languages(list(page.object_list), wanted)
        context.update(
            page=page,
            stories=[(s, [(code, language_autonym(code)) for code in missing.get(s.pk, [])]) for s in page.object_list],
        )
    return render(request, "blog/translate.html", context)


@require_POST
def translation_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a translation of a published story into a language: a linked draft, opened in the editor."""
    if (login := _require_login(request)) is not None:
        return login
    original = queries.story_to_translate(request.user, pk)
    try:
        story = services.story_start_translation(
            user=request.user, original=original, language=request.POST.get("language", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("/blog/translate")
    messages.success(request, _("Your translation is a draft of your own: write it beside the original."))
    return redirect(f"{story.desk_url()}/edit")
