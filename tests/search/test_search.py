"""search(): real words in five scripts, ranking and snippets, permissions inside the query, every filter,
bad syntax, and the index following edits, moves and deletions. The folder runs on SQLite and, with
DATABASE_URL, on PostgreSQL: the same cases on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from agora.blog.models import Story
from agora.blog.services import story_publish, story_unpublish
from agora.core.markdown import render_markdown
from agora.discuss import services as discuss
from agora.discuss import topic_tools
from agora.discuss.models import CategoryGrant
from agora.groups.models import Group, Membership
from agora.search.models import SearchDocument
from agora.search.queries import search
from tests import factories
from tests.search.conftest import found


@pytest.fixture
def hall(db):
    return factories.make_category("Hall", slug="hall")


def topic_in(write, user, category, title, raw, **kw):
    return write(factories.make_topic, user, category, title=title, raw=raw, **kw)


# --- Scripts -----------------------------------------------------------------------------------


def test_arabic_is_found_with_and_without_harakat(member, hall, write):
    topic = topic_in(write, member, hall, "مكتبة", "قرأتُ كِتَابًا جميلًا عن الموسوعة الحرة.", language="ar")
    plain = topic_in(write, member, hall, "ملاحظة", "هذا كتاب مفيد جدا.", language="ar")
    with_harakat = set(found(AnonymousUser(), "كتابا"))  # harakat in the text, none in the query
    without = set(found(AnonymousUser(), "كِتَاب"))  # harakat in the query, none in the text
    assert ("topic", topic.pk) in with_harakat and ("topic", plain.pk) in without
    if connection.vendor == "sqlite":
        assert with_harakat == {("topic", topic.pk)} and without == {("topic", plain.pk)}
    else:  # PostgreSQL's Arabic stemmer also takes كتابا and كتاب for one word
        assert with_harakat == without == {("topic", topic.pk), ("topic", plain.pk)}
    hit = search(AnonymousUser(), "كتاب").hits[0]
    assert "<mark>" in hit.snippet


def test_hindi_and_punjabi_words_keep_their_vowel_signs(member, hall, write):
    hindi = topic_in(write, member, hall, "पुस्तकालय", "विकिपीडिया एक मुक्त ज्ञानकोश है। किताबें पढ़ना अच्छा है।", language="hi")
    punjabi = topic_in(write, member, hall, "ਸਭਾ", "ਪੰਜਾਬੀ ਵਿਕੀਪੀਡੀਆ ਦੀ ਮੀਟਿੰਗ ਅਗਲੇ ਹਫ਼ਤੇ ਹੈ।", language="pa")
    other = topic_in(write, member, hall, "अन्य", "कोई और बात।", language="hi")
    assert found(AnonymousUser(), "ज्ञानकोश") == [("topic", hindi.pk)]
    assert found(AnonymousUser(), "किताब") == [("topic", hindi.pk)]  # a substring of किताबें
    assert found(AnonymousUser(), "ਵਿਕੀਪੀਡੀਆ") == [("topic", punjabi.pk)]
    assert found(AnonymousUser(), "ਮੀਟਿੰਗ") == [("topic", punjabi.pk)]
    # A vowel sign is not a word break: the consonant alone does not find the word.
    assert ("topic", other.pk) not in found(AnonymousUser(), "पढ़ना")
    assert found(AnonymousUser(), "पढ") == [("topic", hindi.pk)]


def test_chinese_two_character_word_is_found_inside_a_run(member, hall, write):
    topic = topic_in(write, member, hall, "聚会", "我们下周在北京举行维基百科编辑聚会。", language="zh")
    topic_in(write, member, hall, "别的", "今天天气很好。", language="zh")
    assert found(AnonymousUser(), "百科") == [("topic", topic.pk)]  # two characters: under a trigram
    assert found(AnonymousUser(), "维基百科") == [("topic", topic.pk)]
    assert found(AnonymousUser(), "北京 聚会") == [("topic", topic.pk)]
    assert "<mark>百科</mark>" in search(AnonymousUser(), "百科").hits[0].snippet


def test_russian_finds_its_word_and_on_postgresql_its_other_forms(member, hall, write):
    topic = topic_in(write, member, hall, "Библиотека", "Новая книга о свободных энциклопедиях.", language="ru")
    assert found(AnonymousUser(), "книга") == [("topic", topic.pk)]
    assert found(AnonymousUser(), "КНИГА") == [("topic", topic.pk)]
    if connection.vendor == "postgresql":
        assert found(AnonymousUser(), "книги") == [("topic", topic.pk)]  # the russian stemmer
        assert found(AnonymousUser(), "lang:ru книгу") == [("topic", topic.pk)]


def test_english_words_phrases_and_titles(member, hall, write):
    upload = topic_in(write, member, hall, "Uploading photos", "Use the upload wizard on Commons for your photos.")
    other = topic_in(write, member, hall, "Wizard of Oz", "A film about a photos wizard upload, not Commons.")
    assert set(found(AnonymousUser(), "wizard")) == {("topic", upload.pk), ("topic", other.pk)}
    assert found(AnonymousUser(), '"upload wizard"') == [("topic", upload.pk)]
    # The title weighs more than the body.
    assert found(AnonymousUser(), "photos")[0] == ("topic", upload.pk)


# --- Ranking and snippets --------------------------------------------------------------------------


def test_recent_beats_old_when_equally_relevant(member, hall, write):
    old = topic_in(write, member, hall, "Archive one", "The maps workshop notes.")
    new = topic_in(write, member, hall, "Archive two", "The maps workshop notes.")
    SearchDocument.objects.filter(object_id=old.pk, kind="topic").update(
        created_at=datetime.now(UTC) - timedelta(days=900)
    )
    assert found(AnonymousUser(), "maps workshop") == [("topic", new.pk), ("topic", old.pk)]


def test_snippet_escapes_the_text_and_marks_the_words(member, hall, write):
    topic_in(write, member, hall, "Markup", "Write `<script>alert(1)</script>` and the word needle here.")
    snippet = search(AnonymousUser(), "needle").hits[0].snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>needle</mark>" in snippet


def test_long_text_snippet_starts_near_the_match(member, hall, write):
    topic_in(write, member, hall, "Long", "filler " * 200 + "the hidden treasure is here " + "more " * 100)
    snippet = search(AnonymousUser(), "treasure").hits[0].snippet
    assert snippet.startswith("…") and "<mark>treasure</mark>" in snippet and len(snippet) < 400


# --- Permissions, inside the query -------------------------------------------------------------------


def test_private_content_is_never_found(member, outsider, moderator, staff, staff_category, hall, write):
    group = Group.objects.create(name="club")
    Membership.objects.create(group=group, user=member)
    club_room = factories.make_category(
        "Club room", slug="club-room", group=group, grants={"club": CategoryGrant.Level.CREATE}
    )
    staff_topic = topic_in(write, staff, staff_category, "Staff secret", "zebra plans for staff only")
    club_topic = topic_in(write, member, club_room, "Club secret", "zebra plans for the club")
    public = topic_in(write, member, hall, "Open", "zebra plans for all")
    reply = write(factories.make_reply, member, public, raw="a zebra reply that will be deleted")
    write(discuss.post_delete, user=member, post=reply)
    write(factories.make_message, member, to=[outsider], title="Private", raw="zebra between us")
    Story.objects.create(
        title="Zebra draft",
        slug="zebra-draft",
        lead="zebra",
        body="zebra story",
        body_html="<p>zebra story</p>",
        created_by=member,
        state=Story.State.DRAFT,
    )

    for who in (AnonymousUser(), outsider, member):
        hits = found(who, "zebra")
        assert ("topic", staff_topic.pk) not in hits
        assert ("post", reply.pk) not in hits
        assert {kind for kind, _ in hits} <= {"topic"}
    assert search(AnonymousUser(), "zebra").total == 1
    assert search(outsider, "zebra").total == 1
    assert set(found(member, "zebra")) == {("topic", club_topic.pk), ("topic", public.pk)}
    assert search(member, "zebra").total == 2
    assert ("topic", staff_topic.pk) in found(staff, "zebra")


def test_made_private_is_right_at_once_without_reindexing(member, hall, staff_category, write):
    topic = topic_in(write, member, hall, "Soon private", "quokka sightings")
    assert found(AnonymousUser(), "quokka") == [("topic", topic.pk)]
    # Straight to the row, as if the worker had not run yet: the live join decides.
    type(topic).objects.filter(pk=topic.pk).update(category=staff_category)
    assert found(AnonymousUser(), "quokka") == []
    assert search(AnonymousUser(), "quokka").total == 0


def test_unpublished_story_leaves_the_results(member, staff, write):
    story = Story.objects.create(
        title="Forest story",
        slug="forest",
        lead="Trees and more trees.",
        body="A walk among the pines.",
        body_html=render_markdown("A walk among the pines."),
        created_by=member,
        state=Story.State.IN_REVIEW,
    )
    story.authors.add(member)
    write(story_publish, user=staff, story=story)
    assert found(AnonymousUser(), "pines") == [("story", story.pk)]
    assert search(AnonymousUser(), "pines").hits[0].url == Story.objects.get(pk=story.pk).get_absolute_url()
    write(story_unpublish, user=staff, story=Story.objects.get(pk=story.pk), reason="Wrong date")
    assert found(AnonymousUser(), "pines") == []


def test_a_story_hit_names_its_author_not_the_editor_who_made_the_row(member, staff, write):
    story = Story.objects.create(
        title="Harbour story",
        slug="harbour",
        lead="Boats.",
        body="Gulls over the harbour.",
        body_html=render_markdown("Gulls over the harbour."),
        created_by=staff,
        state=Story.State.IN_REVIEW,
    )
    story.authors.add(member)
    write(story_publish, user=staff, story=story)
    assert [h.username for h in search(AnonymousUser(), "gulls").hits] == [member.username]


def test_total_and_pages_are_counted_inside_the_filter(member, staff, hall, staff_category, write):
    for n in range(7):
        topic_in(write, member, hall, f"Public {n}", "walrus counting")
    for n in range(5):
        topic_in(write, staff, staff_category, f"Hidden {n}", "walrus counting")
    first = search(AnonymousUser(), "walrus", page=1, per_page=3)
    assert first.total == 7 and len(first.hits) == 3 and first.has_next
    last = search(AnonymousUser(), "walrus", page=3, per_page=3)
    assert len(last.hits) == 1 and not last.has_next
    past = search(AnonymousUser(), "walrus", page=9, per_page=3)
    assert past.hits == [] and past.total == 7
    seen = {h.pk for p in (1, 2, 3) for h in search(AnonymousUser(), "walrus", page=p, per_page=3).hits}
    assert len(seen) == 7
    assert search(staff, "walrus").total == 12


def test_a_page_of_hits_costs_a_fixed_number_of_queries(member, hall, write, django_assert_max_num_queries):
    for n in range(25):
        topic = topic_in(write, member, hall, f"Otter {n}", "otter facts")
        write(factories.make_reply, member, topic, raw="more otter facts")
    with django_assert_max_num_queries(8):
        results = search(member, "otter", per_page=50)
    assert results.total == 50 and len(results.hits) == 50


# --- Filters ------------------------------------------------------------------------------------------


def test_category_tag_user_and_type_filters(member, other_member, hall, public_category, write):
    factories.make_tag("birds")
    asked = topic_in(write, member, public_category, "Heron question", "heron nest?", tags=["birds"])
    hall_topic = topic_in(write, other_member, hall, "Heron in the hall", "heron again")
    reply = write(factories.make_reply, other_member, asked, raw="the heron nests in reeds")
    assert set(found(AnonymousUser(), "heron #hall")) == {("topic", hall_topic.pk)}
    assert set(found(AnonymousUser(), "heron #ask-here")) == {("topic", asked.pk), ("post", reply.pk)}
    assert set(found(AnonymousUser(), "heron tag:birds")) == {("topic", asked.pk), ("post", reply.pk)}
    assert set(found(AnonymousUser(), "heron @Member")) == {("topic", asked.pk)}
    assert set(found(AnonymousUser(), f"heron @{other_member.username.replace(' ', '_')}")) == {
        ("topic", hall_topic.pk),
        ("post", reply.pk),
    }
    assert set(found(AnonymousUser(), "heron type:post")) == {("post", reply.pk)}
    assert set(found(AnonymousUser(), "heron type:question")) == {("topic", asked.pk)}
    assert set(found(AnonymousUser(), "tag:birds")) == {("topic", asked.pk), ("post", reply.pk)}  # filters alone


def test_status_filter(member, moderator, public_category, write):
    solved = topic_in(write, member, public_category, "Solved crane", "crane?")
    answer = write(factories.make_reply, moderator, solved, raw="the answer")
    write(discuss.topic_mark_solution, user=member, topic=solved, post=answer)
    still_open = topic_in(write, member, public_category, "Open crane", "crane!")
    assert found(AnonymousUser(), "crane status:solved") == [("topic", solved.pk)]
    assert found(AnonymousUser(), "crane status:open") == [("topic", still_open.pk)]


def test_group_filter(member, write):
    group = Group.objects.create(name="cranes", visibility="public")
    room = factories.make_category("Cranes room", slug="cranes-room", group=group)
    inside = topic_in(write, member, room, "Stork inside", "stork watch")
    factories.make_category("Elsewhere", slug="elsewhere")
    assert found(AnonymousUser(), "stork group:cranes") == [("topic", inside.pk)]
    assert found(AnonymousUser(), "stork group:nobody") == []


def test_dates_and_language_filters(member, hall, write):
    old = topic_in(write, member, hall, "Pelican old", "pelican", language="en")
    new = topic_in(write, member, hall, "Pélican neuf", "pelican", language="fr")
    SearchDocument.objects.filter(kind="topic", object_id=old.pk).update(created_at=datetime(2025, 5, 1, tzinfo=UTC))
    SearchDocument.objects.filter(kind="topic", object_id=new.pk).update(created_at=datetime(2026, 5, 1, tzinfo=UTC))
    assert found(AnonymousUser(), "pelican after:2026-01-01") == [("topic", new.pk)]
    assert found(AnonymousUser(), "pelican before:2026-01-01") == [("topic", old.pk)]
    assert found(AnonymousUser(), "pelican after:2025-05-01") == [("topic", new.pk)]  # after the whole day
    assert found(AnonymousUser(), "pelican lang:fr") == [("topic", new.pk)]


def test_in_bookmarks_and_in_mine(member, other_member, hall, write):
    mine = topic_in(write, member, hall, "Mine ibis", "ibis")
    theirs = topic_in(write, other_member, hall, "Theirs ibis", "ibis")
    discuss.bookmark_set(user=member, post=theirs.posts.get(number=1))
    assert found(member, "ibis in:mine") == [("topic", mine.pk)]
    assert found(member, "ibis in:bookmarks") == [("topic", theirs.pk)]
    visitor = search(AnonymousUser(), "ibis in:mine")
    assert visitor.hits == [] and visitor.errors


def test_people_are_found_by_name_and_about(member, write):
    from agora.accounts.services import profile_update

    write(profile_update, user=member, data={"display_name": "Mona Lisa", "bio": "I photograph lighthouses."})
    assert found(AnonymousUser(), "lighthouses") == [("user", member.pk)]
    assert found(AnonymousUser(), "Mona type:user") == [("user", member.pk)]
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    assert found(AnonymousUser(), "lighthouses") == []


def test_events_are_found_with_their_place(member, write):
    from tests.events.conftest import make_event

    category = factories.make_category("Meetups", slug="meetups", allows_events=True)
    organizer = factories.UserFactory(username="Olu", trust_level=2, timezone="Europe/Paris")
    event = write(
        make_event, organizer, category, title="Edit-a-thon", raw="Bring a laptop.", venue="Bibliothèque Part-Dieu"
    )
    assert found(AnonymousUser(), "laptop") == [("event", event.pk)]
    assert found(AnonymousUser(), "Bibliothèque type:event") == [("event", event.pk)]
    assert search(AnonymousUser(), "laptop").hits[0].url == event.topic.get_absolute_url()


# --- Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        'a"b"c"',
        "foo:bar",
        "after:yesterday",
        "before:2026-13-45",
        "status:maybe",
        "type:cat",
        "in:nowhere",
        "lang:xx",
        "NEAR(a b) OR c* AND -d ^e",
        '"" "  " * : ( ) {col}:x',
        "title:x body:y",
        "%_\\ ' ; --",
        "\x00",
        "#",
        "@",
        "tag:",
    ],
)
def test_bad_syntax_never_fails(member, hall, write, q):
    topic_in(write, member, hall, "Anything", "some words to find")
    results = search(AnonymousUser(), q)
    assert results.total >= 0


def test_unknown_filters_and_bad_dates_are_named(db):
    results = search(AnonymousUser(), "words foo:bar after:soon")
    assert any("foo:bar" in e for e in results.errors)
    assert any("after:soon" in e for e in results.errors)


def test_a_ten_thousand_character_query_gets_a_clear_message(member, hall, write):
    topic_in(write, member, hall, "Long", "lemur")
    results = search(AnonymousUser(), "lemur " + "x" * 10_000)
    assert any("500" in e for e in results.errors)
    assert found(AnonymousUser(), "lemur " * 2000)[:1] == [("topic", found(AnonymousUser(), "lemur")[0][1])]


def test_fts_operators_from_users_are_words(member, hall, write):
    topic = topic_in(write, member, hall, "Operators", "the words or AND and NEAR here")
    assert found(AnonymousUser(), "NEAR") == [("topic", topic.pk)]
    assert found(AnonymousUser(), 'NEAR "NEAR here" OR') == [("topic", topic.pk)]  # "or": a stopword on PostgreSQL


# --- The index follows writes -----------------------------------------------------------------------------


def test_edit_reindexes(member, hall, write):
    topic = topic_in(write, member, hall, "Tapir", "first words")
    write(discuss.post_edit, user=member, post=topic.posts.get(number=1), raw="second thoughts", title="Capybara")
    assert found(AnonymousUser(), "first") == []
    assert found(AnonymousUser(), "second") == [("topic", topic.pk)]
    assert found(AnonymousUser(), "capybara") == [("topic", topic.pk)]


def test_delete_and_restore_follow(member, moderator, hall, write):
    topic = topic_in(write, member, hall, "Okapi", "okapi stripes")
    reply = write(factories.make_reply, member, topic, raw="okapi legs")
    write(discuss.post_delete, user=member, post=reply)
    assert found(AnonymousUser(), "legs") == []
    assert not SearchDocument.objects.filter(kind="post", object_id=reply.pk).exists()
    write(discuss.post_restore, user=member, post=reply)
    assert found(AnonymousUser(), "legs") == [("post", reply.pk)]
    write(discuss.post_delete, user=moderator, post=topic.posts.get(number=1))
    assert found(AnonymousUser(), "okapi") == []


def test_moved_posts_follow_their_new_topic(member, moderator, staff, hall, staff_category, write):
    source = topic_in(write, member, hall, "Source", "source words")
    reply = write(factories.make_reply, member, source, raw="the narwhal reply")
    target = topic_in(write, member, hall, "Target", "target words")
    write(topic_tools.posts_move, actor=moderator, topic=source, post_ids=[reply.pk], target=target)
    hit = search(AnonymousUser(), "narwhal").hits[0]
    assert hit.topic_id == target.pk and hit.title == "Target"
    write(topic_tools.topic_recategorize, actor=staff, topic=target, category=staff_category)
    assert found(AnonymousUser(), "narwhal") == []
    assert SearchDocument.objects.get(kind="post", object_id=reply.pk).topic_id == target.pk


def test_reindex_command_rebuilds_everything(member, hall, write, capsys):
    from django.core.management import call_command

    topic = topic_in(write, member, hall, "Rebuilt", "axolotl")
    write(factories.make_reply, member, topic, raw="axolotl again")
    SearchDocument.objects.all().delete()  # the FTS rows are left stale on purpose
    assert found(AnonymousUser(), "axolotl") == []
    call_command("search_reindex")
    captured = capsys.readouterr()
    assert "Indexed" in captured.err and "documents" in captured.out
    assert len(found(AnonymousUser(), "axolotl")) == 2
    call_command("search_reindex")  # twice: the same index
    assert len(found(AnonymousUser(), "axolotl")) == 2
