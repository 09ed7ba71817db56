"""Likes (toggle, one per user, never one's own), bookmarks with notes, and marking a solution."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agora.discuss import services
from agora.discuss.models import Bookmark, Post, PostLike, Topic
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _likes(post):
    post = Post.objects.get(pk=post.pk)
    return post.like_count, Topic.objects.get(pk=post.topic_id).like_count, PostLike.objects.filter(post=post).count()


# --- likes --------------------------------------------------------------------------------


def test_it_likes_and_unlikes_a_post(client_for, topic, other_member):
    post = topic.posts.get(number=1)
    client = client_for(other_member)
    response = client.post(f"/p/{post.pk}/like")
    assert response.status_code == 302 and response["Location"].endswith("#post-1")
    assert _likes(post) == (1, 1, 1)
    client.post(f"/p/{post.pk}/like")
    assert _likes(post) == (0, 0, 0)


def test_likes_from_several_people_add_up_on_post_and_topic(client_for, topic, other_member, moderator, member):
    post = topic.posts.get(number=1)
    reply = factories.make_reply(other_member, topic)
    client_for(other_member).post(f"/p/{post.pk}/like")
    client_for(moderator).post(f"/p/{post.pk}/like")
    client_for(member).post(f"/p/{reply.pk}/like")
    assert _likes(post) == (2, 3, 2)
    assert _likes(reply) == (1, 3, 1)


def test_it_keeps_one_like_per_user_per_post(topic, other_member):
    post = topic.posts.get(number=1)
    PostLike.objects.create(post=post, user=other_member)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostLike.objects.create(post=post, user=other_member)


def test_it_refuses_a_like_on_ones_own_post_with_a_clear_message(member_client, topic):
    post = topic.posts.get(number=1)
    response = member_client.post(f"/p/{post.pk}/like", follow=True)
    assert b"You cannot like your own post." in response.content
    assert _likes(post) == (0, 0, 0)
    htmx = member_client.post(f"/p/{post.pk}/like", headers=HTMX)
    assert htmx.status_code == 422 and b"You cannot like your own post." in htmx.content
    assert _likes(post) == (0, 0, 0)


def test_it_answers_an_htmx_like_with_the_post_actions(client_for, topic, other_member):
    post = topic.posts.get(number=1)
    response = client_for(other_member).post(f"/p/{post.pk}/like", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="actions-{post.pk}"' in html
    assert 'class="like active"' in html and '<span class="count">1</span>' in html
    assert 'aria-pressed="true"' in html


def test_likes_need_a_post_request_a_sign_in_and_a_visible_post(client_for, topic, outsider, staff, staff_category):
    post = topic.posts.get(number=1)
    assert client_for(outsider).get(f"/p/{post.pk}/like").status_code == 405
    assert client_for(None).post(f"/p/{post.pk}/like").status_code == 302
    private = factories.make_topic(staff, staff_category).posts.get(number=1)
    assert client_for(outsider).post(f"/p/{private.pk}/like").status_code == 404
    assert client_for(outsider).post("/p/987654/like").status_code == 404
    assert _likes(post) == (0, 0, 0) and _likes(private) == (0, 0, 0)


def test_it_refuses_likes_in_archived_topics(client_for, topic, other_member):
    Topic.objects.filter(pk=topic.pk).update(archived=True)
    post = topic.posts.get(number=1)
    assert client_for(other_member).post(f"/p/{post.pk}/like").status_code == 403
    assert _likes(post) == (0, 0, 0)


def test_the_topic_page_marks_what_the_viewer_liked(client_for, topic, other_member):
    post = topic.posts.get(number=1)
    services.post_like_toggle(user=other_member, post=post)
    html = client_for(other_member).get(topic.get_absolute_url()).content.decode()
    assert 'class="like active"' in html and '<span class="count">1</span>' in html
    assert 'class="like active"' not in client_for(None).get(topic.get_absolute_url()).content.decode()


# --- bookmarks ----------------------------------------------------------------------------


def test_it_bookmarks_a_post_with_a_note_and_lists_it(client_for, topic, other_member):
    post = topic.posts.get(number=1)
    client = client_for(other_member)
    assert client.get(f"/p/{post.pk}/bookmark").status_code == 200
    response = client.post(f"/p/{post.pk}/bookmark", {"note": "Answer this tomorrow"})
    assert response.status_code == 302
    assert Bookmark.objects.get().note == "Answer this tomorrow"
    page = client.get("/bookmarks")
    assert b"How do I upload a file?" in page.content and b"Answer this tomorrow" in page.content
    client.post(f"/p/{post.pk}/bookmark", {"note": "Changed my mind"})
    assert Bookmark.objects.get().note == "Changed my mind"
    client.post(f"/p/{post.pk}/bookmark", {"remove": "1"})
    assert not Bookmark.objects.exists()
    assert b"You have no bookmarks yet." in client.get("/bookmarks").content


def test_it_answers_an_htmx_bookmark_with_the_post_actions(client_for, topic, other_member):
    post = topic.posts.get(number=1)
    html = client_for(other_member).post(f"/p/{post.pk}/bookmark", {}, headers=HTMX).content.decode()
    assert "<html" not in html and 'class="bookmark active"' in html and "Bookmarked" in html


def test_it_refuses_an_over_long_note_and_keeps_it(client_for, topic, other_member):
    post = topic.posts.get(number=1)
    note = "n" * 501
    response = client_for(other_member).post(f"/p/{post.pk}/bookmark", {"note": note})
    assert response.status_code == 400 and b"at most 500 characters" in response.content
    assert note.encode() in response.content
    assert not Bookmark.objects.exists()


def test_bookmarks_are_private_to_their_owner(client_for, topic, other_member, member):
    services.bookmark_set(user=other_member, post=topic.posts.get(number=1), note="my secret note")
    assert b"my secret note" not in client_for(member).get("/bookmarks").content
    assert client_for(None).get("/bookmarks").status_code == 302


def test_bookmarks_of_posts_that_became_private_disappear(client_for, topic, other_member, staff_category):
    reply = factories.make_reply(topic.user, topic, raw="Bookmarked reply")
    services.bookmark_set(user=other_member, post=reply, note="keep")
    gone = factories.make_reply(topic.user, topic, raw="Deleted later")
    services.bookmark_set(user=other_member, post=gone, note="deleted one")
    services.post_delete(user=topic.user, post=gone)
    client = client_for(other_member)
    assert len(client.get("/bookmarks").context["page"].object_list) == 1
    Topic.objects.filter(pk=topic.pk).update(category=staff_category)
    page = client.get("/bookmarks")
    assert len(page.context["page"].object_list) == 0
    assert b"How do I upload a file?" not in page.content
    assert client.get(f"/p/{reply.pk}/bookmark").status_code == 404


# --- solutions ----------------------------------------------------------------------------


def test_the_author_marks_a_solution_shown_under_the_question_and_in_lists(client_for, topic, member, other_member):
    answer = factories.make_reply(other_member, topic, raw="Top right, the **Upload** button.")
    client = client_for(member)
    response = client.post(f"/p/{answer.pk}/solve")
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).solution_post_id == answer.pk
    html = client_for(None).get(topic.get_absolute_url()).content.decode()
    assert 'class="solution-box"' in html and "answer by Другой участник" in html
    assert "<strong>Upload</strong>" in html.split('class="solution-box"')[1].split("</aside>")[0]
    assert f'href="/t/{topic.slug}/{topic.pk}/2"' in html
    for url in ("/latest", f"/c/{topic.category.slug}"):
        row = client_for(None).get(url).content.decode()
        assert '<span class="badge solved">Solved</span>' in row
    client.post(f"/p/{answer.pk}/solve", {"clear": "1"})
    assert Topic.objects.get(pk=topic.pk).solution_post_id is None
    assert 'class="solution-box"' not in client_for(None).get(topic.get_absolute_url()).content.decode()
    assert "badge solved" not in client_for(None).get("/latest").content.decode()


def test_moderators_mark_solutions_others_may_not(client_for, topic, other_member, moderator, outsider):
    answer = factories.make_reply(other_member, topic)
    assert client_for(other_member).post(f"/p/{answer.pk}/solve").status_code == 403
    assert client_for(outsider).post(f"/p/{answer.pk}/solve").status_code == 403
    assert Topic.objects.get(pk=topic.pk).solution_post_id is None
    assert client_for(moderator).post(f"/p/{answer.pk}/solve").status_code == 302
    assert Topic.objects.get(pk=topic.pk).solution_post_id == answer.pk


def test_solutions_exist_only_in_question_categories(client_for, member, other_member):
    cat = factories.make_category("Chat")
    topic = factories.make_topic(member, cat)
    answer = factories.make_reply(other_member, topic)
    assert client_for(member).post(f"/p/{answer.pk}/solve").status_code == 403
    assert b"Mark as solution" not in client_for(member).get(topic.get_absolute_url()).content


def test_the_opening_post_or_another_topics_post_is_no_solution(
    client_for, topic, member, other_member, public_category
):
    response = client_for(member).post(f"/p/{topic.posts.get(number=1).pk}/solve", follow=True)
    assert b"Only a reply in this topic can be the solution." in response.content
    elsewhere = factories.make_reply(other_member, factories.make_topic(other_member, public_category))
    with pytest.raises(ValidationError):
        services.topic_mark_solution(user=member, topic=topic, post=elsewhere)
    assert Topic.objects.get(pk=topic.pk).solution_post_id is None


def test_deleting_the_solution_unmarks_it(topic, member, other_member):
    answer = factories.make_reply(other_member, topic)
    services.topic_mark_solution(user=member, topic=topic, post=answer)
    services.post_delete(user=other_member, post=answer)
    assert Topic.objects.get(pk=topic.pk).solution_post_id is None
