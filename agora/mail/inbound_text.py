"""The words of an incoming mail: the part a person wrote, without the quoted mail below it, the
signature or the "Sent from my phone" line, taken from the text/plain part (else from the HTML one)."""

from __future__ import annotations

import re
from email.message import Message
from html.parser import HTMLParser

# "On Mon, 7 Dec 2026 at 10:00, Ana <ana@example.org> wrote:", which clients wrap over two lines when it is
# long; and its French, German, Spanish, Italian, Portuguese and Dutch forms.
_ATTRIBUTION = re.compile(
    r"^[ \t]*(?:>[ \t]*)?(?:On|Le|Am|El|Il|Em|Op)\b[^\n]{0,300}(?:\n[^\n]{0,300})?"
    r"(?:wrote|a écrit|schrieb|escribió|ha scritto|escreveu|schreef)[^\n]{0,80}:[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
# Outlook's header block above the quoted mail: "From: ..." then "Sent: ..."/"Date: ..." a line or two below.
_OUTLOOK_BLOCK = re.compile(
    r"^[ \t]*\*?(?:From|De|Von|Van)\*?:[^\n]*\n(?:[^\n]*\n){0,2}?[ \t]*\*?(?:Sent|Date|Envoyé|Gesendet|Enviado)\*?:",
    re.MULTILINE | re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:Original Message|Forwarded message|Message d'origine|Ursprüngliche Nachricht)[ \t]*-{2,}"
    r"|_{20,})[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
# The signature delimiter ("-- " on its own line; many clients lose the space).
_SIGNATURE = re.compile(r"^--[ \t]?$", re.MULTILINE)
_SENT_FROM = re.compile(
    r"^[ \t]*(?:Sent from my \w+|Sent from (?:Mail|Outlook|Yahoo Mail)\b|Get Outlook for \w+|"
    r"Envoyé de mon \w+|Von meinem \w+ gesendet|Enviado desde mi \w+)[^\n]*$",
    re.MULTILINE | re.IGNORECASE,
)


def reply_text(message: Message) -> str:
    """What the person wrote: the chosen body with the quoted mail, signatures and phone lines cut."""
    return trim_reply(body_text(message))


def body_text(message: Message) -> str:
    """The text/plain part (not an attachment), else the first HTML part turned into text, else ""."""
    html = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain":
            return _unflow(_part_text(part), part)
        if content_type == "text/html" and html is None:
            html = part
    return html_to_text(_part_text(html)) if html is not None else ""


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8 rather than refuse the mail
        return payload.decode("utf-8", errors="replace")


def _unflow(text: str, part: Message) -> str:
    """RFC 3676 format=flowed (Apple Mail, Thunderbird): a line ending in a space goes on in the next one."""
    text = text.replace("\r\n", "\n")
    if (part.get_param("format") or "").lower() != "flowed":
        return text
    delsp = (part.get_param("delsp") or "").lower() == "yes"
    lines: list[str] = []
    joining = False
    for line in text.split("\n"):
        if line.startswith(" "):  # space-stuffed
            line = line[1:]
        if joining and lines:
            lines[-1] += line
        else:
            lines.append(line)
        joining = line.endswith(" ") and line != "-- "
        if joining and delsp:
            lines[-1] = lines[-1][:-1]
    return "\n".join(lines)


def trim_reply(text: str) -> str:
    """Cut the quoted mail (from its attribution line or Outlook header block on), the signature, the
    "Sent from my iPhone" line, and `>` quotes left at the end; quotes inside the reply stay."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cut = len(text)
    for pattern in (_ATTRIBUTION, _OUTLOOK_BLOCK, _ORIGINAL_MESSAGE, _SIGNATURE, _SENT_FROM):
        match = pattern.search(text)
        if match and match.start() < cut:
            cut = match.start()
    lines = text[:cut].rstrip().split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(line.rstrip() for line in lines).strip("\n")


class _TextFromHTML(HTMLParser):
    """HTML to plain text for the markdown composer: paragraphs and line breaks kept, links as their text
    with the address after it, scripts, styles and the quoted mail (blockquote, Gmail's quote) left out."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "hr"})
    _SKIPPED = frozenset({"script", "style", "head", "title", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) for the tags that get an end tag
        self.href: str | None = None
        self.stopped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        # Gmail's and Outlook's quoted mail, and Apple Mail's quoted blockquote.
        skipped = tag in self._SKIPPED or bool({"gmail_quote", "gmail_signature", "moz-signature"} & set(classes))
        skipped = skipped or attributes.get("id") == "Signature"
        # Outlook's and Thunderbird's quoted mail has no wrapper: all that follows these is the quote.
        if attributes.get("id") in {"divRplyFwdMsg", "appendonsend"} or "moz-cite-prefix" in classes:
            self.stopped = True
        if self.stopped:
            return
        if tag in {"br", "hr", "img", "meta", "link", "input"}:
            if tag in {"br", "hr"} and not self.skip_depth:
                self.parts.append("\n")
            return
        self.stack.append((tag, skipped))
        if skipped:
            self.skip_depth += 1
        if self.skip_depth:
            return
        if tag in self._BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        if tag == "a":
            self.href = attributes.get("href")

    def handle_endtag(self, tag: str) -> None:
        if self.stopped:
            return
        # Close up to the matching open tag (HTML in mail is rarely well nested).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _name, skipped in self.stack[index:]:
                    if skipped:
                        self.skip_depth -= 1
                del self.stack[index:]
                break
        else:
            return
        if self.skip_depth:
            return
        if tag in self._BLOCKS and tag != "li":  # list items: one line each, a tight list
            self.parts.append("\n")
        if tag == "a" and self.href:
            if self.href.startswith(("http://", "https://")) and self.href not in self.parts[-1:]:
                self.parts.append(f" <{self.href}>")
            self.href = None

    def handle_data(self, data: str) -> None:
        if not self.skip_depth and not self.stopped:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        text = "".join(self.parts).replace("\xa0", " ")
        lines = [line.strip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    return parser.text()
