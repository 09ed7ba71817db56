"""Feed discovery: `{% feed_links "c" category.slug %}` in a page's <head> names its feeds (RSS, Atom,
JSON Feed) as <link rel="alternate">, so browsers and feed readers find them from the page."""

from urllib.parse import quote

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

TYPES = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("feed.json", "application/feed+json", "JSON Feed"),
)


def _base(kind: str, *parts: object) -> str:
    # A person's url_name is already a URL segment (quoted, spaces as underscores).
    quoted = [str(p) if kind == "u" else quote(str(p), safe="") for p in parts]
    if kind == "latest":
        return "/latest"
    if kind == "topic":
        return f"/t/{quoted[0]}/{quoted[1]}"
    return f"/{kind}/{quoted[0]}"  # c, tag, g, u


@register.simple_tag
def feed_links(kind: str, *parts: object, title: str = "") -> SafeString:
    """The <link rel="alternate"> lines for the feeds of a latest list ("latest"), a category ("c", slug), a
    tag ("tag", name), a group ("g", name), a person ("u", url name) or a topic ("topic", slug, pk)."""
    if kind != "latest" and not all(str(p) for p in parts):
        return SafeString("")
    base = _base(kind, *parts)
    label = title or _("Feed")
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" href="{}" title="{}">',
        ((mime, f"{base}.{suffix}", format_html("{} ({})", label, name)) for suffix, mime, name in TYPES),
    )


@register.filter
def feed_format(atom_url: str, fmt: str) -> str:
    """The same feed in another format: "/blog/tag/x.atom?lang=pa"|feed_format:"rss" -> "/blog/tag/x.rss?lang=pa"
    (the blog's feeds: each of its Atom addresses has an RSS and a JSON Feed twin)."""
    path, sep, query = str(atom_url).partition("?")
    if not path.endswith(".atom"):
        return ""
    suffix = {"rss": ".rss", "json": ".feed.json"}.get(fmt, ".atom")
    return f"{path[: -len('.atom')]}{suffix}{sep}{query}"
