"""The staff action log is append-only: written by action_log(), never edited or deleted."""

import pytest

from agora.moderation.models import ModeratorAction
from agora.moderation.services import action_log
from tests.factories import UserFactory, make_category, make_topic

pytestmark = pytest.mark.django_db


def test_it_records_who_did_what_to_which_object_and_why():
    moderator = UserFactory(is_moderator=True)
    topic = make_topic(UserFactory(), make_category(), title="Election rules")
    entry = action_log(actor=moderator, action="topic_close", target=topic, reason="Heated", details={"a": 1})
    entry.refresh_from_db()
    assert (entry.actor, entry.action) == (moderator, "topic_close")
    assert (entry.target_kind, entry.target_id) == ("topic", topic.pk)
    assert entry.target_label == "Election rules"
    assert entry.reason == "Heated" and entry.details == {"a": 1}


def test_it_keeps_the_label_when_the_target_is_gone():
    user = UserFactory(username="Spammer")
    action_log(actor=None, action="user_delete", target=user)
    user_pk = user.pk
    user.delete()
    entry = ModeratorAction.objects.get(target_id=user_pk)
    assert entry.target_label == "Spammer" and entry.actor is None


def test_it_refuses_edits_and_deletions():
    entry = action_log(actor=None, action="post_hide", target_kind="site")
    entry.reason = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ModeratorAction.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(TypeError):
        ModeratorAction.objects.all().delete()
    assert ModeratorAction.objects.get(pk=entry.pk).reason == ""
