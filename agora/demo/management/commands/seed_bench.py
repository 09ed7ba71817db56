"""Scaled data for benchmarks: many topics, posts, users, tags and likes, written with bulk inserts.

The services would take minutes at these sizes, so this writes rows directly, in batches, and sets
every counter (posts, replies, likes, per category) to what the services would have kept. Post HTML
is rendered once per sample text, as the services render it at save. Run it on a fresh database.
"""

# Sample text in Chinese uses full-width punctuation on purpose.

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.accounts.usernames import canonical_username, username_skeleton
from agora.core.markdown import render_markdown
from agora.discuss.models import Category, CategoryGrant, Post, PostLike, Tag, Topic, make_slug
from agora.groups.models import Group
from agora.moderation.limits import posting_limits_off

BENCH_PREFIX = "bench-"
PRIVATE_SLUG = "bench-private"
# Names in several scripts, as the real site will have; digits keep them unique.
NAME_PATTERNS = ["Bench user {n}", "Участник {n}", "مستخدم {n}", "用户 {n}", "उपयोगकर्ता {n}", "Usuária {n}"]
LANGUAGES = ["en", "en", "en", "fr", "es", "de", "ar", "ru", "zh", "hi", "pt"]
WORDS = [
    *("wikipedia", "wikidata", "commons", "wikisource", "archive", "library", "museum", "photo", "reference"),
    *("citation", "template", "edit-a-thon", "workshop", "translation", "grant", "report", "volunteer"),
    *("affiliate", "language", "script", "category", "query"),
]
SAMPLE_TEXTS = [
    "Thanks, this helped a lot. I will try it tonight and report back.",
    "I agree with the points above.\n\n- The list of articles was useful\n- The timing was good",
    "Here is the query I use:\n\n```sparql\nSELECT ?item WHERE { ?item wdt:P31 wd:Q5 } LIMIT 10\n```",
    "**Good question.** The short answer is: it depends on the licence of the original work. See "
    "https://commons.wikimedia.org/wiki/Commons:Licensing for the details.",
    "Merci pour le partage ! Nous avons fait la même chose à Lyon, avec de bons résultats.",
    "شكرًا على المشاركة، سنجرب هذه الطريقة في الورشة القادمة.",
    "Спасибо! Добавлю это в нашу памятку для новичков.",
    "这个方法很好用，谢谢。",
    "A longer reply, to give the page some weight. " * 12,
    '[quote="Bench user 1, post:1, topic:1"]\nThe original question.\n[/quote]\n\nReplying to the question above.',
]


class Command(BaseCommand):
    help = "Fill a fresh database with scaled data for benchmarks (bulk inserts, consistent counters)."

    def add_arguments(self, parser):
        parser.add_argument("--topics", type=int, default=1000)
        parser.add_argument("--posts-per-topic", type=int, default=20, help="Posts in each topic, the first included.")
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--tags", type=int, default=50)
        parser.add_argument("--likes", type=int, default=10000, help="Likes in all, spread over the posts.")
        parser.add_argument("--categories", type=int, default=6, help="The last one is private (staff only).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--batch", type=int, default=500, help="Topics written per batch.")
        parser.add_argument("--events", type=int, default=0, help="Events, each a topic in the bench-events category.")
        parser.add_argument("--recurring", type=int, default=0, help="How many of the events repeat (weekly).")

    def handle(self, *args, **options):
        sizes = {k: options[k] for k in ("topics", "posts_per_topic", "users", "tags", "likes", "categories")}
        if min(sizes.values()) < 0 or options["posts_per_topic"] < 1 or options["users"] < 1:
            raise CommandError("Sizes must be positive, with at least one user and one post per topic.")
        if Category.objects.filter(slug__startswith=BENCH_PREFIX).exists():
            raise CommandError("Bench data is already here: run seed_bench on a fresh database.")
        started = time.perf_counter()
        writer = BenchWriter(rng=random.Random(options["seed"]), batch=max(options["batch"], 1), **sizes)
        with transaction.atomic(), posting_limits_off():
            writer.run(progress=self.stdout.write if options["verbosity"] > 1 else None)
            if options["events"] > 0:
                writer.events(options["events"], min(options["recurring"], options["events"]))
        _analyze()
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            f"Bench data: {writer.counts['topics']} topics, {writer.counts['posts']} posts, "
            f"{writer.counts['users']} users, {writer.counts['tags']} tags, {writer.counts['likes']} likes "
            f"in {writer.counts['categories']} categories"
            + (
                f", {writer.counts['events']} events ({writer.counts['occurrences']} dates)"
                if writer.counts["events"]
                else ""
            )
            + f" ({time.perf_counter() - started:.1f} s)."
        )


class BenchWriter:
    def __init__(self, *, rng, batch, topics, posts_per_topic, users, tags, likes, categories):
        self.rng = rng
        self.batch = batch
        self.n_topics = topics
        self.per_topic = posts_per_topic
        self.n_users = users
        self.n_tags = tags
        self.n_likes = min(likes, topics * posts_per_topic * max(users - 1, 0))
        self.n_categories = max(categories, 1)
        self.now = timezone.now()
        self.start = self.now - timedelta(days=365)
        self.counts = {"topics": 0, "posts": 0, "users": 0, "tags": 0, "likes": 0, "categories": 0, "events": 0}

    def run(self, progress=None) -> None:
        self._users()
        self._categories()
        self._tags()
        self._samples()
        cat_counts = {c.pk: [0, 0] for c in self.categories}
        done_likes = 0
        for first in range(0, self.n_topics, self.batch):
            size = min(self.batch, self.n_topics - first)
            # Likes go to batches in proportion to their topics, the remainder to the last batch.
            likes = self.n_likes - done_likes if first + size >= self.n_topics else self.n_likes * size // self.n_topics
            done_likes += self._topic_batch(first, size, likes, cat_counts)
            if progress:
                progress(f"  {first + size} topics written")
        for category in self.categories:
            topics, posts = cat_counts[category.pk]
            Category.objects.filter(pk=category.pk).update(topic_count=topics, post_count=posts)
        self.counts["likes"] = done_likes

    # Events

    def events(self, count: int, recurring: int) -> None:
        """Events around the world in a public category that allows events: one-off ones over the past
        and coming year, `recurring` weekly ones written up to the horizon by the real service."""
        import zoneinfo
        from datetime import datetime, time

        from agora.events.models import Event, Occurrence
        from agora.events.services import occurrences_sync

        rng = self.rng
        category = Category.objects.create(
            name="Bench events", slug=f"{BENCH_PREFIX}events", allows_events=True, position=99
        )
        everyone = Group.objects.get(name="everyone")
        CategoryGrant.objects.create(category=category, group=everyone, level=CategoryGrant.Level.SEE)
        zones = ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Africa/Lagos", "America/Sao_Paulo", "UTC"]
        html = render_markdown("A bench event: come along.")
        today = self.now.date()
        done = 0
        for first in range(0, count, self.batch):
            size = min(self.batch, count - first)
            topics = Topic.objects.bulk_create(
                [
                    Topic(
                        title=f"Bench event {first + i}",
                        slug=f"bench-event-{first + i}",
                        category=category,
                        user_id=rng.choice(self.user_ids),
                        language=rng.choice(LANGUAGES),
                        posts_count=1,
                        highest_post_number=1,
                        created_at=self.now,
                        bumped_at=self.now,
                        last_posted_at=self.now,
                    )
                    for i in range(size)
                ]
            )
            Post.objects.bulk_create(
                [Post(topic=t, number=1, user_id=t.user_id, raw="A bench event.", html=html) for t in topics]
            )
            events = []
            for i, topic in enumerate(topics):
                index = first + i
                day = today + timedelta(days=rng.randint(-365, 365))
                online = rng.random() < 0.3
                events.append(
                    Event(
                        topic=topic,
                        timezone=rng.choice(zones),
                        start_date=day,
                        start_time=time(rng.randint(8, 20)),
                        end_date=day,
                        end_time=time(21, 30),
                        rrule="FREQ=WEEKLY" if index < recurring else "",
                        venue="" if online else f"Venue {index}",
                        country=rng.choice(["FR", "US", "IN", "NG", "BR", "DE"]),
                        latitude=None if online else rng.uniform(-60, 70),
                        longitude=None if online else rng.uniform(-180, 180),
                        online_url="https://meet.example.org/bench" if online else "",
                        languages=f",{topic.language},",
                        created_by_id=topic.user_id,
                    )
                )
            events = Event.objects.bulk_create(events)
            rows = []
            for event in events:
                if event.rrule:
                    occurrences_sync(event=event, now=self.now)
                    continue
                zone = zoneinfo.ZoneInfo(event.timezone)
                start = datetime.combine(event.start_date, event.start_time, tzinfo=zone)
                end = datetime.combine(event.end_date, event.end_time, tzinfo=zone)
                rows.append(
                    Occurrence(
                        event=event,
                        key=f"{event.start_date:%Y%m%d}T{event.start_time:%H%M%S}",
                        start_utc=start,
                        end_utc=end,
                        start_date=event.start_date,
                        start_time=event.start_time,
                        end_date=event.end_date,
                        end_time=event.end_time,
                    )
                )
            Occurrence.objects.bulk_create(rows, batch_size=1000)
            done += size
        Category.objects.filter(pk=category.pk).update(topic_count=done, post_count=done)
        self.counts["events"] = done
        self.counts["occurrences"] = Occurrence.objects.filter(event__topic__category=category).count()

    # Users, places, tags

    def _users(self) -> None:
        password = make_password(None)  # unusable: bench users are signed in with force_login
        joined = self.start - timedelta(days=30)
        users = []
        for n in range(1, self.n_users + 1):
            name = NAME_PATTERNS[(n - 1) % len(NAME_PATTERNS)].format(n=n)
            users.append(
                User(
                    username=name,
                    username_canonical=canonical_username(name),
                    username_skeleton=username_skeleton(name),
                    email=f"bench{n}@example.org",
                    password=password,
                    trust_level=1 + n % 3,
                    date_joined=joined,
                    # The first user is staff, so the private category has an author who may write there.
                    is_staff=n == 1,
                )
            )
        self.users = User.objects.bulk_create(users, batch_size=1000)
        self.user_ids = [u.pk for u in self.users]
        self.counts["users"] = len(self.users)

    def _categories(self) -> None:
        groups = {g.name: g for g in Group.objects.filter(automatic=True)}
        cats, grants = [], []
        for n in range(1, self.n_categories + 1):
            private = n == self.n_categories and self.n_categories > 1
            slug = PRIVATE_SLUG if private else f"{BENCH_PREFIX}{n}"
            cats.append(
                Category(
                    name=f"Bench private {n}" if private else f"Bench category {n}",
                    slug=slug,
                    description="Benchmark data.",
                    position=100 + n,
                    accepts_solutions=n == 1,
                )
            )
        self.categories = Category.objects.bulk_create(cats)
        for category in self.categories:
            if category.slug == PRIVATE_SLUG:
                grants.append(CategoryGrant(category=category, group=groups["staff"], level=CategoryGrant.Level.CREATE))
            else:
                grants.append(CategoryGrant(category=category, group=groups["everyone"], level=CategoryGrant.Level.SEE))
                grants.append(
                    CategoryGrant(category=category, group=groups["members"], level=CategoryGrant.Level.CREATE)
                )
        CategoryGrant.objects.bulk_create(grants)
        self.counts["categories"] = len(self.categories)
        # The private category takes a small share of the topics.
        self.category_weights = [1 if c.slug == PRIVATE_SLUG else 10 for c in self.categories]

    def _tags(self) -> None:
        existing = set(Tag.objects.values_list("name", flat=True))
        names = [f"bench-tag-{n}" for n in range(1, self.n_tags + 1) if f"bench-tag-{n}" not in existing]
        Tag.objects.bulk_create([Tag(name=name) for name in names])
        self.tag_ids = list(Tag.objects.filter(name__startswith="bench-tag-").values_list("pk", flat=True))
        self.counts["tags"] = len(self.tag_ids)

    def _samples(self) -> None:
        first_user = self.users[0]
        mention = f"\n\nThanks @{first_user.username.replace(' ', '_')} for the tip."
        urls = {first_user.username: first_user.get_absolute_url()}
        self.samples = [(raw, render_markdown(raw, urls)) for raw in SAMPLE_TEXTS]
        self.samples += [(raw + mention, render_markdown(raw + mention, urls)) for raw in SAMPLE_TEXTS[:3]]

    # Topics, posts, likes

    def _topic_batch(self, first: int, size: int, likes: int, cat_counts: dict[int, list[int]]) -> int:
        rng = self.rng
        span = (self.now - self.start).total_seconds()
        plans = []
        for i in range(first, first + size):
            category = rng.choices(self.categories, weights=self.category_weights)[0]
            author = self.users[0] if category.slug == PRIVATE_SLUG else rng.choice(self.users)
            created = self.start + timedelta(seconds=span * (i + rng.random()) / max(self.n_topics, 1))
            times = [created]
            for _n in range(self.per_topic - 1):
                times.append(min(times[-1] + timedelta(minutes=rng.uniform(5, 600)), self.now))
            posters = [author.pk] + [
                (self.users[0].pk if category.slug == PRIVATE_SLUG else rng.choice(self.user_ids))
                for _n in range(self.per_topic - 1)
            ]
            plans.append({"category": category, "author": author, "times": times, "posters": posters})
        liked = self._pick_likes(plans, likes)
        post_likes = [[0] * self.per_topic for _plan in plans]
        for t, number, _user in liked:
            post_likes[t][number - 1] += 1

        topics = []
        for t, plan in enumerate(plans):
            n = first + t + 1
            words = " ".join(rng.sample(WORDS, 4))
            title = f"Bench topic {n}: {words}"
            topics.append(
                Topic(
                    title=title,
                    slug=make_slug(title),
                    category=plan["category"],
                    user=plan["author"],
                    language=rng.choice(LANGUAGES),
                    created_at=plan["times"][0],
                    bumped_at=plan["times"][-1],
                    last_posted_at=plan["times"][-1],
                    last_poster_id=plan["posters"][-1],
                    posts_count=self.per_topic,
                    reply_count=self.per_topic - 1,
                    highest_post_number=self.per_topic,
                    like_count=sum(post_likes[t]),
                    views=rng.randint(self.per_topic, self.per_topic * 40),
                    pinned_globally=n == 1,
                    pinned_at=plan["times"][0] if n == 1 else None,
                    closed=n % 50 == 0,
                )
            )
        topics = Topic.objects.bulk_create(topics, batch_size=1000)

        posts = []
        for t, (topic, plan) in enumerate(zip(topics, plans, strict=True)):
            for number in range(1, self.per_topic + 1):
                raw, html = rng.choice(self.samples)
                when = plan["times"][number - 1]
                posts.append(
                    Post(
                        topic=topic,
                        number=number,
                        user_id=plan["posters"][number - 1],
                        raw=raw,
                        html=html,
                        reply_to_number=1 if number > 1 and number % 4 == 0 else None,
                        created_at=when,
                        updated_at=when,
                        like_count=post_likes[t][number - 1],
                    )
                )
            category_count = cat_counts[plan["category"].pk]
            category_count[0] += 1
            category_count[1] += self.per_topic
        posts = Post.objects.bulk_create(posts, batch_size=2000)
        post_ids = {(p.topic_id, p.number): p.pk for p in posts}

        PostLike.objects.bulk_create(
            [
                PostLike(
                    post_id=post_ids[(topics[t].pk, number)],
                    user_id=user_id,
                    created_at=min(plans[t]["times"][number - 1] + timedelta(hours=1), self.now),
                )
                for t, number, user_id in liked
            ],
            batch_size=2000,
        )
        self._tag_topics(topics)
        self._solutions(topics, post_ids)
        self.counts["topics"] += len(topics)
        self.counts["posts"] += len(posts)
        return len(liked)

    def _pick_likes(self, plans: list[dict], wanted: int) -> list[tuple[int, int, int]]:
        """(topic index, post number, user id) triples: distinct, never on one's own post, visible to the liker.

        The opening post draws a larger share, as on a real forum.
        """
        rng = self.rng
        chosen: set[tuple[int, int, int]] = set()
        staff_id = self.users[0].pk
        attempts = 0
        while len(chosen) < wanted and attempts < wanted * 20:
            attempts += 1
            t = rng.randrange(len(plans))
            number = 1 if rng.random() < 0.3 else rng.randint(1, self.per_topic)
            private = plans[t]["category"].slug == PRIVATE_SLUG
            user_id = staff_id if private else rng.choice(self.user_ids)
            if user_id != plans[t]["posters"][number - 1]:
                chosen.add((t, number, user_id))
        return sorted(chosen)

    def _tag_topics(self, topics: list[Topic]) -> None:
        if not self.tag_ids:
            return
        through = Topic.tags.through
        rows = []
        for topic in topics:
            for tag_id in self.rng.sample(self.tag_ids, min(self.rng.randint(0, 3), len(self.tag_ids))):
                rows.append(through(topic_id=topic.pk, tag_id=tag_id))
        through.objects.bulk_create(rows, batch_size=2000)

    def _solutions(self, topics: list[Topic], post_ids: dict[tuple[int, int], int]) -> None:
        """Half the questions in the first category get an answer, as topic_mark_solution would set it."""
        if self.per_topic < 2:
            return
        solved = [t for t in topics if t.category.accepts_solutions and t.pk % 2 == 0]
        for topic in solved:
            topic.solution_post_id = post_ids[(topic.pk, 2)]
        Topic.objects.bulk_update(solved, ["solution_post"], batch_size=1000)


def _analyze() -> None:
    """Fresh planner statistics, so the first benchmark run sees what later ones will."""
    with connection.cursor() as cursor:
        if connection.vendor in {"postgresql", "sqlite"}:
            cursor.execute("ANALYZE")
