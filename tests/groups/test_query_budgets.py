"""Query budgets: /g and /g/<name> run a fixed number of queries, whatever the number of groups,
members, categories and topics (measured at 3 and at 30)."""

import pytest

from agora import permissions
from agora.accounts.models import User
from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from tests import factories
from tests.groups.conftest import make_group

pytestmark = pytest.mark.django_db

# The most queries each page may run (anonymous, signed in), as measured; lower them when a page gets leaner.
# Signed in adds the session, the user, the header's unread-notification count (with the viewer's access),
# the last-seen time (once), the viewer's memberships and, on the group page, their request to join.
BUDGETS = {
    "/g": (1, 7),
    "/g/big": (9, 16),  # +1 the stories that speak for the group, +1 its upcoming events, +1 the watch level
    "/g/big/members": (2, 8),
}


def grow(n: int, viewer) -> None:
    """n groups the viewer is in, and a big group with n members, categories and topics."""
    start = Group.objects.filter(name__startswith="g-").count()
    owner = User.objects.filter(username="Big owner").first() or factories.UserFactory(username="Big owner")
    for i in range(start, n):
        group = make_group(f"g-{i}", owners=[owner], full_name=f"Group {i}", description_html="<p>About us</p>")
        Membership.objects.create(group=group, user=viewer)
    big = Group.objects.filter(name="big").first() or make_group("big", owners=[owner], joining=Group.Joining.ASK)
    have = big.memberships.count()
    for i in range(have, n):
        Membership.objects.create(group=big, user=factories.UserFactory(username=f"big-member-{n}-{i}"))
    Group.objects.filter(pk=big.pk).update(member_count=big.memberships.count())
    have = big.owned_categories.count()
    for i in range(have, n):
        grants = {"everyone": CategoryGrant.Level.SEE, "big": CategoryGrant.Level.CREATE}
        category = factories.make_category(f"Big room {i}", slug=f"big-room-{i}", grants=grants, group=big)
        permissions.forget_access(owner)  # a new category since the owner's access was worked out
        factories.make_topic(owner, category, title=f"Big topic number {i}")
    Group.objects.filter(pk=big.pk).update(welcome_topic=big.owned_categories.first().topics.first())


@pytest.mark.parametrize("url", list(BUDGETS))
def test_group_pages_hold_their_query_budget_as_the_data_grows(client_for, member, django_assert_max_num_queries, url):
    anonymous, signed_in = client_for(None), client_for(member)
    for n in (3, 30):
        grow(n, member)
        for client, budget in ((anonymous, BUDGETS[url][0]), (signed_in, BUDGETS[url][1])):
            with django_assert_max_num_queries(budget):
                response = client.get(url)
            assert response.status_code == 200
    page = signed_in.get(url)
    if url == "/g":
        assert len(page.context["rows"]) >= 31
    elif url == "/g/big":
        assert len(page.context["categories"]) == 30 and len(page.context["topics"]) == 10
        assert page.context["welcome"] is not None
