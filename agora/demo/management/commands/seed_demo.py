"""Fill a fresh site with believable multilingual demo content (idempotent: a second run changes nothing).

Content is created through the Discuss and blog services, so counters, read state, rendered HTML,
editorial history and the stories' discussion topics are what real use would give; only timestamps
are moved afterwards, to spread the activity over past months.
"""

from __future__ import annotations

import os
import random
import secrets
import zoneinfo
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from agora import permissions
from agora.accounts.models import User
from agora.accounts.services import profile_update
from agora.accounts.usernames import canonical_username
from agora.blog import services as blog_services
from agora.blog.models import BlogCategory, Series, Story, StoryEvent
from agora.core.markdown import render_markdown
from agora.demo import data as demo_data
from agora.demo.covers import draw_cover
from agora.discuss import services
from agora.discuss.models import Bookmark, Category, CategoryGrant, Post, PostLike, Tag, Topic
from agora.events import services as event_services
from agora.events.models import RSVP, Event, MemberLocation, Occurrence
from agora.groups.models import Group, JoinRequest, Membership
from agora.moderation.limits import posting_limits_off
from agora.pages import services as page_services
from agora.pages.models import SitePage, SitePageTranslation

EMAIL_DOMAIN = "example.org"


class Command(BaseCommand):
    help = "Fill the site with multilingual demo content: categories, tags, users, topics. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when AGORA_ENV=production (demo accounts share one password).",
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError("AGORA_ENV=production: refusing to add demo accounts (use --allow-production).")
        seeder = DemoSeeder(now=timezone.now())
        with transaction.atomic(), posting_limits_off():
            seeder.run()
        self._report(seeder)

    def _report(self, seeder: DemoSeeder) -> None:
        created = seeder.created
        totals = {
            "users": User.objects.filter(username_canonical__in=seeder.demo_canonical_names).count(),
            "categories": Category.objects.filter(slug__in=[c["slug"] for c in demo_data.CATEGORIES]).count(),
            "tags": Tag.objects.filter(name__in=demo_data.TAGS).count(),
            "topics": Topic.objects.filter(pk__in=seeder.demo_topic_ids()).count(),
            "groups": Group.objects.filter(name__in=[_group_name(g) for g in demo_data.GROUPS]).count(),
            "stories": Story.objects.filter(title__in=[s.title for s in demo_data.STORIES]).count(),
            "events": Event.objects.filter(topic__title__in=[e.title for e in demo_data.EVENTS]).count(),
        }
        kinds = ("users", "groups", "categories", "tags", "topics", "stories", "events")
        parts = [f"{totals[k]} {k} ({created[k]} new)" for k in kinds]
        if not any(created.values()):
            self.stdout.write("Demo content already present, nothing changed: " + ", ".join(parts) + ".")
            return
        parts.append(
            f"{created['messages']} messages, {created['posts']} posts, {created['likes']} likes, "
            f"{created['bookmarks']} bookmarks added"
        )
        self.stdout.write(self.style.SUCCESS("Demo content ready: " + ", ".join(parts) + "."))
        if seeder.admin_password:
            shown = "(from DEMO_ADMIN_PASSWORD)" if seeder.admin_password_from_env else seeder.admin_password
            self.stdout.write(f'Sign in as "{demo_data.ADMIN_USERNAME}" (staff) with the password: {shown}')
        if seeder.user_password:
            shown = "(from DEMO_USER_PASSWORD)" if seeder.user_password_from_env else seeder.user_password
            self.stdout.write(
                f'The other demo accounts, such as "{demo_data.MODERATOR_USERNAME}", share the password: {shown}'
            )


class DemoSeeder:
    """Loads agora.demo.data; one instance per run."""

    def __init__(self, *, now: datetime):
        self.now = now
        self.created = dict.fromkeys(
            [
                "users",
                "groups",
                "categories",
                "tags",
                "topics",
                "stories",
                "messages",
                "posts",
                "likes",
                "bookmarks",
                "events",
            ],
            0,
        )
        self.users: dict[str, User] = {}
        self.categories: dict[str, Category] = {}
        self.new_user_ids: list[int] = []
        self.admin_password = ""
        self.admin_password_from_env = False
        self.user_password = ""
        self.user_password_from_env = False
        self.demo_canonical_names = [canonical_username(u.username) for u in demo_data.USERS]

    def run(self) -> None:
        self._users()
        self._groups()
        self._categories()
        self._tags()
        self._name_translations()
        for index, spec in enumerate([*demo_data.TOPICS, *demo_data.GROUP_TOPICS]):
            self._topic(index, spec)
        self._welcome_topics()
        self._messages()
        self._blog()
        self._events()
        self._page_translations()
        self._spread_user_dates()

    def _events(self) -> None:
        """Events around the world through the events services (past ones get their answers directly: the
        service refuses answers to dates that have passed), and members' saved locations."""
        Category.objects.filter(slug__in=demo_data.EVENT_CATEGORIES).update(allows_events=True)
        for spec in demo_data.EVENTS:
            category = self.categories.get(spec.category) or Category.objects.get(slug=spec.category)
            if Event.objects.filter(topic__title=spec.title, topic__category=category).exists():
                continue
            self._event(spec, category)
            self.created["events"] += 1
        for username, city, lat, lon, show in demo_data.MEMBER_LOCATIONS:
            user = self.users[username]
            if not MemberLocation.objects.filter(user=user).exists():
                event_services.member_location_set(user=user, city=city, latitude=lat, longitude=lon, show_on_map=show)

    def _event(self, spec: demo_data.DemoEvent, category: Category) -> None:
        zone = zoneinfo.ZoneInfo(spec.timezone)
        day = (self.now.astimezone(zone) + timedelta(days=spec.days_from_now)).date()
        author = self.users[spec.author]
        permissions.forget_access(author)
        if spec.start:
            start = time.fromisoformat(spec.start)
            end_wall = datetime.combine(day, start) + timedelta(hours=spec.hours)
            times = {"start_time": start, "end_date": end_wall.date(), "end_time": end_wall.time()}
        else:
            times = {"all_day": True, "end_date": day + timedelta(days=spec.days - 1)}
        fields = event_services.EventFields(
            timezone=spec.timezone,
            start_date=day,
            rrule=spec.rrule,
            venue=spec.venue,
            address=spec.address,
            country=spec.country,
            latitude=spec.latitude,
            longitude=spec.longitude,
            online_url=spec.online_url,
            online_audience=spec.online_audience,
            capacity=spec.capacity,
            languages=[spec.language],
            **times,
        )
        event = event_services.event_create(
            user=author, category=category, title=spec.title, raw=spec.raw, fields=fields, tags=spec.tags
        )
        past = Occurrence.objects.filter(event=event, start_utc__lte=self.now)
        coming = Occurrence.objects.filter(event=event, start_utc__gt=self.now).order_by("start_utc")
        for status, names in ((RSVP.Status.GOING, spec.going), (RSVP.Status.INTERESTED, spec.interested)):
            for username in names:
                person = self.users[username]
                for occurrence in past:  # history: the service refuses answers to dates that have passed
                    RSVP.objects.get_or_create(occurrence=occurrence, user=person, defaults={"status": status})
                for occurrence in coming[:2]:
                    event_services.event_rsvp(user=person, occurrence=occurrence, status=status)
        for occurrence in past:
            event_services.recount_occurrence(occurrence=occurrence)

    def demo_topic_ids(self) -> list[int]:
        ids = []
        for spec in [*demo_data.TOPICS, *demo_data.GROUP_TOPICS]:
            ids += Topic.objects.filter(title=spec.title, category__slug=spec.category).values_list("pk", flat=True)
        return ids

    # Places and labels

    def _groups(self) -> None:
        """The demo's groups with owners, moderators, members and pending requests (before the categories they own)."""
        for spec in demo_data.GROUPS:
            name = _group_name(spec)
            group = Group.objects.filter(name=name).first()
            if group is not None and Membership.objects.filter(group=group).exists():
                continue
            fields = {
                "full_name": spec.full_name,
                "description": spec.description,
                "description_html": render_markdown(spec.description),
                "visibility": spec.visibility,
                "members_visibility": spec.members_visibility,
                "joining": spec.joining,
                "mentionable": spec.mentionable,
                "messageable": spec.messageable,
            }
            if group is None:
                group = Group.objects.create(name=name, **fields)
            else:  # made empty by a migration (the editorial board): the demo fills it in
                Group.objects.filter(pk=group.pk).update(**fields)
            people = [*spec.owners, *[m for m in spec.members if m not in spec.owners]]
            for username in people:
                Membership.objects.create(
                    group=group,
                    user=self.users[username],
                    is_owner=username in spec.owners,
                    is_moderator=username in spec.moderators,
                )
            Group.objects.filter(pk=group.pk).update(member_count=len(people))
            for username, message in spec.pending:
                JoinRequest.objects.create(group=group, user=self.users[username], message=message)
            self.created["groups"] += 1
        for user in self.users.values():
            permissions.forget_access(user)

    def _categories(self) -> None:
        groups = {g.name: g for g in Group.objects.all()}
        for spec in demo_data.CATEGORIES:
            category = Category.objects.filter(slug=spec["slug"]).first()
            if category is None:
                fields = {k: v for k, v in spec.items() if k not in {"grants", "parent", "slug", "group"}}
                parent = self.categories.get(spec.get("parent", ""))
                owner = groups.get(spec.get("group", ""))
                category = Category.objects.create(slug=spec["slug"], parent=parent, group=owner, **fields)
                for group_name, level in spec["grants"].items():
                    CategoryGrant.objects.create(category=category, group=groups[group_name], level=level)
                self.created["categories"] += 1
            self.categories[spec["slug"]] = category

    def _tags(self) -> None:
        for name, description in demo_data.TAGS.items():
            _tag, created = Tag.objects.get_or_create(name=name, defaults={"description": description})
            self.created["tags"] += created

    def _name_translations(self) -> None:
        """Categories, tags and groups named in es, fr, ar, hi and pa, where nobody has translated them yet
        (a translation staff or owners wrote in the site is kept)."""
        for model, key, table in (
            (Category, "slug", demo_data.CATEGORY_TRANSLATIONS),
            (Tag, "name", demo_data.TAG_TRANSLATIONS),
            (Group, "name", demo_data.GROUP_TRANSLATIONS),
        ):
            for value, translations in table.items():
                if model is Group:
                    translations = {
                        code: {**entry, "description_html": render_markdown(entry["description"])}
                        if entry.get("description")
                        else entry
                        for code, entry in translations.items()
                    }
                model.objects.filter(**{key: value, "translations": {}}).update(translations=translations)

    def _page_translations(self) -> None:
        """The code of conduct in Arabic and Punjabi, written by the admin through the pages' service."""
        admin = self.users[demo_data.ADMIN_USERNAME]
        for slug, translations in demo_data.PAGE_TRANSLATIONS.items():
            page = SitePage.objects.filter(slug=slug).first()
            if page is None:
                continue
            for language, (title, raw) in translations.items():
                if not SitePageTranslation.objects.filter(page=page, language=language).exists():
                    page_services.page_translation_save(page=page, user=admin, language=language, title=title, raw=raw)

    # People

    def _users(self) -> None:
        existing = {
            u.username_canonical: u for u in User.objects.filter(username_canonical__in=self.demo_canonical_names)
        }
        for spec in demo_data.USERS:
            user = existing.get(canonical_username(spec.username))
            if user is not None and (spec.is_staff > user.is_staff or spec.is_moderator > user.is_staff_or_moderator):
                # The demo acts through these accounts; someone else's account of that name lacks the rights.
                raise CommandError(f'A user named "{user.username}" exists without the demo role: seed a fresh site.')
        missing = [spec for spec in demo_data.USERS if canonical_username(spec.username) not in existing]
        # Hash once: PBKDF2 takes a noticeable fraction of a second per call, and demo accounts share a password.
        user_hash = admin_hash = ""
        if any(spec.username != demo_data.ADMIN_USERNAME for spec in missing):
            self.user_password, self.user_password_from_env = _password("DEMO_USER_PASSWORD")
            user_hash = make_password(self.user_password)
        if any(spec.username == demo_data.ADMIN_USERNAME for spec in missing):
            self.admin_password, self.admin_password_from_env = _password("DEMO_ADMIN_PASSWORD")
            admin_hash = make_password(self.admin_password)
        for spec in demo_data.USERS:
            user = existing.get(canonical_username(spec.username))
            if user is None:
                user = self._create_user(spec, admin_hash if spec.username == demo_data.ADMIN_USERNAME else user_hash)
            self.users[spec.username] = user

    def _create_user(self, spec: demo_data.DemoUser, password_hash: str) -> User:
        email = f"{spec.email}@{EMAIL_DOMAIN}"
        user = User(
            username=spec.username,
            email=email,
            password=password_hash,
            trust_level=spec.trust_level,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
            is_moderator=spec.is_moderator,
        )
        user.save()
        profile_update(
            user=user,
            data={
                "display_name": spec.display_name,
                "bio": spec.bio,
                "languages": spec.languages,
                "timezone": spec.timezone,
                "location": spec.location,
            },
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.created["users"] += 1
        self.new_user_ids.append(user.pk)
        return user

    def _spread_user_dates(self) -> None:
        """Join dates a while before each new user's first post; last seen within the past days."""
        rng = random.Random("agora-demo-users")
        first_posts = dict(
            Post.objects.filter(user_id__in=self.new_user_ids)
            .values("user_id")
            .annotate(first=Min("created_at"))
            .values_list("user_id", "first")
        )
        for user_id in self.new_user_ids:
            first = first_posts.get(user_id, self.now - timedelta(days=rng.uniform(5, 60)))
            User.objects.filter(pk=user_id).update(
                date_joined=first - timedelta(days=rng.uniform(3, 400)),
                last_seen_at=self.now - timedelta(hours=rng.uniform(1, 240)),
            )

    # Conversations

    def _topic(self, index: int, spec: demo_data.DemoTopic) -> None:
        category = self.categories[spec.category]
        if Topic.objects.filter(title=spec.title, category=category).exists():
            return
        rng = random.Random(spec.title)  # seeded per topic: the same content every time
        author = self.users[spec.author]
        topic = services.topic_create(
            user=author, category=category, title=spec.title, raw=spec.raw, tags=spec.tags, language=spec.language
        )
        posts = [topic.posts.get(number=1)]
        for reply in spec.replies:
            raw = reply.raw
            reply_to = reply.reply_to
            if reply.quote:
                number, text = reply.quote
                quoted = posts[number - 1]
                raw = f'[quote="{quoted.user.username}, post:{number}, topic:{topic.pk}"]\n{text}\n[/quote]\n\n{raw}'
                reply_to = reply_to or number
            posts.append(
                services.post_create(user=self.users[reply.author], topic=topic, raw=raw, reply_to_number=reply_to)
            )
        times = self._timeline(spec, rng)
        self._likes(topic, posts, spec, times, rng)
        for username, number, note in spec.bookmarks:
            services.bookmark_set(user=self.users[username], post=posts[number - 1], note=note)
            Bookmark.objects.filter(user=self.users[username], post=posts[number - 1]).update(
                created_at=min(times[number - 1] + timedelta(hours=rng.uniform(1, 48)), self.now)
            )
            self.created["bookmarks"] += 1
        if spec.solution:
            services.topic_mark_solution(user=author, topic=topic, post=posts[spec.solution - 1])
        moderator = self.users[demo_data.MODERATOR_USERNAME]
        admin = self.users[demo_data.ADMIN_USERNAME]
        if spec.pinned_globally:
            services.topic_set_status(user=admin, topic=topic, status="pinned_globally", enabled=True)
        if spec.pinned:
            services.topic_set_status(user=moderator, topic=topic, status="pinned", enabled=True)
        if spec.closed:
            services.topic_set_status(user=moderator, topic=topic, status="closed", enabled=True)
        self._move_in_time(topic, posts, times, spec, rng)
        self.created["topics"] += 1
        self.created["posts"] += len(posts)

    def _welcome_topics(self) -> None:
        for spec in demo_data.GROUPS:
            if spec.welcome:
                topic = Topic.objects.filter(title=spec.welcome, category__group__name=spec.name).first()
                Group.objects.filter(name=spec.name, welcome_topic__isnull=True).update(welcome_topic=topic)

    def _messages(self) -> None:
        """Private messages: between two people, to a group's inbox, and one sent anonymously to the moderators."""
        from agora.discuss.messages import message_create

        for spec in demo_data.MESSAGES:
            sender = self.users[spec.sender]
            if Topic.objects.filter(is_message=True, title=spec.title, user=sender).exists():
                continue
            topic = message_create(
                sender=sender,
                title=spec.title,
                raw=spec.raw,
                recipients=[self.users[name] for name in spec.to],
                groups=list(Group.objects.filter(name__in=spec.groups)),
                anonymous=spec.anonymous,
            )
            for reply in spec.replies:
                services.post_create(user=self.users[reply.author], topic=topic, raw=reply.raw)
            self.created["messages"] += 1

    # The blog

    def _blog(self) -> None:
        """Blog sections, the newsletter, and the demo stories (keyed by title), each taken through the
        editorial services as far as its state: published ones open their discussion topics."""
        for position, spec in enumerate(demo_data.BLOG_CATEGORIES, start=1):
            BlogCategory.objects.get_or_create(
                slug=spec["slug"],
                defaults={"name": spec["name"], "description": spec["description"], "position": position},
            )
        for spec in demo_data.SERIES:
            Series.objects.get_or_create(
                slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]}
            )
        for user in self.users.values():
            permissions.forget_access(user)  # the editorial board may have been filled in just now
        for spec in demo_data.STORIES:
            if not Story.objects.filter(title=spec.title).exists():
                self._story(spec)

    def _story(self, spec: demo_data.DemoStory) -> None:
        rng = random.Random(spec.title)
        authors = [self.users[name] for name in spec.authors]
        writer, editor = authors[0], self.users[spec.editor]
        data: dict = {
            "title": spec.title,
            "lead": spec.lead,
            "body": spec.body,
            "language": spec.language,
            "kind": spec.kind,
            "categories": list(BlogCategory.objects.filter(slug__in=spec.categories)),
            "tags": list(Tag.objects.filter(name__in=spec.tags)),
            "series": Series.objects.filter(slug=spec.series).first() if spec.series else None,
        }
        if spec.cover:
            picture = draw_cover(spec.cover, spec.title)
            data["cover"] = ContentFile(picture, name=f"demo-{spec.cover}-{rng.randrange(10**6):06d}.jpg")
            data["cover_credit"] = spec.cover_credit
            data["cover_licence"] = demo_data.CC_BY_SA
        story = blog_services.story_create(user=writer, data=data)
        story.authors.add(*authors[1:])
        if spec.translation_of:
            original = Story.objects.get(title=spec.translation_of)
            story = blog_services.story_link_translation(user=writer, story=story, original=original)
        if spec.state != "draft":
            story = blog_services.story_submit(user=writer, story=story, note_to_editors=spec.note_to_editors)
        if spec.state == "declined":
            story = blog_services.story_decline(user=editor, story=story, reason=spec.reason)
        elif spec.state not in ("draft", "submitted"):
            story = blog_services.story_claim(user=editor, story=story)
            for username, text in spec.editorial_comments:
                blog_services.editorial_comment_add(user=self.users[username], story=story, raw=text)
            if spec.state == "changes_requested":
                story = blog_services.story_request_changes(user=editor, story=story, reason=spec.reason)
            elif spec.state == "scheduled":
                at = (self.now + timedelta(days=spec.scheduled_in_days)).replace(minute=0, second=0, microsecond=0)
                story = blog_services.story_schedule(user=editor, story=story, at=at)
            elif spec.state == "published":
                story = blog_services.story_publish(user=editor, story=story)
        if spec.featured:
            Story.objects.filter(pk=story.pk).update(featured=True)
        comments = []
        if story.topic_id is not None:
            for reply in spec.comments:
                comments.append(services.post_create(user=self.users[reply.author], topic=story.topic, raw=reply.raw))
        self._move_story_in_time(story, spec, comments, rng)
        self.created["stories"] += 1
        self.created["posts"] += len(comments)

    def _move_story_in_time(self, story: Story, spec: demo_data.DemoStory, comments: list[Post], rng) -> None:
        """Written some days before its last move (publication, or its latest hand-over); its history in
        order between; its topic opened at publication, comments hours apart after it."""
        last = self.now - timedelta(days=spec.days_ago, hours=rng.uniform(0, 6))
        written = last - timedelta(days=rng.uniform(2, 6))
        events = list(StoryEvent.objects.filter(story=story).order_by("created_at", "pk"))
        for n, event in enumerate(events, start=1):
            when = written + (last - written) * n / len(events)
            StoryEvent.objects.filter(pk=event.pk).update(created_at=when)
        story.editorial_comments.update(created_at=last - (last - written) / 3)
        changes = {"created_at": written, "updated_at": last}
        if spec.state == "published":
            changes["published_at"] = last
        Story.objects.filter(pk=story.pk).update(**changes)
        if story.topic_id is None:
            return
        times = [last]
        for _comment in comments:
            times.append(min(times[-1] + timedelta(hours=rng.uniform(1, 30)), self.now - timedelta(minutes=30)))
        Post.objects.filter(topic_id=story.topic_id, number=1).update(created_at=last, updated_at=last)
        for comment, when in zip(comments, times[1:], strict=True):
            Post.objects.filter(pk=comment.pk).update(created_at=when, updated_at=when)
        Topic.objects.filter(pk=story.topic_id).update(
            created_at=last,
            bumped_at=times[-1],
            last_posted_at=times[-1],
            views=rng.randint(40, 400),
        )

    def _timeline(self, spec: demo_data.DemoTopic, rng: random.Random) -> list[datetime]:
        """When each post was written: the opening post `days_ago`, replies hours apart, all in the past."""
        start = self.now - timedelta(days=spec.days_ago)
        times = [start]
        for reply in spec.replies:
            gap = reply.after_hours or rng.choice([0.5, 1, 2, 3, 5, 8, 14, 20, 30])
            times.append(times[-1] + timedelta(hours=gap + rng.uniform(0, 0.9)))
        latest = self.now - timedelta(minutes=20)
        if times[-1] > latest:
            # Squeeze the replies into the time there was, keeping their order.
            span = (times[-1] - start).total_seconds()
            room = (latest - start).total_seconds()
            times = [start + timedelta(seconds=(t - start).total_seconds() * room / span) for t in times]
        return times

    def _likes(self, topic, posts, spec, times, rng: random.Random) -> None:
        """A few likes per post from people who may like it (never the author, never outside the category)."""
        people = list(self.users.values())
        for post, when in zip(posts, times, strict=True):
            wanted = spec.likes if post.number == 1 else spec.replies[post.number - 2].likes
            if wanted is None:
                wanted = rng.choice([0, 0, 1, 1, 2, 3]) if post.number > 1 else rng.randint(1, 5)
            candidates = [u for u in people if permissions.can(u, "like", post)]
            for user in rng.sample(candidates, min(wanted, len(candidates))):
                services.post_like_toggle(user=user, post=post)
                liked_at = min(when + timedelta(hours=rng.uniform(0.2, 72)), self.now)
                PostLike.objects.filter(post=post, user=user).update(created_at=liked_at)
                self.created["likes"] += 1

    def _move_in_time(self, topic, posts, times, spec, rng: random.Random) -> None:
        for post, when in zip(posts, times, strict=True):
            Post.objects.filter(pk=post.pk).update(created_at=when, updated_at=when)
        last = posts[-1]
        changes = {
            "created_at": times[0],
            "bumped_at": times[-1],
            "last_posted_at": times[-1],
            "last_poster": last.user,
            "views": len(posts) * rng.randint(12, 60) + rng.randint(0, 40),
        }
        if spec.pinned_globally or spec.pinned:
            changes["pinned_at"] = times[0]
        Topic.objects.filter(pk=topic.pk).update(**changes)


def _group_name(spec: demo_data.DemoGroup) -> str:
    """The demo's editorial board is the one the blog uses (AGORA_EDITORIAL_GROUP), whatever its name."""
    return settings.AGORA_EDITORIAL_GROUP if spec.name == demo_data.EDITORIAL_BOARD else spec.name


def _password(variable: str) -> tuple[str, bool]:
    """The password from the environment, or a fresh random one to print once."""
    if value := os.environ.get(variable, ""):
        return value, True
    return secrets.token_urlsafe(12), False
