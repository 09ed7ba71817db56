"""Email in a real browser: a member chooses their email settings on /my/email, a notification email goes
out through a real SMTP server, and its one-click unsubscribe link works in a browser with no session.
Screenshots go to var/screenshots (AGORA_SHOTS_DIR) for people to look at."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from agora.mail import services
from agora.notifications.models import Notification, NotificationSettings
from agora.notifications.services import notify
from tests.e2e.forum import build_forum
from tests.e2e.helpers import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("AGORA_SHOTS_DIR", Path(settings.BASE_DIR) / "var" / "screenshots"))


def test_email_choices_and_one_click_unsubscribe_from_a_real_email(site, open_context, mailbox):
    forum = build_forum()
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = open_context()
    page = context.new_page()
    log_in(page, site, forum.ada.username)
    page.goto(f"{site}/my/email")
    assert page.locator("nav.tabs a[aria-current=page]").inner_text() == "Email notifications"
    page.check("input[name=email_when][value=always]")
    page.check("input[name=digest][value=daily]")
    page.screenshot(path=SHOTS / "mail-preferences.png", full_page=True)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Your email choices were saved." in page.inner_text("body")
    choice = NotificationSettings.objects.get(user=forum.ada)
    assert (choice.email_when, choice.digest, choice.mailing_list_mode) == ("always", "daily", False)
    context.probe.assert_clean()

    reply = forum.topic.posts.get(number=5)  # the member quotes Ada and thanks her
    notify(users=[forum.ada], kind=Notification.Kind.QUOTED, actor=forum.member, post=reply)
    # Ada's, and those of the forum's other people away since its replies told them (email_when "away").
    assert services.notification_mail_sweep(now=timezone.now() + timedelta(minutes=11)) >= 1
    # The sweep's commit nudged the worker (here the immediate task backend), which sent it at once.
    message = mailbox.wait_for(forum.ada.email)
    assert "the consent form?" in message.get_body(preferencelist=("plain",)).get_content()

    viewer = open_context(javascript=False).new_page()
    viewer.set_content(message.get_body(preferencelist=("html",)).get_content())
    assert "the consent form?" in viewer.inner_text("body")
    viewer.screenshot(path=SHOTS / "mail-notification.png", full_page=True)

    link = message["List-Unsubscribe"].split(",")[0].strip(" <>")
    stranger = open_context().new_page()  # no session: the link alone is enough
    stranger.goto(site + urlsplit(link).path)
    assert "Stop the emails about your notifications?" in stranger.inner_text("main")
    stranger.screenshot(path=SHOTS / "mail-unsubscribe.png", full_page=True)
    with stranger.expect_navigation():
        stranger.click("main form button[type=submit]")
    assert "Done: you will get no more notification emails." in stranger.inner_text("main")
    assert NotificationSettings.objects.get(user=forum.ada).email_when == "never"
