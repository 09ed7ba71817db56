"""The topic page of a 20-post topic, with all its CSS and JavaScript, weighs under 60 KB compressed.

No browser needed: bench/page_weight.py fetches the page and its static files with the test
client and compresses each as whitenoise would; the breakdown is printed (see it with -s).
"""

from __future__ import annotations

import pytest

from bench import page_weight
from tests.e2e.forum import build_forum


@pytest.mark.django_db
def test_topic_page_is_under_60_kb_compressed(client):
    forum = build_forum(replies=page_weight.REPLIES)
    assert forum.topic.posts_count == 20
    anonymous = page_weight.measure(client, forum.topic_url())
    client.force_login(forum.member)
    member = page_weight.measure(client, forum.topic_url())
    print(f"\n{anonymous}\n{member}")
    assert {r.kind for r in member.resources} >= {"HTML", "CSS", "JS"}
    assert anonymous.within_budget, str(anonymous)
    assert member.within_budget, str(member)
