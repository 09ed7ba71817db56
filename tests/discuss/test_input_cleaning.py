"""Titles, bodies and tags are cleaned the same way everywhere."""

import pytest

from agora.discuss.models import Post, Tag, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_title_of_invisible_characters_only_is_refused_and_the_body_kept(member_client, public_category):
    response = member_client.post(
        "/new-topic",
        {"title": "\u202e\u200b\u200b\u202e\u200b\u200b", "category": public_category.pk, "raw": "Kept body text"},
    )
    assert response.status_code == 400
    assert "A title needs at least" in response.content.decode()
    assert "Kept body text" in response.content.decode()
    assert not Topic.objects.filter(category=public_category).exists()


def test_bidi_overrides_are_taken_out_of_titles_on_create_and_on_edit(member_client, member, public_category):
    member_client.post(
        "/new-topic", {"title": "Hello \u202eworld   again", "category": public_category.pk, "raw": "Body text"}
    )
    topic = Topic.objects.get(category=public_category)
    assert topic.title == "Hello world again"
    post = topic.posts.get(number=1)
    member_client.post(f"/p/{post.pk}/edit", {"title": "New \u202e  title here", "raw": "Body text"})
    assert Topic.objects.get(pk=topic.pk).title == "New title here"


def test_persian_zero_width_non_joiner_stays_in_titles(member_client, public_category):
    title = "می\u200cخواهم یاد بگیرم"
    member_client.post("/new-topic", {"title": title, "category": public_category.pk, "raw": "Body text"})
    assert Topic.objects.get(category=public_category).title == title


def test_an_indented_code_block_keeps_its_indent(member_client, topic):
    member_client.post(f"/t/{topic.pk}/reply", {"raw": "    print('hello')\n"})
    post = Post.objects.get(topic=topic, number=2)
    assert post.raw == "    print('hello')\n"
    assert "<code>print(" in post.html and "<pre" in post.html


def test_a_body_of_spaces_is_refused(member_client, topic):
    response = member_client.post(f"/t/{topic.pk}/reply", {"raw": "      "})
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()


def test_tags_are_stored_lowercase_and_linked_encoded(client, member, public_category):
    tag = Tag.objects.create(name="C#")
    assert tag.name == "c#"
    factories.make_topic(member, public_category, title="Learning c sharp", tags=["c#"])
    html = client.get("/latest").content.decode()
    assert 'href="/tag/c%23"' in html
    assert client.get("/tag/c%23").status_code == 200


def test_lists_vary_on_htmx(client, topic):
    assert "HX-Request" in client.get("/latest")["Vary"]


def test_a_tag_of_two_words_is_refused_with_a_message_that_names_the_percent_sign(db):
    # The message holds a literal "%": written "%%", since Django formats it with the value; "% o" once
    # raised TypeError (a 500) instead of the message.
    from django.core.exceptions import ValidationError

    from agora.discuss.models import Tag

    with pytest.raises(ValidationError) as refused:
        Tag(name="two words").full_clean()
    assert refused.value.messages == ["A tag is one word: no spaces, commas, slashes, % or \\."]
