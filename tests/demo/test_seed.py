"""The demo and bench seeds: what they create, that counters are true, and that seed_demo is idempotent."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.test import Client
from django.utils import timezone
from PIL import Image

from agora import permissions
from agora.accounts.models import User
from agora.accounts.usernames import validate_username_characters
from agora.blog.models import EditorialComment, Story, StoryEvent
from agora.demo import data as demo_data
from agora.discuss.models import Category, Post, PostLike, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def assert_counters_are_true() -> None:
    """What the services keep on the rows equals what counting the rows gives."""
    live = Q(posts__deleted_at__isnull=True)
    topics = Topic.objects.annotate(
        live_posts=Count("posts", filter=live),
        highest=Max("posts__number"),
        post_likes=Sum("posts__like_count"),
    )
    assert not topics.exclude(posts_count=F("live_posts")).exists()
    assert not topics.exclude(reply_count=F("live_posts") - 1).exists()
    assert not topics.exclude(highest_post_number=F("highest")).exists()
    assert not topics.exclude(like_count=F("post_likes")).exists()
    last_poster = Post.objects.filter(topic=OuterRef("pk")).order_by("-number").values("user")[:1]
    assert not Topic.objects.exclude(last_poster=Subquery(last_poster)).exists()
    assert not Post.objects.annotate(n_likes=Count("likes")).exclude(like_count=F("n_likes")).exists()
    assert not PostLike.objects.filter(post__user=F("user")).exists(), "nobody likes their own post"
    for category in Category.objects.annotate(topics_n=Count("topics"), posts_n=Sum("topics__posts_count")):
        assert category.topic_count == category.topics_n, category.slug
        assert category.post_count == (category.posts_n or 0), category.slug


def test_it_fills_an_empty_site_with_multilingual_content():
    output = seed_demo()

    assert "Demo content ready" in output
    assert User.objects.count() == len(demo_data.USERS)
    non_latin = [u.username for u in User.objects.all() if any(ord(c) > 0x24F for c in u.username)]
    assert len(non_latin) >= 10
    assert User.objects.filter(username__contains=" ").count() >= 10
    assert User.objects.exclude(display_name="").exists()
    assert User.objects.exclude(bio_html="").exists()
    languages = set(Topic.objects.values_list("language", flat=True))
    assert {"en", "fr", "es", "ar", "hi", "ru", "zh", "de", "pt"} <= languages


def test_every_demo_username_follows_the_wiki_rules_and_no_two_look_alike():
    for spec in demo_data.USERS:
        validate_username_characters(spec.username)
    seed_demo()
    skeletons = list(User.objects.values_list("username_skeleton", flat=True))
    assert len(skeletons) == len(set(skeletons))


def test_it_creates_the_roles_and_verified_addresses_people_sign_in_with():
    seed_demo()

    admin = User.objects.get(username=demo_data.ADMIN_USERNAME)
    assert admin.is_staff and admin.is_superuser and admin.has_usable_password()
    assert User.objects.get(username=demo_data.MODERATOR_USERNAME).is_moderator
    addresses = EmailAddress.objects.filter(verified=True, primary=True)
    assert addresses.count() == User.objects.count()


def test_the_admin_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a demo password for tests")

    output = seed_demo()

    assert User.objects.get(username="admin").check_password("a demo password for tests")
    assert "a demo password for tests" not in output


def test_it_writes_conversations_with_quotes_mentions_likes_and_bookmarks():
    seed_demo()

    assert Post.objects.filter(html__contains='<aside class="quote"').count() >= 5
    assert Post.objects.filter(html__contains='class="mention"').count() >= 5
    assert PostLike.objects.count() > 100
    assert apps.get_model("discuss", "Bookmark").objects.exists()
    assert Topic.objects.filter(reply_count=0).exists(), "an unanswered question for /unanswered"
    assert_counters_are_true()


def test_it_has_a_solved_question_a_pinned_welcome_and_a_closed_topic():
    seed_demo()

    solved = Topic.objects.filter(solution_post__isnull=False).select_related("category", "solution_post")
    assert solved.exists()
    for topic in solved:
        assert topic.category.accepts_solutions
        assert topic.solution_post.topic_id == topic.pk and topic.solution_post.number > 1
    assert Topic.objects.filter(pinned_globally=True, pinned_at__isnull=False).exists()
    assert Topic.objects.filter(closed=True).exists()


def test_activity_is_spread_over_past_months_in_order():
    seed_demo()

    oldest, newest = Topic.objects.order_by("created_at")[0], Topic.objects.order_by("-created_at")[0]
    assert (newest.created_at - oldest.created_at).days > 90
    for topic in Topic.objects.all():
        times = list(topic.posts.order_by("number").values_list("created_at", flat=True))
        assert times == sorted(times)
        assert topic.created_at == times[0]
        assert topic.bumped_at == topic.last_posted_at == times[-1]


def test_the_staff_room_is_private():
    seed_demo()
    staff_room = Category.objects.get(slug="staff-room")
    private_topics = set(Topic.objects.filter(category=staff_room).values_list("pk", flat=True))
    assert private_topics
    outsider = factories.UserFactory(username="Outsider")
    moderator = User.objects.get(username=demo_data.MODERATOR_USERNAME)

    for viewer in (AnonymousUser(), outsider, moderator):
        visible = set(permissions.visible_topics(viewer).values_list("pk", flat=True))
        assert visible, "public topics are visible"
        assert not visible & private_topics
    admin = User.objects.get(username=demo_data.ADMIN_USERNAME)
    assert private_topics <= set(permissions.visible_topics(admin).values_list("pk", flat=True))


def cover_files() -> set[Path]:
    return set((Path(settings.MEDIA_ROOT) / "blog").glob("*"))


def test_a_second_run_changes_nothing():
    seed_demo()
    before = row_counts()
    passwords = dict(User.objects.values_list("username", "password"))
    stories = list(Story.objects.order_by("pk").values())
    files = cover_files()

    output = seed_demo()

    assert row_counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert list(Story.objects.order_by("pk").values()) == stories
    assert cover_files() == files, "no cover drawn twice"
    assert "nothing changed" in output and f"{len(demo_data.STORIES)} stories (0 new)" in output


# --- the blog --------------------------------------------------------------------------------------

State = Story.State


def test_it_publishes_multilingual_stories_through_the_editorial_services():
    output = seed_demo()

    published = Story.objects.filter(state=State.PUBLISHED)
    assert 14 <= published.count() <= 16
    assert "stories" in output
    assert {"en", "es", "fr", "ar", "hi", "ja"} <= set(published.values_list("language", flat=True))
    assert set(published.values_list("kind", flat=True)) == set(Story.Kind.values) - {Story.Kind.NEWS}
    assert published.filter(featured=True).count() == 1
    # Four translations of one English original, and the page says so.
    original = published.get(featured=True)
    assert original.language == "en"
    assert sorted(original.translations.values_list("language", flat=True)) == ["ar", "es", "fr", "hi"]
    page = Client().get(original.get_absolute_url()).content.decode()
    assert all(f'hreflang="{code}"' in page for code in ("ar", "es", "fr", "hi"))
    # Sections, the newsletter, tags, co-authors.
    assert all(story.categories.exists() for story in published)
    assert published.filter(series__slug="movement-monthly").count() >= 2
    assert published.filter(tags__isnull=False).distinct().count() >= 9
    assert published.annotate(n=Count("authors")).filter(n__gt=1).exists()
    for story in published:
        events = list(StoryEvent.objects.filter(story=story).values_list("to_state", flat=True))
        assert events == [State.SUBMITTED, State.IN_REVIEW, State.PUBLISHED], story.title


def test_each_published_story_opens_its_discussion_with_comments_in_order():
    seed_demo()

    published = Story.objects.filter(state=State.PUBLISHED).select_related("topic", "topic__category")
    for story in published:
        topic = story.topic
        assert topic.category.slug == "blog" and topic.title == story.title
        times = list(topic.posts.order_by("number").values_list("created_at", flat=True))
        assert topic.created_at == times[0] == story.published_at, story.title
        assert topic.bumped_at == topic.last_posted_at == times[-1] == max(times)
        assert story.created_at < story.published_at <= timezone.now()
        history = list(StoryEvent.objects.filter(story=story).values_list("created_at", flat=True))
        assert history == sorted(history) and history[-1] <= story.published_at
    assert sum(story.topic.reply_count for story in published) >= 10
    dates = sorted(published.values_list("published_at", flat=True))
    assert (dates[-1] - dates[0]).days > 60, "publication dates over the past months"
    assert_counters_are_true()
    # Visitors read the comments on the story page.
    commented = published.filter(topic__reply_count__gt=0).first()
    comment = commented.topic.posts.get(number=2)
    assert comment.raw.split()[0] in Client().get(commented.get_absolute_url()).content.decode()


def test_stories_have_generated_cover_pictures_with_credit_and_licence():
    seed_demo()

    with_cover = Story.objects.exclude(cover="")
    assert with_cover.filter(state=State.PUBLISHED).count() == Story.objects.filter(state=State.PUBLISHED).count()
    for story in with_cover:
        path = Path(settings.MEDIA_ROOT) / story.cover.name
        with Image.open(path) as picture:
            assert picture.format == "JPEG" and picture.size == (1200, 630)
            assert len(picture.resize((40, 20)).getcolors(800)) > 20, "a picture, not a flat colour"
        assert story.cover_credit and story.cover_licence == "CC BY-SA 4.0"
    story = with_cover.filter(state=State.PUBLISHED).first()
    page = Client().get(story.get_absolute_url()).content.decode()
    assert story.cover.url in page and "CC BY-SA 4.0" in page
    assert Client().get(story.cover.url).status_code == 200


def test_the_editorial_board_has_members_and_a_story_in_every_other_state():
    seed_demo()

    board = apps.get_model("agora_groups", "Group").objects.get(name=settings.AGORA_EDITORIAL_GROUP)
    editors = User.objects.filter(memberships__group=board)
    assert editors.count() >= 3 and board.member_count == editors.count()
    assert all(permissions.is_editor(e) for e in editors)
    assert editors.filter(is_staff=False).exists(), "editors who are not staff"
    states = dict(Story.objects.exclude(state=State.PUBLISHED).values_list("state", "title"))
    assert set(states) == {
        State.DRAFT,
        State.SUBMITTED,
        State.IN_REVIEW,
        State.CHANGES_REQUESTED,
        State.SCHEDULED,
        State.DECLINED,
    }
    in_review = Story.objects.get(state=State.IN_REVIEW)
    assert in_review.claimed_by in editors
    assert EditorialComment.objects.filter(story=in_review, user=in_review.claimed_by).exists()
    changes = Story.objects.get(state=State.CHANGES_REQUESTED)
    assert StoryEvent.objects.get(story=changes, to_state=State.CHANGES_REQUESTED).reason
    scheduled = Story.objects.get(state=State.SCHEDULED)
    assert timedelta(days=6) < scheduled.scheduled_at - timezone.now() < timedelta(days=8)
    assert Story.objects.get(state=State.DECLINED).decline_reason
    assert Story.objects.get(state=State.SUBMITTED).note_to_editors
    # None of them reaches readers: not the blog, not the Discuss sidebar, no topic.
    assert not Story.objects.exclude(state=State.PUBLISHED).filter(topic__isnull=False).exists()
    visitor = Client()
    pages = visitor.get("/blog").content.decode() + visitor.get("/latest").content.decode()
    for title in states.values():
        assert title not in pages


def test_the_discuss_sidebar_shows_the_newest_demo_stories():
    seed_demo()

    newest = Story.objects.filter(state=State.PUBLISHED).order_by("-published_at")[0]
    html = Client().get("/latest").content.decode()
    assert "Latest news" in html and newest.title in html


def test_it_keeps_what_people_changed_and_adds_what_is_missing():
    seed_demo()
    admin = User.objects.get(username="admin")
    admin.set_password("changed by the admin")
    admin.save()
    Topic.objects.filter(title=demo_data.TOPICS[-1].title).delete()

    seed_demo()

    assert User.objects.get(username="admin").check_password("changed by the admin")
    assert Topic.objects.filter(title=demo_data.TOPICS[-1].title).count() == 1


def test_it_refuses_to_act_through_someone_elses_account_named_admin():
    factories.UserFactory(username="Admin")

    with pytest.raises(CommandError, match="without the demo role"):
        seed_demo()
    assert not Topic.objects.exists()


def test_seed_bench_writes_the_sizes_asked_with_true_counters():
    out = StringIO()
    call_command(
        "seed_bench", topics=12, posts_per_topic=4, users=8, tags=5, likes=30, categories=3, batch=5, stdout=out
    )

    assert Topic.objects.count() == 12
    assert Post.objects.count() == 48
    assert User.objects.count() == 8
    assert PostLike.objects.count() == 30
    assert "12 topics" in out.getvalue()
    assert_counters_are_true()
    private = Category.objects.get(slug="bench-private")
    anonymous_visible = permissions.visible_topics(AnonymousUser())
    assert not anonymous_visible.filter(category=private).exists()


def test_seed_bench_refuses_to_run_twice():
    call_command("seed_bench", topics=2, posts_per_topic=2, users=3, tags=1, likes=1, stdout=StringIO())

    with pytest.raises(CommandError, match="already here"):
        call_command("seed_bench", topics=2, stdout=StringIO())


def test_seed_demo_writes_with_the_new_members_limits_on(settings):
    """A fresh site seeds its demo with the limits on (the default outside tests): the people in it are
    not posting now, so neither the pace nor the per-post limits apply, and nothing is held."""
    settings.AGORA_POSTING_LIMITS = True
    settings.AGORA_HOLD_FIRST_POSTS = 2
    seed_demo()
    assert Post.objects.count() > 20
    assert not Post.objects.filter(pending_approval=True).exists()


# --- many languages --------------------------------------------------------------------------------


def test_it_has_stories_in_four_languages_besides_english_and_a_punjabi_original():
    seed_demo()
    published = Story.objects.filter(state=State.PUBLISHED)
    others = set(published.exclude(language="en").values_list("language", flat=True))
    assert {"es", "fr", "ar", "hi", "pa"} <= others
    punjabi = published.get(language="pa")
    assert punjabi.translation_of is None
    assert list(punjabi.translations.values_list("language", flat=True)) == ["en"]
    assert Topic.objects.filter(language="pa", is_message=False).count() >= 2


def test_categories_tags_and_groups_are_named_in_the_readers_language():
    from agora.discuss.models import Tag
    from agora.groups.models import Group

    seed_demo()
    for code in ("es", "fr", "ar", "hi", "pa"):
        assert Category.objects.get(slug="ask-here").translations[code]["name"]
        assert Tag.objects.get(name="education").translations[code]["name"]
        assert Group.objects.get(name="wiki-loves-monuments").translations[code]["description_html"]
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/categories").content.decode()
    assert "اسأل هنا" in arabic
    assert "اسأل هنا" not in Client(HTTP_ACCEPT_LANGUAGE="en").get("/categories").content.decode()


def test_the_code_of_conduct_is_translated_into_arabic_and_punjabi():
    from agora.pages.models import SitePageTranslation

    seed_demo()
    languages = set(SitePageTranslation.objects.filter(page__slug="code-of-conduct").values_list("language", flat=True))
    assert {"ar", "pa"} <= languages
    assert "ਆਚਾਰ ਸੰਹਿਤਾ" in Client(HTTP_ACCEPT_LANGUAGE="pa").get("/code-of-conduct").content.decode()
