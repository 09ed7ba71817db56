"""Realistic WordPress exports (WXR 1.2) for the importer's tests: several authors, HTML bodies with
shortcodes and images, threaded comments from members and strangers, and text in several scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

SITE = "https://blog.example.org"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Author:
    login: str
    email: str
    display_name: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class Comment:
    id: int
    author: str
    content: str
    date: str = "2023-05-02 10:00:00"
    email: str = ""
    url: str = ""
    parent: int = 0
    approved: str = "1"
    type: str = "comment"


@dataclass
class Item:
    id: int
    title: str
    content: str
    creator: str
    date: str = "2023-05-01 09:30:00"
    slug: str = ""
    status: str = "publish"
    post_type: str = "post"
    excerpt: str = ""
    pubdate: str = "Mon, 01 May 2023 09:30:00 +0000"
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


AUTHORS = [
    Author("maria", "maria@example.org", "María José Núñez", "María José", "Núñez"),
    Author("ivan_petrov", "ivan@example.ru", "Иван Петров", "Иван", "Петров"),
    Author("hana", "hana@example.jp", "佐藤 花", "花", "佐藤"),
    Author("admin", "webmaster@example.org", "admin"),
]

IMAGE = (
    '<img class="size-large wp-image-41" src="https://blog.example.org/wp-content/uploads/2023/05/meetup.jpg"'
    ' alt="People around a table" width="640" height="427" />'
)
BODY_EN = (
    "We met in the library on Saturday. Thirty people came, and <strong>twelve</strong> of them for the first time."
    f'\n\n[caption id="attachment_41" align="aligncenter" width="640"]{IMAGE} The group after the talks[/caption]\n\n'
    """Read the <a href="https://example.org/notes">notes from the meeting</a> and the slides.
<h2>What comes next</h2>
<ul>
	<li>A workshop in June</li>
	<li>A <em>translation sprint</em></li>
</ul>
[gallery ids="41,42,43" columns="3"]

<blockquote>Open knowledge is a commons.</blockquote>
<script>alert("x")</script>"""
)

BODY_RU = """Мы провели первую встречу в Казани. Пришли <a href="https://example.ru/kazan">сорок человек</a>.

Следующая встреча — в июне. Язык: русский и татарский (Татарча)."""

BODY_HI = """<p>हिन्दी विकिपीडिया के लिए एक नई कार्यशाला।</p>
<p>سلام! مرحبا بكم في ورشة العمل.</p>
<p>日本語のテキストもあります。</p>"""


def sample_items() -> list[Item]:
    return [
        Item(
            id=101,
            title="Our first meetup in the library",
            content=BODY_EN,
            creator="maria",
            date="2023-05-01 09:30:00",
            slug="our-first-meetup",
            categories=[("community", "Community"), ("events", "Events")],
            tags=[("meetups", "Meetups"), ("open-source", "Open Source")],
            comments=[
                Comment(201, "Иван Петров", "Great to see so many <b>new faces</b>!", email="ivan@example.ru"),
                Comment(
                    202,
                    "A passer-by",
                    "Will there be a recording?",
                    date="2023-05-02 11:00:00",
                    email="stranger@mail.example",
                    url="https://stranger.example",
                ),
                Comment(
                    203, "María José Núñez", "Yes, next week.", "2023-05-02 12:00:00", "maria@example.org", parent=202
                ),
                Comment(204, "A passer-by", "Thanks!", "2023-05-02 13:00:00", "stranger@mail.example", parent=203),
                Comment(205, "Spammer", "Buy cheap watches", "2023-05-02 14:00:00", approved="spam"),
                Comment(206, "Other blog", "[...] linked here [...]", "2023-05-02 15:00:00", type="pingback"),
            ],
        ),
        Item(
            id=102,
            title="Встреча в Казани",
            content=BODY_RU,
            creator="ivan_petrov",
            date="2023-06-10 18:00:00",
            slug="%d0%b2%d1%81%d1%82%d1%80%d0%b5%d1%87%d0%b0-%d0%b2-%d0%ba%d0%b0%d0%b7%d0%b0%d0%bd%d0%b8",
            categories=[("%d1%81%d0%be%d0%be%d0%b1%d1%89%d0%b5%d1%81%d1%82%d0%b2%d0%be", "Сообщество")],
            tags=[("%d0%b2%d1%81%d1%82%d1%80%d0%b5%d1%87%d0%b8", "Встречи")],
            comments=[Comment(301, "Аноним", "Спасибо за встречу!", "2023-06-11 08:00:00")],
        ),
        Item(
            id=103,
            title="कार्यशाला: विकिपीडिया",
            content=BODY_HI,
            creator="hana",
            date="2023-07-01 06:15:00",
            excerpt="एक नई कार्यशाला।",
            categories=[("community", "Community")],
        ),
        Item(104, "About us", "<p>A page, not a post.</p>", "admin", post_type="page"),
        Item(105, "meetup.jpg", "", "maria", post_type="attachment", status="inherit"),
        Item(106, "An unfinished draft", "<p>Not yet.</p>", "maria", status="draft", date="2023-08-01 10:00:00"),
    ]


def _item(item: Item) -> str:
    cats = "".join(
        f'\t\t<category domain="category" nicename={quoteattr(n)}>{cdata(name)}</category>\n'
        for n, name in item.categories
    ) + "".join(
        f'\t\t<category domain="post_tag" nicename={quoteattr(n)}>{cdata(name)}</category>\n' for n, name in item.tags
    )
    comments = "".join(
        f"""\t\t<wp:comment>
\t\t\t<wp:comment_id>{c.id}</wp:comment_id>
\t\t\t<wp:comment_author>{cdata(c.author)}</wp:comment_author>
\t\t\t<wp:comment_author_email>{cdata(c.email)}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>{escape(c.url)}</wp:comment_author_url>
\t\t\t<wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP>
\t\t\t<wp:comment_date>{cdata(c.date)}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>{cdata(c.date)}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>{cdata(c.content)}</wp:comment_content>
\t\t\t<wp:comment_approved>{cdata(c.approved)}</wp:comment_approved>
\t\t\t<wp:comment_type>{cdata(c.type)}</wp:comment_type>
\t\t\t<wp:comment_parent>{c.parent}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
"""
        for c in item.comments
    )
    return f"""	<item>
		<title>{escape(item.title)}</title>
		<link>{SITE}/?p={item.id}</link>
		<pubDate>{escape(item.pubdate)}</pubDate>
		<dc:creator>{cdata(item.creator)}</dc:creator>
		<guid isPermaLink="false">{SITE}/?p={item.id}</guid>
		<description></description>
		<content:encoded>{cdata(item.content)}</content:encoded>
		<excerpt:encoded>{cdata(item.excerpt)}</excerpt:encoded>
		<wp:post_id>{item.id}</wp:post_id>
		<wp:post_date>{cdata(item.date)}</wp:post_date>
		<wp:post_date_gmt>{cdata(item.date)}</wp:post_date_gmt>
		<wp:post_modified>{cdata(item.date)}</wp:post_modified>
		<wp:post_modified_gmt>{cdata(item.date)}</wp:post_modified_gmt>
		<wp:comment_status>{cdata("open")}</wp:comment_status>
		<wp:post_name>{cdata(item.slug)}</wp:post_name>
		<wp:status>{cdata(item.status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{cdata(item.post_type)}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
{cats}{comments}	</item>
"""


def _author(author: Author, number: int) -> str:
    return f"""	<wp:author>
		<wp:author_id>{number}</wp:author_id>
		<wp:author_login>{cdata(author.login)}</wp:author_login>
		<wp:author_email>{cdata(author.email)}</wp:author_email>
		<wp:author_display_name>{cdata(author.display_name)}</wp:author_display_name>
		<wp:author_first_name>{cdata(author.first_name)}</wp:author_first_name>
		<wp:author_last_name>{cdata(author.last_name)}</wp:author_last_name>
	</wp:author>
"""


def make_wxr(items: list[Item] | None = None, authors: list[Author] | None = None, language: str = "en-US") -> str:
    """The text of a WXR export as WordPress 6 writes it."""
    items = sample_items() if items is None else items
    authors = AUTHORS if authors is None else authors
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Example Community Blog</title>
	<link>{SITE}</link>
	<description>News from the community</description>
	<pubDate>Sat, 01 Jul 2023 12:00:00 +0000</pubDate>
	<language>{language}</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>
{"".join(_author(a, n) for n, a in enumerate(authors, 1))}	<generator>https://wordpress.org/?v=6.4</generator>
{"".join(_item(i) for i in items)}</channel>
</rss>
"""
