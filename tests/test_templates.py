"""Every template under agora/templates compiles, and is rendered at least once: through the pages that
use it when a walk of the site's URLs reaches it, or on its own with an empty context otherwise."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory

from tests.test_leaks import _answers_htmx, build_world, consistent_values, urls_for, value_pools, walkable_routes

TEMPLATE_DIR = Path(settings.BASE_DIR) / "agora" / "templates"
URLS_PER_ROUTE = 10


def discovered_templates() -> list[str]:
    return sorted(str(p.relative_to(TEMPLATE_DIR)) for p in TEMPLATE_DIR.rglob("*") if p.suffix in {".html", ".txt"})


def test_it_finds_the_templates():
    names = discovered_templates()
    assert "base.html" in names and "discuss/topic.html" in names and len(names) > 15


@pytest.mark.parametrize("name", discovered_templates())
def test_the_template_compiles(name):
    get_template(name)


def test_a_syntax_error_fails_compilation():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% if %}{% endfor %}")


@pytest.mark.django_db
def test_every_template_renders_through_pages_or_on_its_own(client_for):
    world = build_world()
    rendered: set[str] = set()
    pools, sets = value_pools(world), consistent_values(world)
    clients = [client_for(None), client_for(world.member), client_for(world.staff)]
    routes = walkable_routes()
    # The leak tests walk every value of every pool; for templates, the first URLs of each route (the
    # ones built from objects' own ids and slugs) reach every branch, and htmx only matters where a page is.
    for client in clients:
        for route in routes:
            for url in urls_for(route, pools, sets)[:URLS_PER_ROUTE]:
                response = client.get(url)
                rendered.update(t.name for t in response.templates if t.name)
                if response.status_code == 200 and _answers_htmx(url):
                    fragment = client.get(url, headers={"HX-Request": "true"})
                    rendered.update(t.name for t in fragment.templates if t.name)
    # Bad input renders the error branches of the composer, and htmx fragments.
    member = clients[1]
    topic = world.public_topics[0]
    for response in (
        member.post("/new-topic", {"title": "", "raw": ""}),
        member.post(f"/t/{topic.pk}/reply", {"raw": ""}),
        member.post(f"/t/{topic.pk}/reply", {"raw": ""}, headers={"HX-Request": "true"}),
        member.post(f"/t/{topic.pk}/reply", {"raw": "htmx reply"}, headers={"HX-Request": "true"}),
        member.post("/preview", {"raw": "*hi*"}),
        member.post("/preview", {"raw": "*hi*"}, headers={"HX-Request": "true"}),
    ):
        assert response.status_code < 500
        rendered.update(t.name for t in response.templates if t.name)
    # The blog's writing and editorial pages, as the author of a draft and as an editor.
    author, staff = client_for(world.insider), clients[2]
    draft, submitted = world.draft_story, world.submitted_story
    for client, url in (
        (author, draft.desk_url()),
        (author, f"{draft.desk_url()}/edit"),
        (author, "/blog/submit"),
        (author, "/blog/mine"),
        (staff, submitted.desk_url()),
        (staff, f"{submitted.desk_url()}/revisions"),
        (staff, "/blog/review"),
        (staff, "/blog/review/calendar"),
        (staff, f"/g/{world.hidden.name}/members"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        rendered.update(t.name for t in response.templates if t.name)
    autosave = author.post(
        "/blog/autosave", {"story": draft.pk, "title": draft.title, "kind": "news", "language": "fr"}
    )
    rendered.update(t.name for t in autosave.templates if t.name)
    # The error pages, through the handlers urls.py names.
    from django.test.signals import template_rendered  # sent by the test renderer pytest-django sets up

    def record(sender, template, context, **kwargs):
        rendered.add(template.name)

    template_rendered.connect(record)
    try:
        from agora.core import views as core_views

        error_request = RequestFactory().get("/")
        error_request.user = world.member
        assert core_views.bad_request(error_request, Exception()).status_code == 400
        assert core_views.server_error(error_request).status_code == 500
    finally:
        template_rendered.disconnect(record)
    by_pages = {name for name in discovered_templates() if name in rendered}
    # The Discuss pages must all be reached by the walk, not only rendered alone.
    assert {n for n in discovered_templates() if n.startswith(("discuss/", "blog/"))} <= by_pages
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    for name in sorted(set(discovered_templates()) - by_pages):
        # allauth's {% element %} templates expect the slots and attributes their tag passes in.
        context = {"slots": {}, "attrs": {}} if name.startswith("allauth/elements/") else {}
        render_to_string(name, context, request=request)
