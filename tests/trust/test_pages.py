"""The trust box on a profile (the person and staff see what the next level needs; nobody else), and
the staff page that sets a level by hand."""

from __future__ import annotations

import pytest

from agora.moderation.models import ModeratorAction
from agora.notifications.models import Notification
from agora.trust.models import TrustLevelChange, UserStats

pytestmark = pytest.mark.django_db


def test_a_member_sees_what_their_next_level_needs(client_for, newcomer):
    UserStats.objects.create(user=newcomer, posts_read=12, topics_entered=2, time_read_seconds=300)
    page = client_for(newcomer).get(newcomer.get_absolute_url())
    html = page.content.decode()
    assert "To reach level 1" in html
    assert "Posts read" in html and "<td>12</td><td>30" in html
    assert "<td>5</td><td>10" in html  # minutes spent reading, of ten
    assert "Set the trust level" not in html


def test_others_see_the_level_but_not_the_figures(client_for, client, newcomer, other_member):
    for viewer in (client_for(other_member), client):
        html = viewer.get(newcomer.get_absolute_url()).content.decode()
        assert "Trust level 0" in html
        assert "To reach level" not in html


def test_staff_see_the_figures_and_the_link_to_set_the_level(client_for, staff, newcomer):
    html = client_for(staff).get(newcomer.get_absolute_url()).content.decode()
    assert "To reach level 1" in html and f"{newcomer.get_absolute_url()}/trust" in html


def test_a_level_2_member_sees_the_daily_figures_of_level_3(client_for, member):
    member.trust_level = 2
    member.save()
    UserStats.objects.create(user=member, tl3_figures={"days_visited": 12, "likes_given": 4})
    html = client_for(member).get(member.get_absolute_url()).content.decode()
    assert "To reach level 3" in html and "<td>12</td><td>50" in html


def test_the_trust_page_is_404_for_anyone_but_staff(client_for, client, newcomer, member):
    url = f"{newcomer.get_absolute_url()}/trust"
    assert client.get(url).status_code == 404
    assert client_for(member).get(url).status_code == 404
    assert client_for(newcomer).get(url).status_code == 404
    assert client_for(member).post(url, {"level": 4, "locked": "on", "reason": "me"}).status_code == 404
    newcomer.refresh_from_db()
    assert newcomer.trust_level == 0


def test_staff_set_a_level_by_hand_locked_with_a_reason(client_for, staff, newcomer):
    client = client_for(staff)
    url = f"{newcomer.get_absolute_url()}/trust"
    assert client.get(url).status_code == 200
    response = client.post(url, {"level": 4, "locked": "on", "reason": "Runs the meetups"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.trust_level == 4 and newcomer.trust_level_locked
    change = TrustLevelChange.objects.get(user=newcomer)
    assert change.actor == staff and change.locked and change.reason == "Runs the meetups"
    log = ModeratorAction.objects.get(subject_user=newcomer)
    assert log.actor == staff and log.details == {"from": 0, "to": 4, "locked": True}
    notice = Notification.objects.get(user=newcomer, kind=Notification.Kind.TRUST_LEVEL)
    assert notice.actor == staff
    told = client_for(newcomer).get("/notifications")
    assert "Your trust level changed" in told.content.decode()
    assert client_for(newcomer).get(f"/notifications/{notice.pk}/open").status_code == 302
    page = client.get(url).content.decode()
    assert "Runs the meetups" in page and "Set the trust level" not in page  # no link to the page itself
    # Unlocking keeps the level and lets the system take it over again.
    client.post(url, {"level": 4, "reason": "Handing back to the system"})
    newcomer.refresh_from_db()
    assert newcomer.trust_level == 4 and not newcomer.trust_level_locked


@pytest.mark.parametrize(
    "data",
    [{"level": 9, "locked": "on", "reason": "why"}, {"level": 2, "locked": "on", "reason": "  "}, {"level": "x"}],
)
def test_bad_input_on_the_trust_page_changes_nothing(client_for, staff, newcomer, data):
    response = client_for(staff).post(f"{newcomer.get_absolute_url()}/trust", data)
    assert response.status_code == 400
    newcomer.refresh_from_db()
    assert newcomer.trust_level == 0 and not newcomer.trust_level_locked
    assert not TrustLevelChange.objects.exists()
