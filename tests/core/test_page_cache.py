"""Visitors' pages are cached whole, served without a query, and invalidated by any write."""

import pytest
from django.test import Client, override_settings

from agora.discuss import services
from agora.discuss.models import Topic
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on(settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 300


def test_a_visitors_second_visit_is_served_from_the_cache_without_a_query(client, topic, django_assert_num_queries):
    first = client.get(topic.get_absolute_url())
    assert first["X-Agora-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(topic.get_absolute_url())
    assert second["X-Agora-Cache"] == "hit"
    assert second.content == first.content
    # The headers the outer middleware adds are on cached pages too.
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_visitors_pages_set_no_cookie_and_hold_no_csrf_token(client, topic):
    response = client.get(topic.get_absolute_url())
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "X-CSRFToken" not in response.content.decode()


def test_signed_in_people_never_get_a_cached_page(client, topic, member):
    client.get(topic.get_absolute_url())  # cached for visitors
    client.force_login(member)
    response = client.get(topic.get_absolute_url())
    assert "X-Agora-Cache" not in response
    assert member.username in response.content.decode()


def test_a_reply_posted_through_the_site_shows_to_visitors_at_once(topic, member, django_capture_on_commit_callbacks):
    visitor = Client()
    assert "Fresh news" not in visitor.get(topic.get_absolute_url()).content.decode()
    author = Client()
    author.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert author.post(f"/t/{topic.pk}/reply", {"raw": "Fresh news from the meeting"}).status_code == 302
    response = visitor.get(topic.get_absolute_url())
    assert response["X-Agora-Cache"] == "miss"
    assert "Fresh news from the meeting" in response.content.decode()


def test_a_write_through_a_service_invalidates_on_commit(
    client, topic, other_member, django_capture_on_commit_callbacks
):
    client.get("/latest")
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_topic(other_member, topic.category, title="A brand new conversation")
    response = client.get("/latest")
    assert response["X-Agora-Cache"] == "miss"
    assert "A brand new conversation" in response.content.decode()


def test_a_matching_etag_gets_304(client, topic):
    etag = client.get(topic.get_absolute_url())["ETag"]
    response = client.get(topic.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_views_are_still_counted_for_pages_served_from_the_cache(topic):
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        Client(REMOTE_ADDR=address).get(topic.get_absolute_url())
    assert Topic.objects.get(pk=topic.pk).views == 3


def test_a_visitor_with_a_message_waiting_is_not_served_or_cached(client, topic):
    client.cookies["messages"] = "anything"
    response = client.get(topic.get_absolute_url())
    assert "X-Agora-Cache" not in response


def test_private_pages_are_not_cached_and_stay_404(client, staff_category, staff):
    private = factories.make_topic(staff, staff_category, title="Budget for next year LEAK")
    for _ in range(2):
        response = client.get(private.get_absolute_url())
        assert response.status_code == 404
        assert "X-Agora-Cache" not in response


def test_pages_outside_discuss_are_never_cached(client):
    for url in ["/accounts/login/", "/healthz"]:
        client.get(url)
        assert "X-Agora-Cache" not in client.get(url)


@override_settings(AGORA_PAGE_CACHE_SECONDS=0)
def test_the_cache_can_be_turned_off(client, topic):
    client.get(topic.get_absolute_url())
    assert "X-Agora-Cache" not in client.get(topic.get_absolute_url())


def test_visitors_cannot_empty_the_cache_by_posting(client, topic):
    client.get(topic.get_absolute_url())
    client.post("/accounts/login/", {"login": "nobody", "password": "wrong"})  # answered 200, a form error
    client.post("/preview", {"raw": "hello"})
    assert client.get(topic.get_absolute_url())["X-Agora-Cache"] == "hit"


def test_a_like_does_not_empty_the_cache(client, topic, other_member, django_capture_on_commit_callbacks):
    client.get(topic.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.post_like_toggle(user=other_member, post=topic.posts.get(number=1))
    assert client.get(topic.get_absolute_url())["X-Agora-Cache"] == "hit"


def test_a_page_that_would_set_a_csrf_cookie_is_not_cached(rf, topic):
    """The CSRF middleware sets its cookie after this one runs: the cache asks the request instead."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from agora.core.page_cache import AnonymousPageCacheMiddleware

    def page_with_a_form(request):
        return HttpResponse(f"<form>{get_token(request)}</form>")

    middleware = AnonymousPageCacheMiddleware(page_with_a_form)
    for _ in range(2):
        request = rf.get(topic.get_absolute_url())
        request.user = AnonymousUser()
        response = middleware(request)
        assert "X-Agora-Cache" not in response


def test_a_write_in_another_process_reaches_this_ones_local_memory_through_the_stamp(client, topic, settings):
    """Another process (the task worker) moves its own cache's version, not this one's: it writes the
    stamp file, as page_cache._write_stamp does there, and this process's cached pages go stale."""
    from agora.core import page_cache

    if not settings.AGORA_PAGE_CACHE_STAMP:
        pytest.skip("a shared cache (Redis): every process moves the same version, no stamp needed")
    client.get("/latest")
    assert client.get("/latest")["X-Agora-Cache"] == "hit"
    version = page_cache._version()
    page_cache._write_stamp()  # what the other process's _bump adds to its own cache's version
    assert page_cache._version() == version
    assert client.get("/latest")["X-Agora-Cache"] == "miss"
    assert client.get("/latest")["X-Agora-Cache"] == "hit"


def test_a_stamp_that_cannot_be_written_loses_no_write(
    client, topic, other_member, settings, tmp_path, django_capture_on_commit_callbacks, caplog
):
    settings.AGORA_PAGE_CACHE_STAMP = str(tmp_path / "no-such-directory" / "stamp")
    client.get("/latest")
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_topic(other_member, topic.category, title="Written all the same")
    response = client.get("/latest")  # this process's own version moved: the page is fresh
    assert response["X-Agora-Cache"] == "miss" and "Written all the same" in response.content.decode()
    assert "Could not write the page cache stamp" in caplog.text
