"""/t/<slug>/<id>/<n> jumps to post n; a number past the end jumps to the last post."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_number_past_the_end_jumps_to_the_last_post(client, topic, other_member):
    factories.make_reply(other_member, topic)
    response = client.get(f"{topic.get_absolute_url()}/99")
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}#post-2"
    assert client.get(f"{topic.get_absolute_url()}/0")["Location"].endswith("#post-1")
