"""Believable forum content for the browser tests, built through the real services.

A small multilingual forum: categories (one with a subcategory, one accepting solutions), tags,
members with display names and Markdown bios in several scripts, and a question topic whose
replies carry quotes (one nested), @mentions, likes, a code block, an aligned table, right-to-left text and
a marked solution.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from agora.accounts.models import User
from agora.accounts.services import profile_update
from agora.discuss import services
from agora.discuss.models import Category, Topic
from tests import factories
from tests.e2e.helpers import verified_user

OPENING = """Our chapter wants to run a **photo walk** in Lyon next month and upload the results.

1. Which licence should we pick?
2. Do we need a permission form for people in the photos?

See the [upload guide](https://commons.example.org/wiki/Upload) and `Special:UploadWizard`.
"""

TABLE = """Here is what we did last year:

| Step | Who | Hours |
|:-----|:---:|------:|
| Scouting | Ada | 3 |
| Walk | everyone | 4 |
| Uploads | Karim | 6 |
"""

ARABIC = "نظمنا جولة تصوير في القاهرة العام الماضي. الترخيص الأنسب هو **CC BY-SA 4.0**، ولا تنسوا نموذج الموافقة."
CODE = """A category for the upload can be added in bulk:

```
{{Information |description={{en|1=Photo walk, Lyon}} |source={{own}}}}
[[Category:Photo walks in Lyon]]
```
"""


@dataclass
class Forum:
    member: User
    ada: User
    fatima: User
    karim: User
    general: Category
    ask: Category
    news: Category
    local: Category
    topic: Topic
    arabic_topic: Topic

    def topic_url(self, site: str = "") -> str:
        return f"{site}/t/{self.topic.slug}/{self.topic.pk}"


_emails = itertools.count(1)


def _person(username: str, display_name: str = "", bio: str = "", **fields) -> User:
    email = f"person{next(_emails)}@example.org"
    user = verified_user(username=username, email=email, trust_level=fields.pop("trust_level", 1), **fields)
    if display_name or bio:
        profile_update(user=user, data={"display_name": display_name, "bio": bio})
    return user


def build_forum(*, replies: int = 0) -> Forum:
    """The content; `replies` extra replies make the topic as long as a test needs."""
    member = _person(
        "Member",
        "Mina Haddad",
        "Photographer and *Commons* volunteer in Lyon. Ask me about [licences](https://example.org/licences).",
        location="Lyon",
        languages="en, fr, ar",  # her interface is English: the browser tests read it
    )
    ada = _person("Ada Lovelace", "Ada", "I write the **upload guides**.")
    fatima = _person("فاطمة الزهراء", "", "متطوعة في ويكيبيديا العربية منذ 2012.")
    karim = _person("Karim (Lyon)", "Karim B.")
    general = Category.objects.get(slug="general")
    ask = factories.make_category(
        "Ask here", color="green", accepts_solutions=True, description="Questions about anything in the movement."
    )
    news = factories.make_category("Community news", color="purple", description="What chapters and groups are doing.")
    local = factories.make_category("Lyon", color="orange", parent=news, description="Our local chapter.")
    for name in ("commons", "photography", "français"):
        factories.make_tag(name)

    topic = services.topic_create(
        user=member, category=ask, title="Planning a photo walk: licences and consent forms", raw=OPENING,
        tags=["commons", "photography"],
    )  # fmt: skip
    p2 = services.post_create(user=ada, topic=topic, raw="Use CC BY-SA 4.0, it is the default on Commons.")
    services.post_create(user=karim, topic=topic, raw=TABLE)
    services.post_create(user=fatima, topic=topic, raw=ARABIC)
    p5 = services.post_create(
        user=member,
        topic=topic,
        raw=f'[quote="Ada Lovelace, post:2, topic:{topic.pk}"]\nUse CC BY-SA 4.0, it is the default on Commons.\n'
        "[/quote]\n\nThanks @Ada_Lovelace! And the consent form?",
        reply_to_number=2,
    )
    services.post_create(user=ada, topic=topic, raw=CODE)
    services.post_create(  # a quote of a post that quotes: quotes nest
        user=karim,
        topic=topic,
        raw=f'[quote="Member, post:5, topic:{topic.pk}"]\n{p5.raw}\n[/quote]\n\nThe consent form is on the wiki.',
        reply_to_number=5,
    )
    for n in range(replies):
        author = (ada, karim, fatima, member)[n % 4]
        services.post_create(
            user=author,
            topic=topic,
            raw=f"Reply {n + 1}: the meeting point is by the *fountain* at 10:00; bring a spare battery "
            "and a charged phone for the upload app. See you there!",
        )
    for liker, post in ((member, p2), (karim, p2), (fatima, p2), (ada, p5)):
        services.post_like_toggle(user=liker, post=post)
    services.topic_mark_solution(user=member, topic=topic, post=p2)
    services.bookmark_set(user=member, post=p2, note="Licence answer")

    arabic_topic = services.topic_create(
        user=fatima, category=local, title="لقاء المحررين في ليون", raw=ARABIC, tags=["français"], language="ar"
    )
    services.post_create(user=karim, topic=arabic_topic, raw="Je viendrai ! *À bientôt.*")
    services.topic_create(user=karim, category=general, title="Welcome, introduce yourself", raw="Hello everyone 👋")
    topic.refresh_from_db()
    return Forum(member, ada, fatima, karim, general, ask, news, local, topic, arabic_topic)
