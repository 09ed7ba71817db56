"""manage.py import_wordpress: a realistic export imports whole, twice changes nothing, bad files say why."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agora.accounts.models import User
from agora.blog.models import BlogCategory, ImportedItem, Story
from agora.discuss.models import Category, Post, Topic
from agora.importers.wordpress import html_to_markdown, make_username, strip_shortcodes
from tests import factories

from . import wxr

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog_category(db):
    # A migration of the blog creates it; a bare test database may not have it.
    return Category.objects.filter(slug="blog").first() or factories.make_category("Blog", slug="blog")


def run(path, **kwargs) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_wordpress", str(path), stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text: str, name: str = "export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_realistic_export(tmp_path, blog_category):
    existing = factories.UserFactory(username="Maria", email="maria@example.org")
    out, err = run(write(tmp_path, wxr.make_wxr()))

    assert Story.objects.count() == 4  # three published posts and a draft; no page, no attachment
    meetup = Story.objects.get(slug="our-first-meetup")
    assert meetup.state == Story.State.PUBLISHED
    assert meetup.published_at == datetime(2023, 5, 1, 9, 30, tzinfo=UTC)
    assert list(meetup.authors.all()) == [existing]  # found by email, not created again
    assert meetup.created_by == existing
    assert sorted(c.slug for c in meetup.categories.all()) == ["community", "events"]
    assert sorted(t.name for t in meetup.tags.all()) == ["meetups", "open-source"]
    assert meetup.language == "en"
    # Paragraphs, links, lists and headings survive; the image is a link; shortcodes are gone.
    assert "[notes from the meeting](https://example.org/notes)" in meetup.body
    assert "[People around a table](https://blog.example.org/wp-content/uploads/2023/05/meetup.jpg)" in meetup.body
    assert "[caption" not in meetup.body and "[gallery" not in meetup.body
    assert "The group after the talks" in meetup.body
    assert "gallery of images" in meetup.body
    assert "alert" not in meetup.body_html and "<script" not in meetup.body_html
    assert '<a href="https://example.org/notes"' in meetup.body_html
    assert "<h2>What comes next</h2>" in meetup.body_html
    assert "<li>A workshop in June</li>" in meetup.body_html
    assert "<blockquote>" in meetup.body_html
    assert meetup.body_html.count("<p>") >= 3
    assert meetup.lead.startswith("We met in the library on Saturday.")

    # Non-Latin scripts are intact: title, slug, body, category, tag, author.
    kazan = Story.objects.get(title="Встреча в Казани")
    assert kazan.slug == "встреча-в-казани"
    assert "Мы провели первую встречу в Казани" in kazan.body_html
    assert '<a href="https://example.ru/kazan"' in kazan.body_html
    assert [c.slug for c in kazan.categories.all()] == ["сообщество"]
    assert BlogCategory.objects.get(slug="сообщество").name == "Сообщество"
    assert [t.name for t in kazan.tags.all()] == ["встречи"]
    ivan = kazan.authors.get()
    assert ivan.username == "Иван Петров" and ivan.email == "ivan@example.ru"
    assert not ivan.has_usable_password()
    workshop = Story.objects.get(title="कार्यशाला: विकिपीडिया")
    assert "हिन्दी विकिपीडिया के लिए एक नई कार्यशाला।" in workshop.body_html
    assert "مرحبا بكم" in workshop.body_html and "日本語のテキストもあります。" in workshop.body_html
    assert workshop.lead == "एक नई कार्यशाला।"  # the excerpt
    assert workshop.authors.get().username == "佐藤 花"

    draft = Story.objects.get(title="An unfinished draft")
    assert draft.state == Story.State.DRAFT and draft.topic is None and draft.published_at is None

    # Comments are replies in the story's topic, threaded, with strangers under the import user.
    topic = meetup.topic
    assert topic.category == blog_category
    posts = list(topic.posts.order_by("number"))
    assert [p.number for p in posts] == [1, 2, 3, 4, 5]  # opening post, then four approved comments
    assert "/blog/our-first-meetup" in posts[0].raw
    assert posts[1].user == ivan and posts[1].reply_to_number is None
    system = User.objects.get(username="wordpress-import")
    assert not system.has_usable_password()
    assert posts[2].user == system and posts[2].raw.startswith("**[A passer-by](https://stranger.example)**")
    assert posts[3].user == existing and posts[3].reply_to_number == 3
    assert posts[4].user == system and posts[4].reply_to_number == 4
    assert posts[4].created_at == datetime(2023, 5, 2, 13, 0, tzinfo=UTC)
    assert "Buy cheap" not in "".join(p.raw for p in posts)  # spam and pingbacks stay out
    topic.refresh_from_db()
    assert (topic.posts_count, topic.reply_count, topic.highest_post_number) == (5, 4, 5)
    assert topic.last_poster == system
    assert Post.objects.get(topic=kazan.topic, number=2).raw.startswith("**Аноним** wrote:")
    blog_category.refresh_from_db()
    assert blog_category.topic_count == 3
    assert blog_category.post_count == Post.objects.filter(topic__category=blog_category).count() == 5 + 2 + 1

    # The summary and the progress line.
    assert "Stories: 4 created" in out
    assert "Comments: 5 created" in out
    assert "Users created: 3" in out  # Ivan, Hana and the import user; Maria was here
    assert "1 attachment, 1 page" in out
    assert "6/6 items" in err


def test_rerun_creates_nothing_new(tmp_path, blog_category):
    path = write(tmp_path, wxr.make_wxr())
    run(path)
    counts = (Story.objects.count(), Post.objects.count(), User.objects.count(), Topic.objects.count())
    blog_category.refresh_from_db()
    category_counts = (blog_category.topic_count, blog_category.post_count)

    out, _ = run(path)

    assert counts == (Story.objects.count(), Post.objects.count(), User.objects.count(), Topic.objects.count())
    blog_category.refresh_from_db()
    assert category_counts == (blog_category.topic_count, blog_category.post_count)
    assert "Stories: 0 created, 4 already imported" in out
    assert "Comments: 0 created, 5 already imported" in out
    assert "Users created: 0" in out


def test_rerun_adds_new_comments_threaded_under_old_ones(tmp_path, blog_category):
    items = wxr.sample_items()
    run(write(tmp_path, wxr.make_wxr(items)))
    items[0].comments.append(wxr.Comment(207, "Late reader", "Still relevant.", "2023-09-01 10:00:00", parent=203))
    out, _ = run(write(tmp_path, wxr.make_wxr(items)))
    assert "Comments: 1 created, 5 already imported" in out
    topic = Story.objects.get(slug="our-first-meetup").topic
    late = topic.posts.get(number=6)
    assert late.reply_to_number == 4 and "Still relevant." in late.raw


def test_truncated_file_is_refused_with_its_line_and_nothing_is_imported(tmp_path, blog_category):
    text = wxr.make_wxr()
    cut = text[: text.index("Встреча в Казани") + 5]
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, cut))
    message = str(error.value)
    assert f"line {cut.count(chr(10)) + 1}" in message
    assert "truncated" in message and "Nothing was imported" in message
    assert not Story.objects.exists() and not ImportedItem.objects.exists()
    assert not User.objects.filter(username="wordpress-import").exists()


def test_not_xml_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="not XML at all"):
        run(write(tmp_path, "title,author\nHello,maria\n", "export.csv"))
    with pytest.raises(CommandError, match="not an RSS/WXR export"):
        run(write(tmp_path, "<html><body>Hi</body></html>"))
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.xml")


def test_entity_declarations_are_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
        "<rss><channel><title>&b;</title></channel></rss>"
    )
    with pytest.raises(CommandError, match="document type"):
        run(write(tmp_path, bomb))


def test_broken_items_are_skipped_and_reported_while_the_rest_import(tmp_path, blog_category):
    items = wxr.sample_items()
    items.insert(1, wxr.Item(110, "", "<p>No title here.</p>", "maria"))
    items.insert(
        2, wxr.Item(111, "A post from the year 13", "<p>Body.</p>", "maria", date="2023-13-45 99:00:00", pubdate="")
    )
    items[0].comments.append(wxr.Comment(208, "Clock", "When?", date="yesterday"))
    out, _ = run(write(tmp_path, wxr.make_wxr(items)))

    assert Story.objects.count() == 4
    assert not Story.objects.filter(title="A post from the year 13").exists()
    assert "Skipped 3:" in out
    assert "post 110" in out and "it has no title" in out
    assert "post 111" in out and "is not a date" in out
    assert "comment 208 on post 101: its date is not a date" in out
    # Fixed in the export, they import on the next run, and the rest is not doubled.
    items[1].title = "Now with a title"
    items[2].date = "2023-03-01 10:00:00"
    out, _ = run(write(tmp_path, wxr.make_wxr(items)))
    assert "Stories: 2 created, 4 already imported" in out


def test_without_a_blog_category_stories_import_and_comments_are_reported(tmp_path):
    Category.objects.filter(slug="blog").delete()
    out, _ = run(write(tmp_path, wxr.make_wxr()))
    assert Story.objects.count() == 4
    assert not Topic.objects.exists()
    assert "no discussion topic" in out
    assert Category.objects.filter(slug="blog").count() == 0


def test_author_names_are_made_valid_and_unique(db):
    factories.UserFactory(username="Иван Петров")
    assert make_username("Иван Петров") == "Иван Петров 2"
    assert make_username("j_smith@example.com") == "j smith example.com"
    assert make_username("!!!", "", "😀") == "WordPress author 1"


def test_shortcodes_and_html_conversion():
    assert strip_shortcodes("see [sic] and [1]") == "see [sic] and [1]"
    assert strip_shortcodes('[foo bar="1"]x[/foo]') == "x"
    markdown = html_to_markdown('<a href="https://e.org/full.jpg"><img src="https://e.org/t.jpg" alt="A cat"></a>')
    assert markdown == "[A cat](https://e.org/full.jpg)"
    assert html_to_markdown("First line\nsecond.\n\nNew *paragraph*.") == "First line\nsecond.\n\nNew \\*paragraph\\*."
    assert (
        html_to_markdown("[embed]https://video.example/v/1[/embed]")
        == "[https://video.example/v/1](https://video.example/v/1)"
    )
