"""Every main page, in a real browser: a strict Content-Security-Policy that nothing on the page
violates (no inline script or style, htmx configured by its meta tag), no console error, and no
serious or critical accessibility violation reported by axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.forum import build_forum
from tests.e2e.helpers import log_in, run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Found in the DOM after load: inline script or style, event-handler attributes, references to
# ids that are not there (axe lets aria-describedby pass), and posts showing HTML as text (a quote
# inside a quote once did).
_INLINE = r"""() => {
  const found = [];
  for (const s of document.querySelectorAll('script:not([src])')) {
    found.push('inline <script>: ' + s.textContent.slice(0, 60));
  }
  for (const s of document.querySelectorAll('style')) found.push('<style> element');
  for (const el of document.querySelectorAll('[style]')) found.push('style attribute on <' + el.localName + '>');
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (a.name.startsWith('on')) found.push(a.name + ' on <' + el.localName + '>');
  }
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby], [aria-controls], label[for]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
      for (const id of (el.getAttribute(attr) || '').split(/\s+/)) {
        if (id && !document.getElementById(id)) found.push(`${attr}="${id}" on <${el.localName}> points nowhere`);
      }
    }
  }
  for (const el of document.querySelectorAll('.cooked')) {
    if (/<\/?[a-z]+[ >]/.test(el.textContent)) found.push('markup shown as text: ' + el.textContent.slice(0, 80));
  }
  return found;
}"""


def _pages(forum) -> tuple[list[str], list[str]]:
    topic = forum.topic_url()
    anonymous = [
        "/latest",
        f"/c/{forum.ask.slug}",
        topic,
        forum.member.get_absolute_url(),
        "/accounts/login/",
        "/accounts/signup/",
        "/categories",
        "/tags",
        "/top",
        f"/t/{forum.arabic_topic.slug}/{forum.arabic_topic.pk}",
    ]
    answer, own = (forum.topic.posts.get(number=n) for n in (2, 5))
    member = [
        "/latest",
        topic,
        "/new-topic",
        f"/t/{forum.topic.pk}/reply?quote=2",
        "/bookmarks",
        forum.member.get_absolute_url(),
        # Beyond the main pages: every other form a member meets.
        f"/p/{answer.pk}/bookmark",
        f"/p/{own.pk}/edit",
        f"/p/{own.pk}/revisions",
        "/my/preferences",
        "/unanswered",
        f"/c/{forum.local.slug}",
    ]
    return anonymous, member


def _visit_all(context, site: str, paths: list[str], *, login: str | None = None) -> dict[str, list]:
    page = context.new_page()
    if login:
        log_in(page, site, login)
    found: dict[str, list] = {}
    for path in paths:
        response = page.goto(site + path)
        assert response.ok, f"{path}: {response.status}"
        page.wait_for_function("window.htmx !== undefined && document.readyState === 'complete'")
        header = response.headers.get("content-security-policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}
        problems = []
        if "'self'" not in directives.get("script-src", []):
            problems.append(f"CSP header lacks script-src 'self': {header!r}")
        for directive in ("script-src", "style-src", "default-src"):
            if {"'unsafe-inline'", "'unsafe-eval'"} & set(directives.get(directive, [])):
                problems.append(f"CSP {directive} allows unsafe sources: {header!r}")
        problems += page.evaluate(_INLINE)
        config = page.evaluate("({indicator: htmx.config.includeIndicatorStyles, evalAllowed: htmx.config.allowEval})")
        if config != {"indicator": False, "evalAllowed": False}:
            problems.append(f"htmx is not configured by the meta tag: {config}")
        violations = run_axe(page)
        found[path] = [problems, violations]
    page.close()
    return found


def _groups_and_messages(forum) -> tuple[list[str], list[str]]:
    """A group the member owns (with a pending request and an invitation) and a message to them."""
    from agora.discuss.messages import message_create
    from agora.groups import services as group_services
    from agora.groups.models import Group, Membership

    group = Group.objects.create(
        name="photo-walkers", full_name="Photo walkers", joining="ask", description_html="<p>We walk.</p>"
    )
    Membership.objects.create(group=group, user=forum.member, is_owner=True)
    group_services.join_request_create(user=forum.ada, group=group, message="Count me in for Lyon.")
    group_services.invitation_create(actor=forum.member, group=group, email="", days=7)
    message = message_create(
        sender=forum.ada, title="Your photos of the bridge", raw="May I use them?", recipients=[forum.member], groups=[]
    )
    anonymous = ["/g", "/g/photo-walkers", "/g/photo-walkers/members"]
    member = [
        "/g",
        "/g/photo-walkers",
        "/g/photo-walkers/members",
        "/g/photo-walkers/requests",
        "/g/photo-walkers/invitations",
        "/g/photo-walkers/edit",
        "/messages",
        "/messages/new",
        "/messages/moderators",
        f"/t/{message.slug}/{message.pk}",
        "/notifications",
    ]
    return anonymous, member


def _blog(forum) -> tuple[list[str], list[str]]:
    """A published story with a comment, one in review, and the member on the editorial board."""
    from django.conf import settings

    from agora.blog import services as blog
    from agora.discuss import services as discuss
    from agora.groups.models import Group, Membership

    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=forum.member)
    editor = type(forum.member).objects.get(pk=forum.member.pk)  # afresh: memberships are memoised per object
    text = {"lead": "A day of photos in Lyon.", "body": "## The walk\n\nWe met at **nine**."}
    published = blog.story_create(user=forum.ada, data={"title": "Our photo walk", **text})
    blog.story_submit(user=forum.ada, story=published)
    published = blog.story_publish(user=editor, story=published)
    discuss.post_create(user=forum.member, topic=published.topic, raw="Lovely pictures!")
    waiting = blog.story_create(user=forum.ada, data={"title": "Notes from the archive", **text})
    blog.story_submit(user=forum.ada, story=waiting)
    blog.editorial_comment_add(user=forum.ada, story=waiting, raw="Is the second photo too dark?")
    mine = blog.story_create(user=forum.member, data={"title": "My draft"})
    anonymous = ["/blog", published.get_absolute_url(), "/blog/2026/11"]
    member = [
        "/blog",
        published.get_absolute_url(),
        "/blog/submit",
        "/blog/mine",
        mine.desk_url(),
        f"{mine.desk_url()}/edit",
        waiting.desk_url(),
        "/blog/review",
        "/blog/review/calendar",
    ]
    return anonymous, member


def test_pages_keep_the_csp_and_pass_axe(site, open_context):
    forum = build_forum()
    anonymous, member = _pages(forum)
    for more_anonymous, more_member in (_groups_and_messages(forum), _blog(forum)):
        anonymous += more_anonymous
        member += more_member
    visitor = open_context()
    signed_in = open_context()
    results = {f"anonymous {p}": r for p, r in _visit_all(visitor, site, anonymous).items()}
    results |= {f"member {p}": r for p, r in _visit_all(signed_in, site, member, login="Member").items()}

    report, failures = [], []
    for where, (problems, violations) in results.items():
        failures += [f"{where}: {p}" for p in problems]
        for v in violations:
            line = f"{where}: [{v['impact']}] {v['id']}: {v['help']} — " + "; ".join(n["target"] for n in v["nodes"])
            report.append(line)
            if v["impact"] in {"serious", "critical"}:
                failures.append(line + "\n    " + "\n    ".join(n["summary"] for n in v["nodes"]))
    print("\naxe-core on", len(results), "pages:", "\n".join(report) or "no violation of any impact")
    assert not failures, "\n".join(failures)
    visitor.probe.assert_clean()
    signed_in.probe.assert_clean()
