"""An event's document holds its opening post's text: once a moderator hides that post, search neither finds
the event by those words nor shows them in a snippet, nor counts it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.discuss.models import HiddenReason, Post
from agora.discuss.services import post_hide
from agora.search.queries import search
from tests import factories
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def test_a_hidden_event_description_is_not_found_or_shown(write):
    category = factories.make_category("Meetups", slug="meetups", allows_events=True)
    organizer = factories.UserFactory(username="Olu", trust_level=2, timezone="Europe/Paris")
    event = write(make_event, organizer, category, title="Edit-a-thon", raw="Call me at secretphone 555.", venue="X")
    assert search(AnonymousUser(), "secretphone").total == 1
    write(post_hide, post=Post.objects.get(topic=event.topic, number=1), reason=HiddenReason.MODERATOR)
    results = search(AnonymousUser(), "secretphone")
    assert (results.total, results.hits) == (0, [])
