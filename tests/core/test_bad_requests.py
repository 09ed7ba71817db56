"""Control characters in a request answer 400 (or a form error), never a 500: PostgreSQL refuses NUL in
text, so a NUL that reached a query raised DataError. Run with DATABASE_URL=postgres://… to check that."""

import pytest
from django.test import Client

from agora.discuss.models import Post, Topic
from tests import factories

pytestmark = pytest.mark.django_db

BAD_URLS = [
    "/c/a%00b",
    "/tag/a%00b",
    "/u/a%00b",
    "/u/a%00b/replies",
    "/u/Member/a%00b",
    "/t/a%00b/1",
    "/new-topic?category=a%00b",
    "/latest?page=1%00",
    "/latest?a%00b=1",
    "/c/a%01b",
    "/c/a%08b",
    "/c/a%0Bb",
    "/c/a%0Cb",
    "/c/a%0Eb",
    "/c/a%1Fb",
    "/latest?page=%1B",
    "/static/a%00b.css",
    "/admin/discuss/category/?q=a%00b",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "staff"])
def test_control_characters_in_the_path_or_query_answer_400(
    url, signed_in, client_for, staff, public_category, django_assert_num_queries
):
    client = client_for(staff if signed_in else None, raise_request_exception=False)
    with django_assert_num_queries(0):  # refused before sessions, views or the database
        response = client.get(url)
    assert response.status_code == 400, url
    assert [t.name for t in response.templates][:1] == ["400.html"]
    assert "Bad request" in response.content.decode()
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize("url", ["/latest?q=a%09b", "/latest?q=line%0Aone%0D%0A", "/latest?q=%7F%C2%80"])
def test_tabs_newlines_and_other_characters_are_let_through(client, url):
    assert client.get(url).status_code == 200


def test_a_clean_request_reaches_the_view(client, public_category):
    assert client.get(f"/c/{public_category.slug}").status_code == 200
    assert client.get("/c/no-such-category").status_code == 404


def _no_server_error(response):
    assert response.status_code < 500, response.status_code
    return response


def test_a_reply_with_a_nul_byte_is_a_form_error(client_for, topic, other_member):
    client = client_for(other_member, raise_request_exception=False)
    before = Post.objects.count()
    response = _no_server_error(client.post(f"/t/{topic.pk}/reply", {"raw": "Hello\x00world, a reply"}))
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    response = _no_server_error(
        client.post(f"/t/{topic.pk}/reply", {"raw": "Hello\x00world, a reply"}, HTTP_HX_REQUEST="true")
    )
    assert response.status_code == 422 and "Null characters are not allowed." in response.content.decode()
    assert Post.objects.count() == before


@pytest.mark.parametrize("field", ["title", "raw", "tags", "category", "language"], ids=lambda f: f"nul-in-{f}")
def test_a_new_topic_with_a_nul_byte_is_a_form_error(field, client_for, member, public_category):
    client = client_for(member, raise_request_exception=False)
    data = {
        "title": "A perfectly fine title",
        "category": str(public_category.pk),
        "tags": "",
        "language": "",
        "raw": "A perfectly fine opening post.",
    }
    data[field] += "\x00x"
    response = _no_server_error(client.post("/new-topic", data))
    assert response.status_code in (200, 400)
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Topic.objects.exists()


def test_edits_bookmarks_and_previews_with_a_nul_byte_do_not_fail(client_for, member, topic):
    client = client_for(member, raise_request_exception=False)
    post = topic.posts.get()
    response = _no_server_error(client.post(f"/p/{post.pk}/edit", {"title": "New\x00title", "raw": "Body\x00x"}))
    assert response.status_code in (200, 400)
    post.refresh_from_db()
    topic.refresh_from_db()
    assert "\x00" not in post.raw and "\x00" not in topic.title
    _no_server_error(client.post(f"/p/{post.pk}/bookmark", {"note": "a\x00b"}))
    assert not post.bookmarks.filter(note__contains="a").exists()
    response = _no_server_error(client.post("/preview", {"raw": "Hi @a\x00b **there**"}))
    assert "\x00" not in response.context["preview_html"]  # Markdown turns NUL into U+FFFD


def test_sign_in_with_a_nul_byte_is_a_form_error(db):
    factories.UserFactory(username="Member")
    client = Client(raise_request_exception=False)
    for login in ["Mem\x00ber", "member\x00@example.org"]:
        response = _no_server_error(
            client.post("/accounts/login/", {"login": login, "password": "correct horse battery"})
        )
        assert response.status_code in (200, 400) and "_auth_user_id" not in client.session
    _no_server_error(client.post("/accounts/password/reset/", {"email": "a\x00@example.org"}))
    _no_server_error(
        client.post(
            "/accounts/signup/",
            {"username": "New\x00one", "email": "n@example.org", "password1": "x" * 20, "password2": "x" * 20},
        )
    )


def test_a_session_cookie_with_a_nul_byte_is_no_session(client, topic):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = _no_server_error(client.get(topic.get_absolute_url()))
    assert response.status_code == 200 and not response.context["user"].is_authenticated
    assert response.cookies["sessionid"].value == ""  # deleted from the browser
