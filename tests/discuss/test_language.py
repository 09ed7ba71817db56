"""Content carries its language: topics, and replies written in another language than their topic."""

import pytest

from agora.discuss.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_reply_in_another_language_is_marked_with_it(member_client, topic):
    response = member_client.post(f"/t/{topic.pk}/reply", {"raw": "Réponse en français, merci.", "language": "fr"})
    assert response.status_code == 302
    post = Post.objects.get(topic=topic, number=2)
    assert post.language == "fr" and post.lang == "fr"
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert '<div class="cooked" lang="fr" dir="auto"><p>Réponse en français' in html
    assert '<div class="cooked" lang="en" dir="auto"><p>Where is the button?' in html


def test_a_reply_in_the_topics_language_stores_none_of_its_own(member, topic):
    post = factories.make_reply(member, topic, raw="Same language here.", language="en")
    assert post.language == "" and post.lang == "en"


def test_an_unknown_language_is_refused_and_the_text_kept(member_client, topic):
    response = member_client.post(f"/t/{topic.pk}/reply", {"raw": "Kept text", "language": "xx-nope"})
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()
    assert not Post.objects.filter(topic=topic, number=2).exists()


def test_the_composer_offers_the_writers_first_language(member_client, member):
    member.languages = "ar, en"
    member.save()
    html = member_client.get("/new-topic").content.decode()
    assert '<option value="ar" lang="ar" selected>' in html


def test_a_bio_carries_its_writers_language(client, member):
    member.languages = "hi, en"
    member.bio_html = "<p>नमस्ते</p>"
    member.save()
    html = client.get(member.get_absolute_url()).content.decode()
    assert 'class="cooked bio" dir="auto" lang="hi"' in html
