"""The email preferences tab, the unsubscribe landing page (a button, and RFC 8058's one-click POST with no
login and no CSRF token), and the staff's list addresses page."""

import pytest
from django.test import Client

from agora.mail.composing import unsubscribe_token
from agora.mail.models import ListAddress
from agora.notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db


def test_the_preferences_tab_saves_the_email_choices(client_for, member, django_assert_max_num_queries):
    client = client_for(member)
    with django_assert_max_num_queries(12):
        page = client.get("/my/email")
    assert page.status_code == 200 and b"Mailing-list mode" in page.content
    response = client.post("/my/email", {"email_when": "always", "digest": "daily", "mailing_list_mode": "on"})
    assert response.status_code == 302
    choice = NotificationSettings.objects.get(user=member)
    assert (choice.email_when, choice.digest, choice.mailing_list_mode) == ("always", "daily", True)


def test_a_bad_choice_is_refused_with_a_message_and_changes_nothing(client_for, member):
    response = client_for(member).post("/my/email", {"email_when": "sometimes", "digest": "weekly"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not NotificationSettings.objects.filter(user=member).exists()


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/my/email").status_code == 302


def test_the_link_shows_a_button_and_one_click_turns_it_off_without_login_or_csrf(
    member, django_assert_max_num_queries
):
    client = Client(enforce_csrf_checks=True)
    url = f"/mail/unsubscribe/{unsubscribe_token(member.pk, 'notifications')}"
    with django_assert_max_num_queries(4):
        page = client.get(url)
    assert page.status_code == 200 and b'<form method="post"' in page.content
    assert not NotificationSettings.objects.filter(user=member).exists()  # a GET changes nothing
    done = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    assert NotificationSettings.objects.get(user=member).email_when == NotificationSettings.EmailWhen.NEVER


@pytest.mark.parametrize(
    ("what", "field", "value"), [("digest", "digest", "never"), ("mailing_list", "mailing_list_mode", False)]
)
def test_each_link_turns_off_only_what_it_names(member, what, field, value):
    NotificationSettings.objects.create(user=member, mailing_list_mode=True)
    Client().post(f"/mail/unsubscribe/{unsubscribe_token(member.pk, what)}")
    choice = NotificationSettings.objects.get(user=member)
    assert getattr(choice, field) == value
    assert choice.email_when == NotificationSettings.EmailWhen.AWAY


def test_a_forged_or_cut_link_is_refused_clearly_and_changes_nothing(member):
    token = unsubscribe_token(member.pk, "notifications")
    for bad in (token[:-3], token.replace(":", ".", 1), "no-such-token"):
        response = Client().post(f"/mail/unsubscribe/{bad}")
        assert response.status_code == 400
        assert b"not valid" in response.content
    assert not NotificationSettings.objects.filter(user=member).exists()


def test_list_addresses_are_for_staff_only(client_for, member):
    assert client_for(member).get("/mail/lists").status_code == 404
    assert client_for(member).post("/mail/lists", {"address": "x@example.org", "target": "blog"}).status_code == 404
    assert not ListAddress.objects.exists()


def test_staff_add_and_remove_list_addresses(client_for, staff, public_category):
    client = client_for(staff)
    assert client.post("/mail/lists", {"address": "News@Lists.example.org", "target": "blog"}).status_code == 302
    response = client.post("/mail/lists", {"address": "a@lists.example.org", "target": str(public_category.pk)})
    assert response.status_code == 302
    duplicate = client.post("/mail/lists", {"address": "news@lists.example.org", "target": "blog"})
    assert duplicate.status_code == 400 and b"already receives" in duplicate.content
    bad = client.post("/mail/lists", {"address": "not an address", "target": "blog"})
    assert bad.status_code == 400
    assert sorted(ListAddress.objects.values_list("address", "blog")) == [
        ("a@lists.example.org", False),
        ("news@lists.example.org", True),
    ]
    page = client.get("/mail/lists")
    assert b"news@lists.example.org" in page.content
    client.post("/mail/lists", {"remove": str(ListAddress.objects.get(blog=True).pk)})
    assert ListAddress.objects.count() == 1
