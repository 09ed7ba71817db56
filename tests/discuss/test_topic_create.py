"""Starting a topic: the composer page and topic_create, with the bad input people really type."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.discuss import services
from agora.discuss.models import Category, Post, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def _post(client, cat, **data):
    payload = {"title": "A perfectly fine title", "category": cat.pk, "raw": "Some body text.", "tags": ""}
    payload.update(data)
    return client.post("/new-topic", payload)


def test_it_creates_a_topic_with_tags_and_language(member_client, public_category):
    factories.make_tag("wikidata")
    factories.make_tag("commons")
    response = _post(member_client, public_category, tags="Wikidata, commons", language="fr")
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/{topic.slug}/{topic.pk}"
    assert topic.language == "fr"
    assert sorted(t.name for t in topic.tags.all()) == ["commons", "wikidata"]
    assert topic.posts.get().html == "<p>Some body text.</p>\n"
    page = member_client.get(response["Location"])
    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()
    assert b'href="/tag/wikidata"' in page.content


def test_it_takes_the_category_language_when_none_is_chosen_and_the_text_says_nothing(member_client, member):
    cat = factories.make_category("Café", slug="cafe", default_language="fr")
    _post(member_client, cat, title="2026 — 2027 ?!", raw="1234 5678 90 :-) 42")
    assert Topic.objects.get().language == "fr"


def test_it_detects_the_language_of_the_text_when_none_is_chosen(member_client, member):
    cat = factories.make_category("Café", slug="cafe", default_language="fr")
    _post(
        member_client,
        cat,
        title="Meeting of the photo contest jury",
        raw="The jury will meet next Tuesday evening in the library to choose the winners.",
    )
    assert Topic.objects.get().language == "en"


def test_a_chosen_language_wins_over_detection(member_client, public_category):
    _post(member_client, public_category, language="pa")
    assert Topic.objects.get().language == "pa"


def test_it_keeps_counters_on_the_category(member_client, public_category):
    _post(member_client, public_category)
    _post(member_client, public_category, title="Another fine title")
    public_category.refresh_from_db()
    assert (public_category.topic_count, public_category.post_count) == (2, 2)


def test_it_gives_unicode_titles_readable_slugs(member_client, public_category):
    _post(member_client, public_category, title="Как загрузить файл?")
    assert Topic.objects.get().slug == "как-загрузить-файл"


def test_it_asks_anonymous_visitors_to_log_in(client, public_category):
    response = client.get("/new-topic")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = _post(client, public_category)
    assert response.status_code == 302 and not Topic.objects.exists()


def test_it_offers_only_categories_the_user_may_create_in(member_client, public_category, staff_category):
    read_only = factories.make_category("News", grants={"everyone": 1})
    page = member_client.get("/new-topic")
    choices = {c.pk for c in page.context["form"].fields["category"].queryset}
    assert public_category.pk in choices
    assert staff_category.pk not in choices and read_only.pk not in choices
    assert b"Staff room" not in page.content


def test_it_preselects_the_category_from_the_query_string(member_client, public_category):
    page = member_client.get(f"/new-topic?category={public_category.slug}")
    assert page.context["form"].initial["category"] == public_category


def test_it_previews_without_saving(member_client, public_category):
    response = _post(member_client, public_category, raw="**bold** move", preview="1")
    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "     ", "This field is required."),
        ("title", "abc", "at least 5 characters"),
        ("title", "x" * 256, "at most 255 characters"),
        ("raw", "", "This field is required."),
        ("raw", "   \n  ", "Write something first."),
        ("raw", "y" * 32001, "at most 32000 characters"),
        ("category", "987654", "Choose a category you may post in."),
        ("category", "not-a-number", "Choose a category you may post in."),
        ("tags", "no-such-tag", "Unknown tag: no-such-tag"),
        ("tags", "a,b,c,d,e,f", "5 tags at most"),
        ("language", "xx-klingon", "is not a language code we know"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_keeps_the_text(
    member_client, public_category, field, value, message
):
    for name in "abcdef":
        factories.make_tag(name)
    typed = {"title": "My carefully typed title", "raw": "My carefully typed body, with <angle> & ampersand."}
    typed[field] = value
    response = _post(member_client, public_category, **typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    for name, text in typed.items():
        if name != field and name in {"title", "raw"}:
            assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html
    assert not Topic.objects.exists() and not Post.objects.exists()
    assert Category.objects.get(pk=public_category.pk).topic_count == 0


def test_it_refuses_a_private_category_as_unknown(client, outsider, staff_category):
    client.force_login(outsider)
    response = _post(client, staff_category)
    assert response.status_code == 400
    assert b"Choose a category you may post in." in response.content
    assert b"Staff room" not in response.content
    assert not Topic.objects.exists()


def test_a_forged_form_cannot_start_a_topic_where_a_group_member_may_only_reply(client, member):
    """Members of a group that may read and reply in its category, but not start topics there, see the
    category; a hand-made POST naming it is refused like any other category they may not post in."""
    from agora.groups.models import Group, Membership

    readers = Group.objects.create(name="readers", visibility="group")
    Membership.objects.create(group=readers, user=member)
    room = factories.make_category("Readers' room", slug="readers-room", grants={"readers": 2}, group=readers)
    client.force_login(member)
    assert client.get("/c/readers-room").status_code == 200
    response = _post(client, room, raw="My forged post, kept for me.")
    assert response.status_code == 400
    assert b"Choose a category you may post in." in response.content
    assert b"My forged post, kept for me." in response.content
    assert not Topic.objects.exists()
    assert Category.objects.get(pk=room.pk).topic_count == 0


def test_it_normalises_white_space_in_titles(member_client, public_category):
    _post(member_client, public_category, title="  Too    many   spaces  ")
    assert Topic.objects.get().title == "Too many spaces"


def test_topic_create_refuses_users_without_the_create_level(outsider, staff_category):
    with pytest.raises(PermissionDenied):
        services.topic_create(user=outsider, category=staff_category, title="Sneaky title", raw="Body")
    assert not Topic.objects.exists()


def test_topic_create_refuses_unknown_tags_and_saves_nothing(member, public_category):
    with pytest.raises(ValidationError):
        services.topic_create(user=member, category=public_category, title="Tagged", raw="Body", tags=["nope"])
    assert not Topic.objects.exists()
    public_category.refresh_from_db()
    assert public_category.topic_count == 0
