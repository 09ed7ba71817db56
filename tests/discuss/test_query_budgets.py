"""Query budgets: list pages, profile tabs, bookmarks and the topic page run a fixed number of queries,
whatever the number of topics, posts, tags, likes and blog stories (measured at 10 and at 1,000 rows)."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from agora.blog.models import Story
from agora.discuss.models import Bookmark, Category, Post, PostLike, Tag, Topic, TopicUser
from tests import factories

pytestmark = pytest.mark.django_db

# The most queries each page may run (anonymous, signed in), as measured; lower them when a page gets leaner.
# Signed in adds the session and the user; the topic page adds the viewer's likes, bookmarks and read state.
# Signed in also adds one COUNT of unread notifications for the header's badge (permission-filtered, so it
# cannot live in a counter column): +1 on every signed-in page that shows the header.
# The Discuss pages with a sidebar (lists, categories, tags, topic) add two queries: its latest news, and
# the upcoming events (one query on the occurrences' UTC index).
# Signed in, the topic page adds one for trust levels: the posts of the topic the reader was counted for;
# and one's own profile one: the figures of the trust box. Signed in, the category, tag and topic pages add
# one for the "Notifications" level control (the reader's watch row).
BUDGETS = {
    "/latest": (5, 9),
    "/top?period=all": (5, 9),
    "/unanswered": (5, 9),
    "/c/ask-here": (7, 12),
    "/tag/common": (6, 11),
    "/categories": (4, 7),
    "/tags": (4, 7),
    "/u/Author": (5, 8),
    "/u/Author/replies": (4, 7),
    "/u/Member/likes": (4, 8),
    "/bookmarks": (None, 5),
    "topic": (6, 14),
    "topic-last-page": (8, 18),  # /t/<slug>/<id>/<n>: the redirect, then the page
}
SIDEBAR_PAGES = ("/latest", "/top", "/unanswered", "/c/", "/tag/", "/categories", "/tags", "topic")


class Forum:
    """Bulk-made data (bypassing the services, keeping counters about right), grown in steps."""

    def __init__(self):
        self.author = factories.UserFactory(username="Author", trust_level=2)
        self.member = factories.UserFactory(username="Member", trust_level=1)
        self.helper = factories.UserFactory(username="Helper", trust_level=1)
        self.category = factories.make_category("Ask here", slug="ask-here", accepts_solutions=True)
        self.sub = factories.make_category("Sub", slug="sub", parent=self.category, accepts_solutions=True)
        self.common = factories.make_tag("common")
        self.big = factories.make_topic(self.author, self.sub, title="The big thread", raw="Opening post")
        answer = factories.make_reply(self.helper, self.big, raw="The answer")
        Topic.objects.filter(pk=self.big.pk).update(solution_post=answer)
        self.size = 0

    def grow_to(self, n: int) -> None:
        start, self.size = self.size, n
        count = n - start
        now = timezone.now()
        tags = Tag.objects.bulk_create([Tag(name=f"tag-{i}") for i in range(start, n)])
        topics = Topic.objects.bulk_create(
            [
                Topic(
                    title=f"Bulk topic {i}",
                    slug=f"bulk-topic-{i}",
                    category=self.category if i % 2 else self.sub,
                    user=self.author,
                    created_at=now - timedelta(minutes=i),
                    bumped_at=now - timedelta(minutes=i),
                    last_posted_at=now - timedelta(minutes=i),
                    last_poster=self.author,
                    posts_count=1,
                    highest_post_number=1,
                    like_count=1,
                    views=i,
                    pinned_at=now if i % 97 == 0 else None,
                    pinned_globally=i % 199 == 0,
                    closed=i % 13 == 0,
                )
                for i in range(start, n)
            ]
        )
        firsts = Post.objects.bulk_create(
            [
                Post(
                    topic=t,
                    number=1,
                    user=self.author,
                    raw=f"Body {t.title}",
                    html=f"<p>Body {t.title}</p>",
                    like_count=1,
                )
                for t in topics
            ]
        )
        Topic.tags.through.objects.bulk_create(
            [Topic.tags.through(topic=t, tag=tag) for t, tag in zip(topics, tags, strict=True)]
            + [Topic.tags.through(topic=t, tag=self.common) for t in topics]
        )
        # Replies in the big thread, by the author (profile replies) and the helper.
        base = Topic.objects.get(pk=self.big.pk).highest_post_number
        replies = Post.objects.bulk_create(
            [
                Post(
                    topic=self.big,
                    number=base + k + 1,
                    user=self.author if k % 2 else self.helper,
                    raw=f"Reply {k}",
                    html=f"<p>Reply {k} @Member</p>",
                    like_count=1,
                    reply_to_number=1,
                )
                for k in range(count)
            ]
        )
        Topic.objects.filter(pk=self.big.pk).update(
            highest_post_number=base + count,
            posts_count=F("posts_count") + count,
            reply_count=F("reply_count") + count,
            like_count=F("like_count") + count,
        )
        # The member likes and bookmarks every new post, and has read half of the new topics.
        PostLike.objects.bulk_create([PostLike(post=p, user=self.member) for p in [*firsts, *replies]])
        Bookmark.objects.bulk_create([Bookmark(post=p, user=self.member, note=f"note {p.pk}") for p in firsts])
        TopicUser.objects.bulk_create(
            [TopicUser(topic=t, user=self.member, last_read_number=1) for t in topics[::2]]
            + ([TopicUser(topic=self.big, user=self.member, last_read_number=2)] if start == 0 else [])
        )
        Category.objects.filter(pk=self.category.pk).update(
            topic_count=F("topic_count") + count // 2, post_count=F("post_count") + count // 2
        )
        Category.objects.filter(pk=self.sub.pk).update(
            topic_count=F("topic_count") + count - count // 2, post_count=F("post_count") + count * 2
        )
        Topic.objects.filter(pk=self.big.pk).update(bumped_at=now - timedelta(days=1))
        # Blog stories for the sidebar's latest news: every other one published, the rest drafts.
        stories = Story.objects.bulk_create(
            [
                Story(
                    title=f"Story {i}" if i % 2 else f"Draft {i}",
                    slug=f"story-{i}",
                    lead="Lead",
                    body="Body",
                    body_html="<p>Body</p>",
                    created_by=self.author,
                    state=Story.State.PUBLISHED if i % 2 else Story.State.DRAFT,
                    published_at=now - timedelta(hours=i) if i % 2 else None,
                )
                for i in range(start, n)
            ]
        )
        Story.authors.through.objects.bulk_create([Story.authors.through(story=s, user=self.author) for s in stories])

    def url(self, page: str) -> str:
        big = Topic.objects.get(pk=self.big.pk)
        if page == "topic":
            return big.get_absolute_url()
        if page == "topic-last-page":
            return big.get_absolute_url() + "/" + str(big.highest_post_number)
        return page


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
@pytest.mark.parametrize("page", list(BUDGETS))
def test_the_page_runs_a_fixed_number_of_queries_whatever_the_data_size(
    client_for, django_assert_max_num_queries, page, viewer
):
    budget = BUDGETS[page][viewer == "member"]
    if budget is None:
        pytest.skip("a signed-in page")
    forum = Forum()
    client = client_for(forum.member if viewer == "member" else None)
    counts = {}
    for size in (10, 1000):
        forum.grow_to(size)
        url = forum.url(page)
        client.get(url, follow=True)  # warm up: first-visit writes (read state, view, last seen) are not measured
        with django_assert_max_num_queries(budget) as queries:
            response = client.get(url, follow=True)
        assert response.status_code == 200, url
        counts[size] = len(queries)
        if page.startswith(("/latest", "/c/", "/tag/", "/top")):
            assert len(response.context["topics"]) > 0
        if page.startswith(SIDEBAR_PAGES):
            news = response.context["sidebar"].latest_news
            assert news and all(s.state == Story.State.PUBLISHED for s in news)
            assert news[0].title.encode() in response.content
    assert counts[10] == counts[1000], f"{page} as {viewer}: {counts[10]} queries at 10 rows, {counts[1000]} at 1,000"


def test_the_bulk_data_is_what_the_budgets_are_measured_on(client_for):
    forum = Forum()
    forum.grow_to(1000)
    assert Topic.objects.count() == 1001 and Tag.objects.count() == 1001
    assert Story.objects.filter(state=Story.State.PUBLISHED).count() == 500
    assert PostLike.objects.filter(user=forum.member).count() == 2000
    member = client_for(forum.member)
    assert member.get("/bookmarks").context["page"].has_next  # 1,000 bookmarks: more than a page
    assert member.get("/u/Member/likes").context["page"].has_next
    big = member.get(forum.url("topic-last-page"), follow=True)
    assert len(big.context["posts"]) > 0 and big.context["page"].number == big.context["page"].num_pages
