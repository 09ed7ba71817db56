"""manage.py import_mbox: pipermail months and a Google Groups takeout import whole (threads, dates, people,
encodings, attachments), a second run imports nothing, nobody is notified, bad input says why."""

import gzip
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import resolve
from django.views.static import serve

from agora.accounts.models import User
from agora.discuss.models import Category, Post, Topic
from agora.importers.mbox import decode_bytes, decode_header_text, sender, subject_key, text_to_markdown
from agora.importers.models import PlaceholderPerson
from agora.mail.models import OutgoingMail, PostMail
from agora.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"
PIPERMAIL = SAMPLES / "pipermail"
GOOGLE_GROUPS = SAMPLES / "google-groups.mbox"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(path, category, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_mbox", str(path), category=category.slug, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def topic_titled(title: str) -> Topic:
    return Topic.objects.get(title=title)


def posts_of(topic: Topic) -> list[Post]:
    return list(topic.posts.order_by("number").select_related("user"))


def serve_media(url: str, settings):
    """What the site answers for a media address: its URL pattern must serve it (the pattern read
    MEDIA_ROOT once, when first loaded, so the view is called here with this test's folder)."""
    match = resolve(url)
    assert match.url_name is None and match.func is serve
    return serve(RequestFactory().get(url), match.kwargs["path"], document_root=settings.MEDIA_ROOT)


def mbox(tmp_path, text: str, name: str = "list.mbox") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# --- Pipermail -----------------------------------------------------------------------------------


def test_a_pipermail_folder_becomes_topics_with_their_dates_threads_and_decoded_addresses(public_category):
    out, err = run(PIPERMAIL, public_category)

    planning = topic_titled("Planning the spring edit-a-thon")  # the list's [Wiki-l] tag dropped
    first, reply, february = posts_of(planning)
    assert planning.category == public_category
    assert [p.created_at.isoformat() for p in (first, reply, february)] == [
        "2024-01-09T10:00:00+00:00",
        "2024-01-09T12:30:00+00:00",
        "2024-02-02T09:00:00+00:00",  # from the next month's file, joined by In-Reply-To
    ]
    assert planning.created_at == first.created_at and planning.last_posted_at == february.created_at
    assert (planning.posts_count, planning.reply_count, planning.highest_post_number) == (3, 2, 3)
    assert (reply.reply_to_number, february.reply_to_number) == (1, 2)
    # "ana.silva at example.org (Ana Silva)": one placeholder person for both of her messages.
    assert first.user == february.user and first.user.username == "Ana Silva"
    assert PlaceholderPerson.objects.get(user=first.user).email == "ana.silva@example.org"
    assert not first.user.is_active and not first.user.has_usable_password()
    # Quoted text stays a quote; the signature's "-- " does not turn "Bob" into a heading.
    assert "<blockquote>" in reply.html and "Shall we hold" in reply.html
    assert "<h2>" not in reply.html and "Bob" in reply.html
    assert Category.objects.get(pk=public_category.pk).topic_count == 2
    assert "Posts: 5 created, 0 already imported." in out
    assert "People: 0 matched" in out and "4 placeholder people created" in out
    assert "Nothing was skipped." in out
    assert "5/5 messages" in err  # the progress line


def test_a_reply_that_lost_its_in_reply_to_joins_its_thread_by_subject(public_category):
    run(PIPERMAIL, public_category)
    sprint = topic_titled("Translation sprint results")
    assert [p.user.username for p in posts_of(sprint)] == ["Carla", "Dan"]  # "Re: [Wiki-l] Translation..."
    assert Topic.objects.count() == 2


def test_a_same_subject_starts_a_new_topic_without_re_or_long_after(public_category, tmp_path):
    path = mbox(
        tmp_path,
        "From a@example.org Mon Jan  1 10:00:00 2024\nFrom: a@example.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"
        "Subject: Monthly meeting\nMessage-ID: <m1@x>\n\nJanuary's notes.\n\n"
        "From a@example.org Thu Feb  1 10:00:00 2024\nFrom: a@example.org\nDate: Thu, 1 Feb 2024 10:00:00 +0000\n"
        "Subject: Monthly meeting\nMessage-ID: <m2@x>\n\nFebruary's notes (no Re:, a new thread).\n\n"
        "From b@example.org Mon Jun  3 10:00:00 2024\nFrom: b@example.org\nDate: Mon, 3 Jun 2024 10:00:00 +0000\n"
        "Subject: Re: Monthly meeting\nMessage-ID: <m3@x>\n\nA reply months later.\n\n",
    )
    run(path, public_category)
    assert Topic.objects.filter(title="Monthly meeting").count() == 2
    assert Topic.objects.filter(title="Re: Monthly meeting").count() == 1


# --- Google Groups -------------------------------------------------------------------------------


def test_a_google_groups_takeout_decodes_encoded_headers_and_latin1_bodies(public_category):
    out, _err = run(GOOGLE_GROUPS, public_category)
    report = topic_titled("Relatório anual — rascunho")
    first, reply = posts_of(report)
    assert first.user.display_name == "José Álvarez" and first.user.username == "José Álvarez"
    assert first.raw == "Olá a todos! O relatório está pronto: ação, café, naïve."
    assert report.language == "pt"
    assert reply.user.username == "Françoise Müller"
    assert reply.raw.startswith("Merci José, voici mes commentaires en pièce jointe.\n\n> Olá a todos!")
    assert "Skipped 1:" in out and "google-groups.mbox #6: it is empty" in out


def test_an_html_only_message_becomes_text_and_its_script_is_gone(public_category):
    run(GOOGLE_GROUPS, public_category)
    [photos, videos] = posts_of(topic_titled("Meetup photos"))
    assert photos.raw == "The **photos** are on [Commons](https://commons.example.org/cat)."
    assert '<a href="https://commons.example.org/cat"' in photos.html and "alert" not in photos.html
    # No Message-ID and no In-Reply-To: joined by "Re: Meetup photos", with a made, stable id.
    assert PostMail.objects.get(post=videos).message_id.endswith("@import.invalid")


def test_attachments_are_stored_and_linked_and_one_over_the_cap_is_named_only(public_category, settings):
    out, _err = run(GOOGLE_GROUPS, public_category, max_attachment_mb=0.002)
    reply = posts_of(topic_titled("Relatório anual — rascunho"))[1]
    [link] = [line for line in reply.raw.splitlines() if "commentaires.pdf" in line]
    url = link.split("](", 1)[1].split(")", 1)[0]
    assert url.startswith("/media/imports/mbox/")
    stored = Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")
    assert stored.read_bytes().startswith(b"%PDF-1.4") and stored.stat().st_size == 241
    assert "huge-scan.tif (3 KB): not kept, larger than the import's limit of 2 KB" in reply.raw
    assert f'href="{url}"' in reply.html
    served = serve_media(url, settings)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF-1.4")
    assert "Attachments: 1 kept, 1 too large (named only)." in out


def test_an_attachment_that_would_run_as_a_page_is_stored_as_text(public_category, tmp_path, settings):
    path = mbox(
        tmp_path,
        "From a@example.org Mon Jan  1 10:00:00 2024\nFrom: a@example.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"
        'Subject: See page\nMessage-ID: <p1@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nThe page is attached.\n--B\nContent-Type: text/html\n"
        'Content-Disposition: attachment; filename="../../evil page.html"\n\n<script>alert(1)</script>\n--B--\n\n',
    )
    run(path, public_category)
    raw = Post.objects.get().raw
    assert "evil-page.html.txt" in raw and "../" not in raw
    [stored] = Path(settings.MEDIA_ROOT).rglob("evil-page.html.txt")
    served = serve_media("/media/" + str(stored.relative_to(settings.MEDIA_ROOT)), settings)
    assert served.status_code == 200 and served["Content-Type"].startswith("text/plain")


# --- Idempotency ---------------------------------------------------------------------------------


def test_a_second_run_imports_nothing(public_category):
    run(PIPERMAIL, public_category)
    run(GOOGLE_GROUPS, public_category)
    before = (Topic.objects.count(), Post.objects.count(), User.objects.count(), PostMail.objects.count())
    out, _err = run(PIPERMAIL, public_category)
    assert "Posts: 0 created, 5 already imported." in out
    out, _err = run(GOOGLE_GROUPS, public_category)
    assert "Posts: 0 created, 5 already imported." in out  # the one with no Message-ID too
    assert (Topic.objects.count(), Post.objects.count(), User.objects.count(), PostMail.objects.count()) == before
    assert set(PostMail.objects.values_list("source", flat=True)) == {PostMail.Source.IMPORT}


def test_a_later_month_joins_the_topics_an_earlier_run_made(public_category, tmp_path):
    january = tmp_path / "2024-January.txt.gz"
    january.write_bytes((PIPERMAIL / "2024-January.txt.gz").read_bytes())
    run(january, public_category)
    assert Post.objects.count() == 3
    run(PIPERMAIL / "2024-February.txt", public_category)
    planning = topic_titled("Planning the spring edit-a-thon")
    assert planning.posts_count == 3 and posts_of(planning)[2].reply_to_number == 2
    assert PlaceholderPerson.objects.filter(email="ana.silva@example.org").count() == 1  # reused


# --- People --------------------------------------------------------------------------------------


def test_a_verified_address_is_its_member_and_an_unverified_one_is_not(public_category, member, other_member):
    EmailAddress.objects.create(user=member, email="Ana.Silva@example.org", verified=True)
    EmailAddress.objects.create(user=other_member, email="bob@example.net", verified=False)
    out, _err = run(PIPERMAIL, public_category)
    first, reply, february = posts_of(topic_titled("Planning the spring edit-a-thon"))
    assert first.user == member and february.user == member
    assert reply.user != other_member and not reply.user.is_active  # an address no one proved is nobody's
    assert "People: 1 matched" in out


def test_verifying_an_address_moves_the_placeholders_posts_to_the_new_owner(public_category, client_for, member):
    run(PIPERMAIL, public_category)
    placeholder = PlaceholderPerson.objects.get(email="ana.silva@example.org")
    address = EmailAddress.objects.create(user=member, email="ana.silva@example.org", verified=False)
    assert Post.objects.filter(user=member).count() == 0

    response = client_for(member).post(f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/")

    assert response.status_code == 302
    planning = topic_titled("Planning the spring edit-a-thon")
    assert planning.user == member and planning.last_poster == member
    assert Post.objects.filter(user=member).count() == 2
    assert not Post.objects.filter(user=placeholder.user).exists()
    placeholder.refresh_from_db()
    assert placeholder.claimed_by == member and placeholder.claimed_at is not None
    # A later import of the same address writes as the member who claimed it.
    run(PIPERMAIL, public_category)
    assert Post.objects.filter(user=member).count() == 2


def test_staff_can_give_a_placeholders_posts_to_a_member_from_the_command_line(public_category, other_member):
    run(PIPERMAIL, public_category)
    out = StringIO()
    call_command("claim_placeholder", "BOB@example.net", other_member.username, stdout=out)
    assert "Moved 1 posts from bob@example.net" in out.getvalue()
    assert Post.objects.filter(user=other_member).count() == 1
    out = StringIO()
    call_command("claim_placeholder", "bob@example.net", other_member.username, stdout=out)
    assert "already claimed" in out.getvalue()
    with pytest.raises(CommandError, match="No imported author"):
        call_command("claim_placeholder", "nobody@example.org", other_member.username)
    with pytest.raises(CommandError, match="No active member"):
        call_command("claim_placeholder", "bob@example.net", "No Such Person")


def test_imported_posts_show_on_the_topic_page_under_the_placeholders_names(public_category, client_for):
    run(PIPERMAIL, public_category)
    planning = topic_titled("Planning the spring edit-a-thon")
    response = client_for(None).get(planning.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana Silva" in html and "Bob Jones" in html and "the library confirmed 14 April" in html


# --- Nobody is told ------------------------------------------------------------------------------


def test_an_import_notifies_and_mails_nobody_and_ignores_new_members_limits(
    public_category, member, tmp_path, django_capture_on_commit_callbacks, settings
):
    settings.AGORA_POSTING_LIMITS = True
    newcomer = factories.UserFactory(username="Newcomer", email="new@example.org", trust_level=0)
    factories.verify_email(newcomer)
    messages = "".join(
        f"From new@example.org Mon Jan  1 10:0{n}:00 2024\nFrom: new@example.org\n"
        f"Date: Mon, 1 Jan 2024 10:0{n}:00 +0000\nSubject: Hello {n} @Member\nMessage-ID: <n{n}@x>\n\n"
        f"Hi @Member, message {n} of a newcomer.\n\n"
        for n in range(6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run(mbox(tmp_path, messages), public_category)
    assert Post.objects.filter(user=newcomer, pending_approval=False).count() == 6
    assert not Notification.objects.exists()
    assert not OutgoingMail.objects.exists()


# --- Bad input -----------------------------------------------------------------------------------


def test_bad_paths_and_categories_say_why_and_import_nothing(public_category, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.mbox", public_category)
    with pytest.raises(CommandError, match="There is no category"):
        call_command("import_mbox", str(GOOGLE_GROUPS), category="no-such-category", stdout=StringIO())
    not_mbox = tmp_path / "notes.txt"
    not_mbox.write_text("Just some notes, not an archive.\n")
    with pytest.raises(CommandError, match=r"not an mbox file.*Nothing was imported"):
        run(not_mbox, public_category)
    broken = tmp_path / "2024-March.txt.gz"
    broken.write_bytes(gzip.compress(b"From a@x Mon Jan  1 10:00:00 2024\n")[:12])
    with pytest.raises(CommandError, match="not a readable gzip file"):
        run(broken, public_category)
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    with pytest.raises(CommandError, match=r"no \.txt, \.txt\.gz or \.mbox archive"):
        run(empty_dir, public_category)
    with pytest.raises(CommandError, match="cannot be negative"):
        run(GOOGLE_GROUPS, public_category, max_attachment_mb=-1)
    assert not Post.objects.exists() and not PlaceholderPerson.objects.exists()


def test_malformed_messages_are_skipped_with_a_reason_and_the_rest_imported(public_category, tmp_path):
    path = tmp_path / "broken.mbox"
    path.write_bytes(
        b"From a@example.org\nFrom: a@example.org\nDate: not a date\n"
        b"Subject: Undated\nMessage-ID: <u1@x>\n\nNo date anywhere: the From_ line has none either.\n\n"
        b"From a@example.org Mon Jan  1 10:00:00 2024\nFrom: a@example.org\n"
        b"Date: Mon, 1 Jan 2024 10:00:00 +0000\nSubject: =?x-unknown?q?Caf=E9?=\nMessage-ID: <u2@x>\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\nContent-Transfer-Encoding: base64\n\n"
        b"Q2Fm6SBvbiB0aGUgY29ybmVy!!\n\n"
        b"From a@example.org Mon Jan  1 11:00:00 2024\nFrom: a@example.org\n"
        b"Date: Mon, 1 Jan 2024 11:00:00 +0000\nSubject: Good\nMessage-ID: <u3@x>\n\nThis one is fine.\n\n"
    )
    out, _err = run(path, public_category)
    assert "broken.mbox #1: it has no date that can be read" in out
    titles = sorted(Topic.objects.values_list("title", flat=True))
    assert len(titles) == 2 and "Good" in titles
    odd = Post.objects.exclude(topic__title="Good").get()
    assert odd.raw.startswith("Caf")  # an unknown charset falls back; bad base64 does not stop the import


# --- Decoding, one piece at a time ---------------------------------------------------------------


def test_bodies_decode_from_their_charset_else_utf8_cp1252_latin1():
    assert decode_bytes("Ação".encode(), "iso-8859-1") == "AÃ§Ã£o"  # a lie in the header is believed
    assert decode_bytes("Ação".encode(), None) == "Ação"
    assert decode_bytes("“Ação”".encode("cp1252"), "us-ascii") == "“Ação”"
    assert decode_bytes("“quoted”".encode("cp1252"), "iso-8859-1") == "“quoted”"  # latin-1 read as cp1252
    assert decode_bytes(b"\x81\x8d", "no-such-charset") == "\x81\x8d"


def test_headers_decode_rfc2047_and_raw_8bit():
    assert decode_header_text("=?utf-8?q?Caf=C3=A9?= =?iso-8859-1?b?bWFs?=") == "Cafémal"
    assert decode_header_text("Caf\udce9 ok") == "Café ok"  # 8-bit latin-1 in a header, surrogate-escaped


def test_senders_subjects_and_text():
    assert sender("ana.silva at example.org (Ana Silva)") == ("Ana Silva", "ana.silva@example.org")
    assert sender('"Bob" <Bob@Example.NET>') == ("Bob", "bob@example.net")
    assert sender("no address here") == ("", "")
    assert subject_key("RE: [Wiki-l] Aw: Fwd:  The   Plan") == ("the plan", True)
    assert subject_key("[Wiki-l] The plan") == ("the plan", False)
    assert text_to_markdown("# not a heading\nshort line\nnext\n") == "\\# not a heading  \nshort line  \nnext"
