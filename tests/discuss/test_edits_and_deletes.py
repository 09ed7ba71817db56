"""Editing with revisions and a diff, the edit window, soft delete and restore, and the counters through it all."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from agora.discuss import services
from agora.discuss.models import Category, Post, PostRevision, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def _counters(topic):
    topic = Topic.objects.get(pk=topic.pk)
    cat = Category.objects.get(pk=topic.category_id)
    return {
        "topic_count": cat.topic_count,
        "cat_posts": cat.post_count,
        "posts": topic.posts_count,
        "replies": topic.reply_count,
        "likes": topic.like_count,
    }


# --- edits and revisions ---------------------------------------------------------------


def test_it_edits_a_post_and_keeps_the_old_text_as_a_revision(member_client, topic):
    post = topic.posts.get(number=1)
    page = member_client.get(f"/p/{post.pk}/edit")
    assert page.status_code == 200 and b"Where is the button?" in page.content
    response = member_client.post(f"/p/{post.pk}/edit", {"raw": "Where is the *upload* button?", "title": ""})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.version == 2 and "<em>upload</em>" in post.html
    revision = PostRevision.objects.get(post=post)
    assert (revision.number, revision.raw, revision.title) == (1, "Where is the button?", "How do I upload a file?")


def test_it_edits_the_title_through_the_opening_post_and_redirects_the_old_slug(member_client, topic):
    post = topic.posts.get(number=1)
    old_url = topic.get_absolute_url()
    member_client.post(f"/p/{post.pk}/edit", {"raw": post.raw, "title": "Uploading files, step by step"})
    topic.refresh_from_db()
    assert topic.title == "Uploading files, step by step" and topic.slug == "uploading-files-step-by-step"
    response = member_client.get(old_url + "?page=1")
    assert response.status_code == 301
    assert response["Location"] == f"/t/uploading-files-step-by-step/{topic.pk}?page=1"
    revisions = member_client.get(f"/p/{post.pk}/revisions")
    assert b'<del dir="auto">How do I upload a file?</del>' in revisions.content


def test_an_unchanged_edit_makes_no_revision(member, topic):
    post = topic.posts.get(number=1)
    services.post_edit(user=member, post=post, raw=post.raw)
    assert not PostRevision.objects.exists()
    assert Post.objects.get(pk=post.pk).version == 1


def test_it_refuses_an_empty_edit_and_changes_nothing(member_client, topic):
    post = topic.posts.get(number=1)
    response = member_client.post(f"/p/{post.pk}/edit", {"raw": "  "})
    assert response.status_code == 400 and b"Write something first." in response.content
    assert Post.objects.get(pk=post.pk).raw == "Where is the button?"


def test_revisions_show_a_diff_to_everyone_who_sees_the_post(client_for, member, topic, outsider):
    post = topic.posts.get(number=1)
    services.post_edit(user=member, post=post, raw="line one\nline two")
    services.post_edit(user=member, post=post, raw="line one\nline 2\nline three")
    for viewer in (None, outsider):
        page = client_for(viewer).get(f"/p/{post.pk}/revisions")
        html = page.content.decode()
        assert page.status_code == 200
        assert '<span class="diff-removed">- line two</span>' in html
        assert '<span class="diff-added">+ line 2</span>' in html
        assert '<span class="diff-added">+ line three</span>' in html
        assert '<span class="diff-same">  line one</span>' in html
        assert [v["number"] for v in page.context["versions"]] == [1, 2, 3]


def test_revisions_are_hidden_where_the_post_is(client_for, staff, staff_category, outsider, member, topic):
    private = factories.make_topic(staff, staff_category)
    post = private.posts.get(number=1)
    services.post_edit(user=staff, post=post, raw="Changed")
    assert client_for(outsider).get(f"/p/{post.pk}/revisions").status_code == 404
    assert client_for(None).get(f"/p/{post.pk}/revisions").status_code == 404
    assert client_for(staff).get(f"/p/{post.pk}/revisions").status_code == 200
    reply = factories.make_reply(member, topic, raw="To be deleted")
    services.post_edit(user=member, post=reply, raw="Edited then deleted")
    services.post_delete(user=member, post=reply)
    assert client_for(outsider).get(f"/p/{reply.pk}/revisions").status_code == 404
    assert client_for(member).get(f"/p/{reply.pk}/revisions").status_code == 200


def test_the_topic_page_links_edited_posts_to_their_revisions(client_for, member, topic):
    post = topic.posts.get(number=1)
    assert f"/p/{post.pk}/revisions".encode() not in client_for(None).get(topic.get_absolute_url()).content
    services.post_edit(user=member, post=post, raw="Edited")
    assert f"/p/{post.pk}/revisions".encode() in client_for(None).get(topic.get_absolute_url()).content


@override_settings(AGORA_EDIT_WINDOW_SECONDS=3600)
def test_authors_edit_only_within_the_edit_window(member_client, client_for, topic, moderator):
    post = topic.posts.get(number=1)
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert member_client.get(f"/p/{post.pk}/edit").status_code == 403
    assert member_client.post(f"/p/{post.pk}/edit", {"raw": "Too late"}).status_code == 403
    assert Post.objects.get(pk=post.pk).raw == "Where is the button?"
    assert b"/edit" not in member_client.get(topic.get_absolute_url()).content.split(b'id="post-1"')[1][:3000]
    mod = client_for(moderator)
    assert mod.post(f"/p/{post.pk}/edit", {"raw": "Moderator fix"}).status_code == 302
    assert Post.objects.get(pk=post.pk).raw == "Moderator fix"


def test_others_may_not_edit_and_outsiders_do_not_see(client_for, topic, other_member, outsider, staff, staff_category):
    post = topic.posts.get(number=1)
    assert client_for(other_member).get(f"/p/{post.pk}/edit").status_code == 403
    assert client_for(None).get(f"/p/{post.pk}/edit").status_code == 302
    private = factories.make_topic(staff, staff_category).posts.get(number=1)
    assert client_for(outsider).get(f"/p/{private.pk}/edit").status_code == 404
    assert client_for(outsider).post(f"/p/{private.pk}/edit", {"raw": "x" * 10}).status_code == 404


# --- delete and restore -----------------------------------------------------------------


def test_an_author_deletes_a_reply_and_restores_it(client_for, topic, other_member, member):
    reply = factories.make_reply(other_member, topic, raw="Oops, wrong topic")
    author = client_for(other_member)
    before = _counters(topic)
    assert author.get(f"/p/{reply.pk}/delete").status_code == 200
    response = author.post(f"/p/{reply.pk}/delete")
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.deleted_at is not None and reply.deleted_by == other_member
    assert _counters(topic) == {**before, "cat_posts": before["cat_posts"] - 1, "posts": 1, "replies": 0}
    others = client_for(member).get(topic.get_absolute_url()).content
    assert b"Oops, wrong topic" not in others and b"Post #2 was deleted." in others
    own = author.get(topic.get_absolute_url()).content
    assert b"Oops, wrong topic" in own and f"/p/{reply.pk}/restore".encode() in own
    assert author.post(f"/p/{reply.pk}/restore").status_code == 302
    assert Post.objects.get(pk=reply.pk).deleted_at is None
    assert _counters(topic) == before


def test_others_may_not_delete_and_outsiders_do_not_see(client_for, topic, member, other_member, outsider):
    reply = factories.make_reply(other_member, topic)
    assert client_for(member).post(f"/p/{reply.pk}/delete").status_code == 403
    assert client_for(None).post(f"/p/{reply.pk}/delete").status_code == 302
    assert Post.objects.get(pk=reply.pk).deleted_at is None
    services.post_delete(user=other_member, post=reply)
    assert client_for(outsider).post(f"/p/{reply.pk}/restore").status_code == 404
    assert client_for(member).post(f"/p/{reply.pk}/restore").status_code == 404
    assert Post.objects.get(pk=reply.pk).deleted_at is not None


def test_authors_do_not_restore_what_a_moderator_deleted(client_for, topic, other_member, moderator):
    reply = factories.make_reply(other_member, topic)
    services.post_delete(user=moderator, post=reply)
    assert client_for(other_member).post(f"/p/{reply.pk}/restore").status_code == 403
    assert client_for(moderator).post(f"/p/{reply.pk}/restore").status_code == 302
    assert Post.objects.get(pk=reply.pk).deleted_at is None


def test_an_author_may_not_delete_a_topic_others_have_replied_to(client_for, topic, member, other_member):
    factories.make_reply(other_member, topic)
    response = client_for(member).post(f"/p/{topic.posts.get(number=1).pk}/delete")
    assert response.status_code == 403
    assert Topic.objects.get(pk=topic.pk).deleted_at is None


def test_an_author_deletes_their_topic_while_nobody_has_replied(client_for, topic, member):
    page = client_for(member).get(topic.get_absolute_url()).content.decode()
    assert f'href="/p/{topic.posts.get(number=1).pk}/delete"' in page
    response = client_for(member).post(f"/p/{topic.posts.get(number=1).pk}/delete")
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).deleted_at is not None


def test_deleting_the_opening_post_deletes_the_topic_and_staff_restore_it(
    client_for, topic, member, other_member, moderator, staff
):
    factories.make_reply(other_member, topic)
    before = _counters(topic)
    response = client_for(moderator).post(f"/p/{topic.posts.get(number=1).pk}/delete")
    assert response.status_code == 302 and response["Location"] == topic.category.get_absolute_url()
    after = _counters(topic)
    assert after["topic_count"] == before["topic_count"] - 1
    assert after["cat_posts"] == before["cat_posts"] - 2
    assert client_for(other_member).get(topic.get_absolute_url()).status_code == 404
    assert topic.title.encode() not in client_for(other_member).get("/latest").content
    assert client_for(staff).get(topic.get_absolute_url()).status_code == 200
    client_for(staff).post(f"/p/{topic.posts.get(number=1).pk}/restore")
    assert _counters(topic) == before
    assert client_for(other_member).get(topic.get_absolute_url()).status_code == 200


def test_deleting_a_reply_in_a_deleted_topic_leaves_the_category_counters_right(topic, member, other_member, staff):
    reply = factories.make_reply(other_member, topic)
    before = _counters(topic)
    services.post_delete(user=staff, post=topic.posts.get(number=1))
    services.post_delete(user=staff, post=Post.objects.get(pk=reply.pk))
    services.post_restore(user=staff, post=Post.objects.get(pk=reply.pk))
    services.post_restore(user=staff, post=topic.posts.get(number=1))
    assert _counters(topic) == before


def test_likes_of_a_deleted_reply_leave_the_topic_like_count_and_come_back(topic, member, other_member):
    reply = factories.make_reply(other_member, topic)
    services.post_like_toggle(user=member, post=reply)
    services.post_like_toggle(user=other_member, post=topic.posts.get(number=1))
    assert _counters(topic)["likes"] == 2
    services.post_delete(user=other_member, post=reply)
    assert _counters(topic)["likes"] == 1
    services.post_restore(user=other_member, post=Post.objects.get(pk=reply.pk))
    assert _counters(topic)["likes"] == 2


def test_deleting_the_last_reply_gives_the_last_poster_back(topic, member, other_member):
    reply = factories.make_reply(other_member, topic)
    assert Topic.objects.get(pk=topic.pk).last_poster == other_member
    services.post_delete(user=other_member, post=reply)
    assert Topic.objects.get(pk=topic.pk).last_poster == member


def test_post_numbers_stay_stable_through_deletes(topic, other_member):
    first = factories.make_reply(other_member, topic)
    services.post_delete(user=other_member, post=first)
    second = factories.make_reply(other_member, topic)
    assert (first.number, second.number) == (2, 3)
