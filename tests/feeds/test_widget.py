"""The widget: lists other sites may frame (and only they), read as a visitor, and the page that builds
the snippet."""

from __future__ import annotations

import pytest

WIDGETS = ["/embed/topics", "/embed/stories", "/embed/events", "/embed/topics?tag=wikisource&lang=en&limit=2"]


@pytest.mark.parametrize("url", WIDGETS)
def test_the_widget_may_be_framed_by_any_site(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "'none'" not in response["Content-Security-Policy"].split("frame-ancestors")[1].split(";")[0]


@pytest.mark.parametrize("url", ["/latest", "/latest.rss", "/embed", "/c/wikisource", "/u/Writer", "/accounts/login/"])
def test_every_other_page_stays_unframeable(client, world, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_refused_widget_is_not_framable_either(client, world):
    # A 400 names the problem to whoever wrote the snippet; it is never an empty list in a frame.
    response = client.get("/embed/topics?colour=red")
    assert response.status_code == 400


def test_the_widget_has_no_site_chrome_and_links_open_outside(client, world):
    html = client.get("/embed/topics?tag=wikisource").content.decode()
    assert "site-header" not in html and "<form" not in html
    assert '<base target="_blank">' in html
    assert 'href="http://testserver/t/proofreading-on-wikisource/' in html
    assert 'target="_blank" rel="noopener"' in html
    assert "Untagged news" not in html


def test_the_widget_sets_no_cookie_and_is_publicly_cacheable(client, world):
    response = client.get("/embed/topics")
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_the_widget_filters_by_language_and_limit(client, world):
    html = client.get("/embed/topics?lang=pa").content.decode()
    assert "ਵਿਕੀਸਰੋਤ" in html and "Proofreading on Wikisource" not in html
    assert client.get("/embed/topics?limit=1").content.decode().count("<li ") == 1


def test_the_stories_widget_lists_published_stories(client, world):
    from agora.blog.models import Story
    from tests.blog.test_pages import make_story

    make_story(world.writer, title="A published story")
    make_story(world.writer, title="LEAKMARKER draft", state=Story.State.DRAFT)
    html = client.get("/embed/stories").content.decode()
    assert "A published story" in html and "LEAKMARKER" not in html


def test_the_builder_shows_the_snippet_and_a_preview(client, world):
    response = client.get("/embed?kind=events&tag=wikisource&lang=pa&limit=5")
    html = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/static/agora/embed.js" in html
    assert "&lt;a class=&quot;agora-embed&quot;" in html or '&lt;a class="agora-embed"' in html
    assert 'class="agora-embed" href="http://testserver/embed/events?tag=wikisource&amp;lang=pa&amp;limit=5"' in html


def test_the_builder_says_what_is_wrong_with_a_filter(client, world):
    response = client.get("/embed?kind=topics&tag=nonesuch")
    assert response.status_code == 400
    assert "names a tag you cannot read" in response.content.decode()


def test_the_builder_offers_only_public_categories(client_for, world, staff):
    html = client_for(staff).get("/embed").content.decode()
    assert 'value="wikisource"' in html and "staff-room" not in html and "punjabi-club" not in html


def test_embed_js_is_served(client):
    from django.contrib.staticfiles import finders

    assert finders.find("agora/embed.js") and finders.find("agora/embed-frame.js") and finders.find("agora/embed.css")


def test_the_widget_script_by_its_plain_name_is_revalidated_hourly_and_others_kept_a_year(settings):
    from wsgiref.headers import Headers

    embed, other = Headers([("Cache-Control", "max-age=31536000, public")]), Headers([("Cache-Control", "x")])
    settings.WHITENOISE_ADD_HEADERS_FUNCTION(embed, "/srv/static/agora/embed.js", "/static/agora/embed.js")
    settings.WHITENOISE_ADD_HEADERS_FUNCTION(other, "/srv/static/agora/agora.css", "/static/agora/agora.css")
    assert embed["Cache-Control"] == "public, max-age=3600"
    assert other["Cache-Control"] == "x"
