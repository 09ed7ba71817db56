"""Groups and private messages in a real browser, with JavaScript and without.

A volunteer asks to join an ask-to-join group with a message; its owner reads the request from the
notifications, accepts it; the volunteer is told and now reads the group's private category. Then
the volunteer writes to the moderators anonymously, and a moderator reads and answers it without
ever seeing the sender's name; the sender reads the answer.
"""

from __future__ import annotations

import pytest

from agora.discuss.models import Topic
from agora.groups.models import Group, Membership
from tests import factories
from tests.e2e.helpers import log_in, verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_asking_to_join_and_messaging_the_moderators_anonymously(js, site, open_context):
    owner = verified_user(username="Olga Owner", email="olga@example.org", trust_level=2)
    volunteer = verified_user(username="Vũ Volunteer", email="vu@example.org", display_name="Vũ Văn An")
    verified_user(username="Mia Moderator", email="mia@example.org", is_moderator=True, trust_level=3)
    group = Group.objects.create(
        name="translators", full_name="Translators", visibility="public", joining="ask", members_visibility="members"
    )
    Membership.objects.create(group=group, user=owner, is_owner=True)
    Group.objects.filter(pk=group.pk).update(member_count=1)
    room = factories.make_category("Translators' room", slug="translators-room", grants={"translators": 3}, group=group)
    factories.make_topic(owner, room, title="Glossary for the fundraising banners", raw="Our working glossary.")

    # The volunteer cannot see the group's room yet, and asks to join with a message.
    them = open_context(javascript=js).new_page()
    log_in(them, site, volunteer.username)
    assert them.goto(f"{site}/c/translators-room").status == 404
    them.goto(f"{site}/g/translators")
    them.fill("textarea[name=message]", "I translate into Vietnamese.")
    _submit(them, "form[action='/g/translators/request'] button")
    assert "/g/translators" in them.url
    assert them.locator("form[action='/g/translators/withdraw']").count() == 1

    # The owner is told, opens the requests page from the notification, and accepts.
    owner_context = open_context(javascript=js)
    owner_page = owner_context.new_page()
    log_in(owner_page, site, owner.username)
    assert owner_page.locator(".user-nav").get_by_text("1").count() >= 1
    owner_page.goto(f"{site}/notifications")
    assert "Vũ Văn An" in owner_page.inner_text("main")
    owner_page.goto(f"{site}/g/translators/requests")
    assert "I translate into Vietnamese." in owner_page.inner_text("main")
    _submit(owner_page, "form[action$='/accept'] button")
    assert Membership.objects.filter(group=group, user=volunteer).exists()

    # The volunteer is told and now reads the room.
    them.goto(f"{site}/notifications")
    assert "translators" in them.inner_text("main").lower()
    them.goto(f"{site}/c/translators-room")
    assert "Glossary for the fundraising banners" in them.inner_text("main")

    # An anonymous message to the moderators.
    them.goto(f"{site}/messages/moderators")
    them.fill("input[name=title]", "Harassment in the translators' chat")
    them.fill("textarea[name=raw]", "Someone keeps insulting new translators.")
    them.check("input[name=anonymous]")
    _submit(them, "main form button.primary")
    message = Topic.objects.get(title="Harassment in the translators' chat")
    assert message.is_message and message.anonymous

    moderator = open_context(javascript=js).new_page()
    log_in(moderator, site, "Mia Moderator")
    moderator.goto(f"{site}/messages/group/moderators")
    _submit(moderator, f"a[href^='/t/{message.slug}/{message.pk}']")
    page_text = moderator.inner_text("body")
    assert "Someone keeps insulting new translators." in page_text
    assert "Anonymous" in page_text
    for name in ("Vũ", "Volunteer", "Văn An"):
        assert name not in moderator.content()
    moderator.fill("#reply-form textarea[name=raw]", "Thank you, we are looking into it.")
    if js:
        with moderator.expect_response(lambda r: r.url.endswith(f"/t/{message.pk}/reply")):
            moderator.click("#reply-form button.primary")
        moderator.wait_for_selector("#post-2")
    else:
        _submit(moderator, "#reply-form button.primary")

    # The sender reads the answer in their inbox.
    them.goto(f"{site}/messages")
    _submit(them, f"a[href^='/t/{message.slug}/{message.pk}']")
    assert "Thank you, we are looking into it." in them.inner_text("main")
    assert "You (anonymous)" in them.inner_text("main")
