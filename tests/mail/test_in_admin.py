"""Staff give a category its incoming address in the Django admin; the receiver's log is read-only there."""

import pytest

from agora.mail.models import CategoryInbox, IncomingMail

pytestmark = pytest.mark.django_db


def test_staff_give_a_category_an_address_stored_lower_cased(client_for, staff, public_category):
    response = client_for(staff).post(
        "/admin/mail/categoryinbox/add/", {"category": public_category.pk, "address": " Ask@Lists.Example.org "}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert CategoryInbox.objects.get(category=public_category).address == "ask@lists.example.org"


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("not an address", "Enter a valid email address."),
        ("replies@localhost", "This is the reply address"),
        ("replies+0123456789abcdef0123456789abcdef@localhost", "This is the reply address"),
    ],
)
def test_a_bad_category_address_is_refused_with_a_clear_message(client_for, staff, public_category, address, error):
    response = client_for(staff).post(
        "/admin/mail/categoryinbox/add/", {"category": public_category.pk, "address": address}
    )

    assert response.status_code == 200 and error in response.content.decode()
    assert not CategoryInbox.objects.exists()


def test_the_receivers_log_is_read_only_hides_reply_keys_and_is_closed_to_members(client_for, staff, member):
    key = "0123456789abcdef0123456789abcdef"
    row = IncomingMail.objects.create(
        sender="x@example.net", recipient=f"replies+{key}@localhost", status="refused", reason="Unknown sender"
    )
    staff_client = client_for(staff)

    page = staff_client.get("/admin/mail/incomingmail/").content.decode()
    assert "Unknown sender" in page and "replies+0123…cdef@localhost" in page and key not in page
    assert staff_client.get(f"/admin/mail/incomingmail/{row.pk}/change/").status_code == 200
    assert staff_client.get("/admin/mail/incomingmail/add/").status_code == 403
    assert client_for(member).get("/admin/mail/incomingmail/").status_code == 302  # to the admin's sign-in
