"""What is kept of a reply's words: the quoted mail, signatures and phone lines go, the person's own words
(including quotes they answer inline) stay. Pure functions, no database."""

import email
import email.policy

import pytest

from agora.mail.inbound import Refused, check_not_automatic, parse_message
from agora.mail.inbound_text import html_to_text, reply_text, trim_reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes.\n\nOn Mon, Dec 7, 2026 at 9:14 AM Ana <ana@example.org> wrote:\n> old\n", "Yes."),
        # The attribution wrapped over two lines by the client.
        (
            "Yes.\n\nOn Mon, Dec 7, 2026 at 9:14 AM Agora Forum via Agora <\nreplies+abc@example.org> wrote:\n> old",
            "Yes.",
        ),
        ("Oui.\n\nLe lun. 7 déc. 2026 à 09:14, Ana <ana@example.org> a écrit :\n> old", "Oui."),
        ("Ja.\n\nAm 07.12.2026 um 09:14 schrieb Ana <ana@example.org>:\n> old", "Ja."),
        ("Fine.\n\n-- \nAna Souza\nTreasurer", "Fine."),
        ("Fine.\n\nSent from my iPhone", "Fine."),
        ("Fine.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>", "Fine."),
        ("Fine.\n\nFrom: Agora <replies@example.org>\nSent: Monday, December 7, 2026 9:14 AM\nTo: me\n\nold", "Fine."),
        ("Fine.\n\n-----Original Message-----\nFrom: Agora\nold", "Fine."),
        ("Fine.\n\n> trailing quote\n> with no attribution\n\n", "Fine."),
        # Inline answers keep the quotes they answer.
        (
            "> Does it work?\nYes.\n> And the button?\nUnder the composer.",
            "> Does it work?\nYes.\n> And the button?\nUnder the composer.",
        ),
        # "On" starting a sentence of one's own is not an attribution.
        ("On Monday I will upload it.\nThanks!", "On Monday I will upload it.\nThanks!"),
    ],
)
def test_trim_reply_cuts_what_the_person_did_not_write(text, expected):
    assert trim_reply(text) == expected


def test_html_to_text_keeps_paragraphs_and_links_and_drops_scripts_and_quotes():
    html = (
        "<div>One<br>two</div><p>See <a href='https://example.org/a'>this</a></p><ul><li>x</li><li>y</li></ul>"
        "<style>p{}</style><script>alert(1)</script><div class='gmail_quote'>old <b>words</b></div>"
    )
    assert html_to_text(html) == "One\ntwo\n\nSee this <https://example.org/a>\n\n- x\n- y"


def test_the_plain_part_is_preferred_to_the_html_one():
    message = email.message.EmailMessage()
    message.set_content("plain words")
    message.add_alternative("<p>html words</p>", subtype="html")
    assert reply_text(message) == "plain words"


def test_an_unknown_charset_is_read_as_utf8_rather_than_refused():
    raw = b"Content-Type: text/plain; charset=x-klingon\r\n\r\nqapla\xc3\xa9\r\n"
    assert reply_text(email.message_from_bytes(raw, policy=email.policy.default)) == "qaplaé"


def test_a_multipart_without_its_boundary_is_malformed():
    with pytest.raises(Refused, match="Malformed MIME"):
        parse_message(b"Content-Type: multipart/mixed; boundary=zz\r\n\r\nno parts here\r\n")


@pytest.mark.parametrize(
    ("header", "refused"),
    [
        ("Auto-Submitted: auto-generated", True),
        ("Auto-Submitted: auto-replied; owner-email=a@b.c", True),
        ("Auto-Submitted: No", False),
        ("Precedence: list", True),
        ("Precedence: first-class", False),
        ("X-Autorespond: yes", True),
    ],
)
def test_rfc_3834_and_vacation_headers(header, refused):
    message = email.message_from_bytes(f"{header}\r\nFrom: a@b.c\r\n\r\nhi\r\n".encode(), policy=email.policy.default)
    if refused:
        with pytest.raises(Refused):
            check_not_automatic(message, "a@b.c")
    else:
        check_not_automatic(message, "a@b.c")
