"""Replying: plain forms and htmx, refusals for closed, archived and deleted topics, quotes and @mentions."""

import re

import pytest
from django.test import override_settings

from agora.discuss import services
from agora.discuss.models import Category, Post, Topic
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_it_adds_a_reply_and_jumps_to_it(client_for, topic, other_member):
    response = client_for(other_member).post(f"/t/{topic.pk}/reply", {"raw": "Under Upload, top right."})
    reply = Post.objects.get(topic=topic, number=2)
    assert response.status_code == 302
    assert response["Location"] == f"/t/{topic.slug}/{topic.pk}#post-2"
    assert reply.user == other_member and reply.html == "<p>Under Upload, top right.</p>\n"


def test_it_keeps_counters_right_when_replying(client_for, topic, other_member):
    client = client_for(other_member)
    client.post(f"/t/{topic.pk}/reply", {"raw": "First reply."})
    client.post(f"/t/{topic.pk}/reply", {"raw": "Second reply."})
    topic.refresh_from_db()
    assert (topic.posts_count, topic.reply_count, topic.highest_post_number) == (3, 2, 3)
    assert topic.last_poster == other_member
    assert Category.objects.get(pk=topic.category_id).post_count == 3


def test_it_answers_htmx_with_the_post_and_an_out_of_band_reply_box(client_for, topic, other_member):
    response = client_for(other_member).post(f"/t/{topic.pk}/reply", {"raw": "Via htmx."}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="post-2"' in html and "<p>Via htmx.</p>" in html
    assert re.search(r'<section id="reply-box"[^>]*hx-swap-oob="true"', html)
    assert "Your reply was posted." in html
    assert Post.objects.filter(topic=topic).count() == 2


def test_it_answers_htmx_errors_with_422_and_retargets_the_reply_box(client_for, topic, other_member):
    response = client_for(other_member).post(f"/t/{topic.pk}/reply", {"raw": " "}, headers=HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#reply-box"
    assert response["HX-Reswap"] == "outerHTML"
    assert b"Write something first." in response.content
    assert Post.objects.filter(topic=topic).count() == 1


def test_it_keeps_the_typed_text_when_a_reply_is_refused(client_for, topic, other_member):
    long_text = "z" * 32001
    response = client_for(other_member).post(f"/t/{topic.pk}/reply", {"raw": long_text})
    assert response.status_code == 400
    assert b"at most 32000 characters" in response.content
    assert long_text.encode() in response.content
    assert Post.objects.filter(topic=topic).count() == 1


def test_it_previews_a_reply_without_saving(client_for, topic, other_member):
    response = client_for(other_member).post(f"/t/{topic.pk}/reply", {"raw": "_soft_", "preview": "1"})
    assert response.status_code == 200 and b"<em>soft</em>" in response.content
    assert Post.objects.filter(topic=topic).count() == 1


@pytest.mark.parametrize("status", ["closed", "archived"])
def test_it_refuses_replies_to_closed_and_archived_topics(client_for, topic, other_member, status):
    Topic.objects.filter(pk=topic.pk).update(**{status: True})
    client = client_for(other_member)
    assert client.get(f"/t/{topic.pk}/reply").status_code == 403
    response = client.post(f"/t/{topic.pk}/reply", {"raw": "Let me in."})
    assert response.status_code == 403
    assert b"This topic is closed to new replies." in response.content
    assert Post.objects.filter(topic=topic).count() == 1
    page = client.get(topic.get_absolute_url())
    assert b'id="reply-form"' not in page.content
    assert b"This topic is closed to new replies." in page.content


def test_moderators_reply_to_closed_topics(client_for, topic, moderator):
    Topic.objects.filter(pk=topic.pk).update(closed=True)
    response = client_for(moderator).post(f"/t/{topic.pk}/reply", {"raw": "Closing note."})
    assert response.status_code == 302
    assert Post.objects.filter(topic=topic).count() == 2


def test_it_refuses_replies_to_deleted_topics_as_unknown(client_for, topic, member, other_member, staff):
    services.post_delete(user=member, post=topic.posts.get(number=1))
    response = client_for(other_member).post(f"/t/{topic.pk}/reply", {"raw": "Hello?"})
    assert response.status_code == 404
    assert client_for(staff).post(f"/t/{topic.pk}/reply", {"raw": "Hello?"}).status_code == 403
    assert Post.objects.filter(topic=topic).count() == 1


def test_it_refuses_replies_where_the_user_may_only_read(client_for, member, staff):
    cat = factories.make_category("Announcements", grants={"everyone": 1, "staff": 3})
    topic = factories.make_topic(staff, cat)
    response = client_for(member).post(f"/t/{topic.pk}/reply", {"raw": "Me too"})
    assert response.status_code == 403
    assert b"You may read this topic but not reply to it." in client_for(member).get(topic.get_absolute_url()).content


def test_it_hides_private_topics_from_outsiders_who_reply(client_for, outsider, staff, staff_category):
    topic = factories.make_topic(staff, staff_category)
    client = client_for(outsider)
    assert client.get(f"/t/{topic.pk}/reply").status_code == 404
    assert client.post(f"/t/{topic.pk}/reply", {"raw": "Hi"}).status_code == 404
    assert client.post(f"/t/{topic.pk}/reply", {"raw": "Hi"}, headers=HTMX).status_code == 404
    assert client_for(None).get(f"/t/{topic.pk}/reply").status_code == 302


def test_it_records_which_post_a_reply_answers(client_for, topic, other_member):
    client = client_for(other_member)
    page = client.get(f"/t/{topic.pk}/reply?reply_to=1")
    assert page.context["form"].initial == {"reply_to": 1}
    client.post(f"/t/{topic.pk}/reply", {"raw": "Answering one.", "reply_to": "1"})
    client.post(f"/t/{topic.pk}/reply", {"raw": "Answering a forged number.", "reply_to": "999"})
    assert list(Post.objects.filter(topic=topic, number__gt=1).values_list("reply_to_number", flat=True)) == [1, None]
    assert b'href="#post-1"' in client.get(topic.get_absolute_url()).content


def test_it_prefills_a_quote_that_links_back_to_the_quoted_post(client_for, topic, other_member):
    client = client_for(other_member)
    page = client.get(f"/t/{topic.pk}/reply?quote=1")
    expected = f'[quote="Member, post:1, topic:{topic.pk}"]\nWhere is the button?\n[/quote]\n\n'
    assert page.context["form"].initial["raw"] == expected
    assert page.context["form"].initial["reply_to"] == 1
    client.post(f"/t/{topic.pk}/reply", {"raw": expected + "Top right.", "reply_to": "1"})
    html = Post.objects.get(topic=topic, number=2).html
    assert '<aside class="quote"' in html
    assert re.search(rf'<a href="/t/-/{topic.pk}/1"[^>]*>Member</a>', html)
    assert "<blockquote>" in html and "Where is the button?" in html
    jump = client.get(f"/t/-/{topic.pk}/1")
    assert jump.status_code == 302 and jump["Location"] == f"/t/{topic.slug}/{topic.pk}#post-1"


def test_it_quotes_non_latin_usernames(client_for, topic, other_member, member):
    reply = factories.make_reply(other_member, topic, raw="Ответ")
    page = client_for(member).get(f"/t/{topic.pk}/reply?quote={reply.number}")
    assert page.context["form"].initial["raw"].startswith('[quote="Другой участник, post:2, ')
    factories.make_reply(member, topic, raw=page.context["form"].initial["raw"] + "Thanks")
    html = Post.objects.get(topic=topic, number=3).html
    assert re.search(rf'<a href="/t/-/{topic.pk}/2"[^>]*>Другой участник</a>', html)


def test_it_does_not_quote_deleted_or_missing_posts(client_for, topic, other_member, member):
    reply = factories.make_reply(other_member, topic, raw="Soon gone")
    services.post_delete(user=other_member, post=reply)
    client = client_for(member)
    assert "raw" not in client.get(f"/t/{topic.pk}/reply?quote=2").context["form"].initial
    assert "raw" not in client.get(f"/t/{topic.pk}/reply?quote=77").context["form"].initial
    assert "raw" not in client.get(f"/t/{topic.pk}/reply?quote=abc").context["form"].initial


@override_settings(AGORA_POSTS_PER_PAGE=2)
def test_a_quote_link_to_a_later_post_lands_on_its_page(client_for, topic, other_member):
    for n in range(4):
        factories.make_reply(other_member, topic, raw=f"Reply {n}")
    jump = client_for(None).get(f"/t/-/{topic.pk}/5")
    assert jump["Location"] == f"/t/{topic.slug}/{topic.pk}?page=3#post-5"


def test_it_links_mentions_to_profiles(topic, other_member, member):
    reply = factories.make_reply(
        other_member, topic, raw="Thanks @Member and @Другой_участник, not @nobody or `@Member`."
    )
    html = reply.html
    assert re.search(r'<a class="mention" href="/u/Member"[^>]*>@Member</a>', html)
    url = other_member.get_absolute_url()
    assert url.startswith("/u/%D0%94")
    assert re.search(rf'<a class="mention" href="{url}"[^>]*>@Другой_участник</a>', html)
    assert "@nobody" in html and 'href="/u/nobody"' not in html
    assert "<code>@Member</code>" in html


def test_a_mention_link_leads_to_the_profile(client_for, topic, other_member):
    reply = factories.make_reply(topic.user, topic, raw="Ping @Другой_участник")
    href = re.search(r'class="mention" href="([^"]+)"', reply.html)[1]
    page = client_for(None).get(href)
    assert page.status_code == 200 and page.context["person"] == other_member
