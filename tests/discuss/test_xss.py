"""A small XSS check at the service level: script and handler vectors in titles, bodies, bios and display
names come out escaped or sanitised in the pages (the big browser corpus lives in the e2e tests)."""

from html.parser import HTMLParser

import pytest

from agora.accounts.services import profile_update
from agora.discuss import services
from tests import factories

pytestmark = pytest.mark.django_db

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "![img](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=//evil.example></iframe>",
    "<details open ontoggle=alert(1)>",
    '[quote="<script>alert(1)</script>, post:1, topic:1"]quoted[/quote]',
    "<style>body{display:none}</style>",
    "`<script>alert(1)</script>` and @<img/src/onerror=alert(1)>",
]


class ActiveContent(HTMLParser):
    """Collects anything in markup that could run script: script tags, on* handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script {attrs}>")
        if tag in {"iframe", "object", "embed", "style", "svg", "details", "base"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}={value!r}")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                lowered = value.strip().lower().replace("\t", "").replace("\n", "")
                if lowered.startswith(("javascript:", "data:text", "vbscript:")):
                    self.problems.append(f"{tag} {name}={value!r}")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.problems


def test_the_checker_spots_active_content():
    assert active_content("<p onclick=alert(1)>x</p>")
    assert active_content("<script>alert(1)</script>")
    assert active_content('<a href=" JavaScript:alert(1)">x</a>')
    assert not active_content('<script src="/static/vendor/htmx.min.js" defer></script><p>&lt;script&gt;</p>')


@pytest.mark.parametrize("vector", VECTORS)
def test_post_bodies_are_sanitised(vector, member, public_category):
    topic = factories.make_topic(member, public_category, raw=vector)
    assert not active_content(topic.posts.get().html)


@pytest.mark.parametrize("vector", VECTORS)
def test_vectors_render_inert_on_every_page_that_shows_them(vector, client_for, member, other_member, public_category):
    title = ("Title " + vector)[:255]
    topic = factories.make_topic(member, public_category, title=title, raw=vector)
    reply = factories.make_reply(other_member, topic, raw=f"Reply {vector}")
    services.post_edit(user=other_member, post=reply, raw=f"Edited {vector}")
    services.bookmark_set(user=other_member, post=reply, note=vector)
    profile_update(user=member, data={"display_name": vector[:100], "bio": vector, "location": vector[:100]})
    client = client_for(other_member)
    pages = {
        "topic": client.get(topic.get_absolute_url()),
        "latest": client.get("/latest"),
        "profile": client.get(member.get_absolute_url()),
        "replies": client.get(other_member.get_absolute_url() + "/replies"),
        "revisions": client.get(f"/p/{reply.pk}/revisions"),
        "bookmarks": client.get("/bookmarks"),
        "quote": client.get(f"/t/{topic.pk}/reply?quote=1"),
        "edit": client.get(f"/p/{reply.pk}/edit"),
        "preview": client.post("/preview", {"raw": vector}),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        problems = active_content(response.content.decode())
        assert not problems, f"{name} page: {problems}"
    # The typed text is still there, escaped, where it is shown as text.
    assert "&lt;" in pages["topic"].content.decode() or "<" not in vector
