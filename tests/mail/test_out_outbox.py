"""The outbox: queued rows go out through a real SMTP server, are retried with backoff while it is down,
are claimed with a lease (a dead worker's rows are taken over, never sent twice) and marked one by one."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from agora.mail import services
from agora.mail.models import OutgoingMail

from .smtp_out import free_port, smtp_server, smtp_settings

pytestmark = pytest.mark.django_db


def queue(n: int = 1, **kw) -> OutgoingMail:
    return services.mail_enqueue(
        to_address=kw.get("to", f"reader{n}@example.org"),
        kind="notification",
        dedupe_key=kw.get("key", f"test:{n}"),
        subject=f"Subject {n}",
        text_body=f"Plain body {n}",
        html_body=f"<p>HTML body {n}</p>",
        headers={"Auto-Submitted": "auto-generated", "Message-ID": f"<m{n}@example.org>"},
    )


def test_a_queued_message_goes_out_through_smtp_with_both_bodies_and_is_marked_sent():
    row = queue()
    with smtp_server() as smtp, smtp_settings(smtp.port):
        assert services.outbox_send_due() == 1
    (message,) = smtp.messages
    assert message["To"] == "reader1@example.org"
    assert message["Message-ID"] == "<m1@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == "Plain body 1"
    assert "<p>HTML body 1</p>" in message.get_body(preferencelist=("html",)).get_content()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == (OutgoingMail.Status.SENT, 1, None)
    assert row.sent_at is not None


def test_the_same_decision_twice_queues_one_message():
    assert queue(key="same") is not None
    assert queue(key="same") is None
    assert OutgoingMail.objects.count() == 1


@override_settings(AGORA_MAIL_RETRY_SECONDS=60)
def test_smtp_down_waits_with_backoff_then_sends_once_it_is_up():
    port = free_port()
    row = queue()
    now = timezone.now()
    with smtp_settings(port):
        assert services.outbox_send_due(now=now) == 0  # nobody listens on the port
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutgoingMail.Status.QUEUED, 1)
        assert row.next_attempt_at == now + timedelta(seconds=60)
        assert "Connection" in row.last_error or "refused" in row.last_error.lower()
        # Second failure: the wait doubles.
        assert services.outbox_send_due(now=row.next_attempt_at) == 0
        row.refresh_from_db()
        assert row.attempts == 2
        assert row.next_attempt_at - now == timedelta(seconds=60 + 120)
        with smtp_server(port) as smtp:
            assert services.outbox_send_due(now=row.next_attempt_at - timedelta(seconds=1)) == 0  # not due yet
            assert services.outbox_send_due(now=row.next_attempt_at) == 1
    assert len(smtp.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingMail.Status.SENT, 3)


@override_settings(AGORA_MAIL_MAX_ATTEMPTS=2, AGORA_MAIL_RETRY_SECONDS=1)
def test_it_gives_up_after_the_last_attempt():
    row = queue()
    with smtp_settings(free_port()):
        services.outbox_send_due()
        services.outbox_send_due(now=timezone.now() + timedelta(seconds=5))
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutgoingMail.Status.FAILED, 2)
        assert services.outbox_send_due(now=timezone.now() + timedelta(days=1)) == 0


def test_a_dead_workers_claim_is_taken_over_after_its_lease_and_sent_once():
    row = queue()
    now = timezone.now()
    # A worker claims the row and dies before sending it.
    assert services.outbox_claim(now=now) == [row.pk]
    with smtp_server() as smtp, smtp_settings(smtp.port):
        assert services.outbox_send_due(now=now + timedelta(minutes=1)) == 0  # still leased
        assert services.outbox_send_due(now=now + services.CLAIM_LEASE + timedelta(seconds=1)) == 1
        assert services.outbox_send_due(now=now + timedelta(hours=1)) == 0  # sent: never again
    assert len(smtp.messages) == 1


def test_two_workers_never_claim_the_same_row():
    rows = [queue(n) for n in range(3)]
    now = timezone.now()
    first = services.outbox_claim(now=now)
    second = services.outbox_claim(now=now)
    assert sorted(first) == sorted(r.pk for r in rows)
    assert second == []


def test_each_row_is_marked_on_its_own_so_one_refusal_does_not_resend_the_others():
    rows = [queue(n) for n in range(3)]
    with smtp_server() as smtp, smtp_settings(smtp.port):
        smtp.refuse.add("reader1@example.org")
        assert services.outbox_send_due() == 2
    statuses = {r.to_address: r.status for r in OutgoingMail.objects.filter(pk__in=[r.pk for r in rows])}
    assert statuses == {
        "reader0@example.org": OutgoingMail.Status.SENT,
        "reader1@example.org": OutgoingMail.Status.QUEUED,
        "reader2@example.org": OutgoingMail.Status.SENT,
    }
    assert sorted(m["To"] for m in smtp.messages) == ["reader0@example.org", "reader2@example.org"]
