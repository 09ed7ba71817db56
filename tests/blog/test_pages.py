"""The blog's reader pages: the front page, a story with its comments, and the lists."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from agora.blog.models import BlogCategory, Series, Story
from agora.core.markdown import render_markdown
from tests import factories

_slugs = itertools.count(1)
BASE_TIME = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def make_story(author, *, title="A story of the movement", body="Some words about it.", **fields) -> Story:
    """A story written straight to the database (the editorial services are separate)."""
    categories = fields.pop("categories", ())
    tags = fields.pop("tags", ())
    extra_authors = fields.pop("authors", ())
    state = fields.pop("state", Story.State.PUBLISHED)
    if state == Story.State.PUBLISHED:
        fields.setdefault("published_at", BASE_TIME)
    story = Story.objects.create(
        title=title,
        slug=fields.pop("slug", f"story-{next(_slugs)}"),
        lead=fields.pop("lead", f"The lead of {title}."),
        body=body,
        body_html=render_markdown(body),
        created_by=author,
        state=state,
        **fields,
    )
    story.authors.add(author, *extra_authors)
    story.categories.add(*categories)
    story.tags.add(*tags)
    return story


@pytest.fixture
def author(db):
    return factories.UserFactory(username="Writer", display_name="Wanda Writer", trust_level=1)


@pytest.fixture
def community(db):
    return BlogCategory.objects.create(name="Community", slug="community", description="People and places.")


@pytest.fixture
def newsletter(db):
    return Series.objects.create(name="Monthly letter", slug="monthly", description="Once a month.")


@pytest.fixture
def published(author, community, newsletter):
    return make_story(
        author,
        title="We planted a thousand trees",
        body="**Trees** everywhere. " + "word " * 450,
        slug="trees",
        lead="A day in the park.",
        categories=[community],
        tags=[factories.make_tag("ecology")],
        series=newsletter,
        featured=True,
        cover_credit="Photo by Ana",
        cover_licence="CC BY-SA 4.0",
    )


@pytest.fixture
def draft(author):
    return make_story(author, title="Secret draft about plans", slug="secret-draft", state=Story.State.DRAFT)


# --- the front page --------------------------------------------------------------------------


def test_visitors_see_published_stories_only(client, published, draft):
    body = client.get("/blog").content.decode()
    assert "We planted a thousand trees" in body
    assert "Secret draft about plans" not in body
    assert 'class="story-featured"' in body
    assert 'href="/blog/category/community"' in body  # the section by category


def test_the_front_page_paginates(client, author, settings):
    settings.AGORA_TOPICS_PER_PAGE = 2
    for i in range(3):
        make_story(author, title=f"Story number {i}", published_at=BASE_TIME + timedelta(days=i))
    first = client.get("/blog").content.decode()
    assert "Story number 2" in first and "Story number 1" in first and 'rel="next"' in first
    second = client.get("/blog?page=2").content.decode()
    assert "Story number 0" in second and "Story number 2" not in second
    assert client.get("/blog?page=3").status_code == 404
    assert client.get("/blog?page=x").status_code == 404


# --- one story -------------------------------------------------------------------------------


def test_a_story_shows_everything_a_reader_needs(client, published, author):
    response = client.get("/blog/trees")
    assert response.status_code == 200
    body = response.content.decode()
    assert "We planted a thousand trees" in body and "A day in the park." in body
    assert "<strong>Trees</strong>" in body
    assert "Wanda Writer" in body and "/blog/author/Writer" in body
    assert 'lang="en"' in body
    assert "2 min read" in body  # 452 words
    assert 'href="/blog/category/community"' in body
    assert 'href="/blog/tag/ecology"' in body
    assert 'href="/blog/series/monthly"' in body
    assert "<time" in body


def test_the_cover_shows_its_credit_and_licence(client, published):
    published.cover = "blog/trees.jpg"
    published.save()
    body = client.get("/blog/trees").content.decode()
    assert 'src="/media/blog/trees.jpg"' in body or "blog/trees.jpg" in body
    assert "Photo by Ana" in body and "CC BY-SA 4.0" in body


def test_a_short_story_takes_at_least_a_minute(client, author):
    make_story(author, slug="short", body="Five words and no more.")
    assert "1 min read" in client.get("/blog/short").content.decode()


def test_a_draft_is_404_for_outsiders_and_open_to_its_author(client_for, draft, author, outsider):
    assert client_for(None).get("/blog/secret-draft").status_code == 404
    assert client_for(outsider).get("/blog/secret-draft").status_code == 404
    response = client_for(author).get("/blog/secret-draft")
    assert response.status_code == 200
    assert b"Secret draft about plans" in response.content


def test_a_submitted_story_is_open_to_editors_but_a_draft_is_not(client_for, author, staff):
    make_story(author, slug="submitted", title="Waiting for review", state=Story.State.SUBMITTED)
    make_story(author, slug="still-draft", state=Story.State.DRAFT)
    assert client_for(staff).get("/blog/submitted").status_code == 200
    assert client_for(staff).get("/blog/still-draft").status_code == 404


def test_a_story_links_its_other_languages(client, author):
    original = make_story(author, slug="original", title="The original", language="en")
    make_story(author, slug="traduction", title="La traduction", language="fr", translation_of=original)
    make_story(
        author,
        slug="borrador",
        title="El borrador",
        language="es",
        translation_of=original,
        state=Story.State.DRAFT,
    )
    body = client.get("/blog/traduction").content.decode()
    assert 'href="/blog/original"' in body and 'hreflang="en"' in body
    assert 'lang="fr"' in body
    body = client.get("/blog/original").content.decode()
    assert 'href="/blog/traduction"' in body
    assert "/blog/borrador" not in body  # a draft translation is not linked


def test_comments_are_the_replies_of_the_discussion_topic(client_for, published, member, other_member, public_category):
    topic = factories.make_topic(member, public_category, title="Discuss: trees", raw="The story is out.")
    factories.make_reply(other_member, topic, raw="What a lovely day that was")
    gone = factories.make_reply(other_member, topic, raw="A reply that was deleted")
    gone.deleted_at = BASE_TIME
    gone.save()
    published.topic = topic
    published.save()
    visitor = client_for(None).get("/blog/trees").content.decode()
    assert "What a lovely day that was" in visitor
    assert "A reply that was deleted" not in visitor
    assert "The story is out." not in visitor  # the opening post is not a comment
    assert 'action="/t/' not in visitor  # visitors get a link to log in, not a form
    signed_in = client_for(member).get("/blog/trees").content.decode()
    assert f'action="/t/{topic.pk}/reply"' in signed_in


def test_comments_in_a_hidden_category_stay_hidden(client_for, published, staff, member, staff_category):
    topic = factories.make_topic(staff, staff_category, title="Staff talk about trees", raw="Internal.")
    factories.make_reply(staff, topic, raw="Staff-only remark")
    published.topic = topic
    published.save()
    body = client_for(member).get("/blog/trees").content.decode()
    assert "Staff-only remark" not in body and 'action="/t/' not in body
    assert "Staff-only remark" in client_for(staff).get("/blog/trees").content.decode()


def test_the_story_page_shows_the_latest_news(client, author, published):
    make_story(author, slug="other-news", title="Other news of the week", published_at=BASE_TIME + timedelta(days=1))
    body = client.get("/blog/trees").content.decode()
    assert "Latest news" in body and 'href="/blog/other-news"' in body
    assert 'href="/blog/trees"' not in body.split("Latest news")[1]  # not itself


def test_latest_news_lists_three_published_stories(author, draft):
    from agora.blog.queries import latest_news_one_per_story

    stories = [make_story(author, published_at=BASE_TIME + timedelta(days=i)) for i in range(4)]
    assert latest_news_one_per_story(None) == stories[:0:-1]


# --- lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/blog/category/community",
        "/blog/tag/ecology",
        "/blog/author/Writer",
        "/blog/language/en",
        "/blog/series/monthly",
        "/blog/2026/3",
    ],
)
def test_each_list_shows_its_published_stories_and_no_drafts(client, published, author, community, url):
    make_story(
        author,
        slug="hidden-draft",
        title="Unfinished thoughts",
        state=Story.State.DRAFT,
        categories=[community],
        tags=[factories.make_tag("ecology")],
    )
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "We planted a thousand trees" in body
    assert "Unfinished thoughts" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/blog/category/nothing",
        "/blog/tag/nothing",
        "/blog/tag/draftonly",
        "/blog/author/Nobody",
        "/blog/language/xx",
        "/blog/series/nothing",
        "/blog/2026/13",
        "/blog/nothing",
    ],
)
def test_missing_things_are_404(client, published, author, url):
    make_story(author, slug="d", state=Story.State.DRAFT, tags=[factories.make_tag("draftonly")])
    assert client.get(url).status_code == 404


def test_the_archive_keeps_to_its_month(client, author):
    make_story(author, title="March story", published_at=datetime(2026, 3, 31, 23, 0, tzinfo=UTC))
    make_story(author, title="April story", published_at=datetime(2026, 4, 1, 1, 0, tzinfo=UTC))
    body = client.get("/blog/2026/3").content.decode()
    assert "March story" in body and "April story" not in body


LIST_URLS = [
    "/blog",
    "/blog/category/community",
    "/blog/tag/ecology",
    "/blog/author/Writer",
    "/blog/language/en",
    "/blog/series/monthly",
    "/blog/2026/3",
]


def _make_many(n, author, community, newsletter):
    tag = factories.make_tag("ecology")
    others = [factories.UserFactory() for _ in range(3)]
    for i in range(n):
        make_story(
            author,
            authors=[others[i % 3]],
            categories=[community],
            tags=[tag],
            series=newsletter,
            featured=i == 0,
            published_at=BASE_TIME + timedelta(minutes=i),
        )


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("count", [3, 30])
def test_lists_take_a_fixed_number_of_queries(
    client_for, member, author, community, newsletter, url, count, django_assert_max_num_queries
):
    _make_many(count, author, community, newsletter)
    BlogCategory.objects.create(name="Events", slug="events")
    client = client_for(member)
    # /blog: +1 the upcoming events beside the stories; every list: +1 the same.
    with django_assert_max_num_queries(19 if url == "/blog" else 11):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_a_story_page_takes_a_fixed_number_of_queries(
    client_for, member, author, community, newsletter, public_category, count, django_assert_max_num_queries
):
    _make_many(3, author, community, newsletter)
    story = Story.objects.first()
    topic = factories.make_topic(member, public_category, title="Discuss: the story", raw="Out now.")
    for i in range(count):
        factories.make_reply(author, topic, raw=f"Comment number {i}")
    story.topic = topic
    story.save()
    client = client_for(member)
    with django_assert_max_num_queries(20):
        response = client.get(story.get_absolute_url())
    assert f"Comment number {count - 1}".encode() in response.content
