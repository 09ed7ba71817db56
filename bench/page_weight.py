"""Page weight: the topic page of a realistic 20-post topic, with every CSS, JavaScript and icon
file it loads, compressed as whitenoise serves static files (gzip -9 and brotli), against the
60 KB budget.

    python bench/page_weight.py        # builds a throwaway SQLite site, prints the breakdown

Tests call `measure(client, path)` with a Django test client over their own data. Static files
are read through the staticfiles finders (or the collected, hashed copies), exactly the bytes
whitenoise would serve. The HTML is compressed the same way, which assumes compression in front
of Django (a proxy, or GZipMiddleware): whitenoise compresses static files only.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import brotli

BUDGET_BYTES = 60 * 1024
REPLIES = 13  # the builder's seven posts plus these make a page of 20


@dataclass
class Resource:
    kind: str
    url: str
    raw: int
    gzip: int
    brotli: int


@dataclass
class Report:
    path: str
    resources: list[Resource] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return sum(r.raw for r in self.resources)

    @property
    def gzip(self) -> int:
        return sum(r.gzip for r in self.resources)

    @property
    def brotli(self) -> int:
        return sum(r.brotli for r in self.resources)

    @property
    def within_budget(self) -> bool:
        return self.gzip <= BUDGET_BYTES

    def __str__(self) -> str:
        def kb(n: int) -> str:
            return f"{n / 1024:7.1f} KB"

        lines = [f"Page weight of {self.path}", f"  {'':5} {'resource':<44} {'raw':>10} {'gzip -9':>10} {'brotli':>10}"]
        for r in self.resources:
            lines.append(f"  {r.kind:5} {r.url[:44]:<44} {kb(r.raw)} {kb(r.gzip)} {kb(r.brotli)}")
        lines.append(f"  {'total':<50} {kb(self.raw)} {kb(self.gzip)} {kb(self.brotli)}")
        html_raw = sum(r.raw - r.gzip for r in self.resources if r.kind == "HTML")
        lines.append(f"  {'total if the HTML goes out uncompressed':<50} {'':10} {kb(self.gzip + html_raw)}")
        verdict = "within" if self.within_budget else "OVER"
        lines.append(f"  budget {BUDGET_BYTES // 1024} KB compressed (gzip): {verdict} budget")
        return "\n".join(lines)


class _Subresources(HTMLParser):
    """The stylesheets, scripts, icons and images an HTML page makes the browser load."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.found.append(("CSS", a["href"]))
        elif tag == "link" and "icon" in rel and a.get("href"):
            self.found.append(("icon", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("JS", a["src"]))
        elif tag == "img" and a.get("src") and a.get("loading") != "lazy":
            self.found.append(("image", a["src"]))


def _static_bytes(url: str) -> bytes:
    """The bytes whitenoise would serve for a /static/ URL: the collected file, else the finders' one."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    name = url.split("?", 1)[0].removeprefix(settings.STATIC_URL)
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    for candidate in (name, re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", name)):  # drop a manifest hash
        if path := finders.find(candidate):
            return Path(path).read_bytes()
    raise FileNotFoundError(url)


def _resource(kind: str, url: str, body: bytes) -> Resource:
    return Resource(kind, url, len(body), len(gzip.compress(body, 9, mtime=0)), len(brotli.compress(body)))


def measure(client, path: str) -> Report:
    """Fetch `path` with a Django test client, then every subresource it names."""
    from django.conf import settings

    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    html = response.content
    report = Report(path, [_resource("HTML", path, html)])
    parser = _Subresources()
    parser.feed(html.decode(response.charset or "utf-8"))
    for kind, url in dict.fromkeys(parser.found):
        if url.startswith(settings.STATIC_URL):
            body = _static_bytes(url)
        else:
            fetched = client.get(url)
            body = b"".join(fetched.streaming_content) if fetched.streaming else fetched.content
        report.resources.append(_resource(kind, url, body))
    return report


def main() -> int:
    """Build a throwaway site with one realistic topic and print the topic page's weight."""
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("AGORA_VAR_DIR", tempfile.mkdtemp(prefix="agora-page-weight-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    os.environ["AGORA_PLAIN_STATIC"] = "1"  # read static files through the finders, no collectstatic
    os.environ["AGORA_FAST_PASSWORDS"] = "1"
    os.environ.pop("DATABASE_URL", None)  # never write the demo topic into a real database
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tests.e2e.forum import build_forum

    call_command("migrate", verbosity=0)
    forum = build_forum(replies=REPLIES)
    anonymous = measure(Client(), forum.topic_url())
    client = Client()
    client.force_login(forum.member)
    member = measure(client, forum.topic_url())
    print(f"Anonymous visitor: {anonymous.gzip / 1024:.1f} KB gzip, {anonymous.brotli / 1024:.1f} KB brotli")
    print(f"Signed-in member (the heavier page, with like and bookmark forms):\n{member}")
    return 0 if member.within_budget and anonymous.within_budget else 1


if __name__ == "__main__":
    sys.exit(main())
