"""Dates, times and numbers in the reader's language and zone (agora.core.when): each kind of place in
en, ar, hi, pa and fr as CLDR writes them, relative times both ways, a member's zone, and the one style
held by a test that no template formats a date itself."""

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from agora.core import when
from agora.core.middleware import ReaderMiddleware
from tests import factories

MOMENT = dt.datetime(2026, 12, 7, 15, 30, tzinfo=dt.UTC)
LONG_AFTER = MOMENT + dt.timedelta(days=40)

# (language, date, datetime, month, day on a calendar, a day with its weekday): CLDR's own words and
# digits. Arabic, Hindi and Punjabi write Latin digits by default in CLDR (their native digits are an
# option of the locale, not its default); month names and word order are each language's.
KINDS = [
    ("en", "Dec 7, 2026", "Dec 7, 2026, 3:30 PM", "December 2026", "Mon, Dec 7, 2026", "Mon, Dec 7"),
    ("fr", "7 déc. 2026", "7 déc. 2026, 15:30", "décembre 2026", "lun. 7 déc. 2026", "lun. 7 déc."),
    ("ar", "7 ديسمبر 2026", "7 ديسمبر 2026، 3:30 م", "ديسمبر 2026", "الاثنين، 7 ديسمبر 2026", "الاثنين، 7 ديسمبر"),
    ("hi", "7 दिस॰ 2026", "7 दिस॰ 2026, 3:30 pm", "दिसंबर 2026", "सोम, 7 दिस॰ 2026", "सोम, 7 दिस॰"),
    ("pa", "7 ਦਸੰ 2026", "7 ਦਸੰ 2026, 3:30 PM", "ਦਸੰਬਰ 2026", "ਸੋਮ, 7 ਦਸੰ 2026", "ਸੋਮ, 7 ਦਸੰ"),
]


@pytest.mark.parametrize(("language", "date", "datetime", "month", "day", "weekday"), KINDS)
def test_each_kind_of_place_reads_as_cldr_writes_it(language, date, datetime, month, day, weekday):
    with translation.override(language), timezone.override(dt.UTC):
        assert when.when_text(MOMENT, "list", now=LONG_AFTER) == date  # older than a week: the date
        assert when.when_text(MOMENT, "date") == date
        assert when.when_text(MOMENT, "datetime") == datetime
        assert when.when_text(MOMENT.date(), "month") == month
        assert when.when_text(MOMENT.date(), "day") == day
        assert when.when_text(MOMENT.date(), "weekday") == weekday


def test_digits_follow_cldr_for_the_language():
    # Latin digits are CLDR's default for ar, hi and pa; a locale that asks for native digits gets them.
    assert when.when_text(MOMENT.date(), "date", language="ar") == "7 ديسمبر 2026"
    assert when.number(1234567, language="ar-EG") in {"1,234,567", "١٬٢٣٤٬٥٦٧"}
    assert re.search(r"[0-9]", when.when_text(MOMENT.date(), "date", language="hi"))


@pytest.mark.parametrize(
    ("language", "past", "future", "now"),
    [
        ("en", "3 hours ago", "in 2 days", "now"),
        ("fr", "il y a 3 heures", "dans 2 jours", "maintenant"),
        ("ar", "قبل 3 ساعات", "خلال يومين", "الآن"),
        ("hi", "3 घंटे पहले", "2 दिन में", "अब"),
        ("pa", "3 ਘੰਟੇ ਪਹਿਲਾਂ", "2 ਦਿਨਾਂ ਵਿੱਚ", "ਹੁਣ"),
    ],
)
def test_lists_say_relative_times_both_ways_within_a_week(language, past, future, now):
    with translation.override(language):
        assert when.when_text(MOMENT - dt.timedelta(hours=3), now=MOMENT) == past
        assert when.when_text(MOMENT + dt.timedelta(days=2), now=MOMENT) == future
        assert when.when_text(MOMENT - dt.timedelta(seconds=10), now=MOMENT) == now
        # A week away, a list names the date instead.
        assert when.when_text(MOMENT - dt.timedelta(days=8), now=MOMENT) == when.when_text(
            MOMENT - dt.timedelta(days=8), "date"
        )


def test_the_time_element_carries_iso_and_the_full_date_on_hover():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        html = when.when_html(MOMENT, "datetime")
    assert html == (
        '<time datetime="2026-12-07T16:30:00+01:00" title="Monday, December 7, 2026, 4:30 PM Central European'
        ' Standard Time">Dec 7, 2026, 4:30 PM</time>'
    )
    summer = dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.UTC)  # Paris moved its clocks at 01:00 UTC that day
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert when.when_text(summer, "full") == "Sunday, March 29, 2026, 2:00 PM Central European Summer Time"
        assert when.when_text(summer - dt.timedelta(hours=12), "full").endswith("Central European Standard Time")
    assert when.when_html(None) == ""
    assert when.iso(MOMENT.date()) == "2026-12-07"


def test_template_filters_render_in_the_active_language():
    template = Template(
        "{% load when %}{{ at|when:'datetime' }}|{{ at|when_text:'month' }}|{{ day|iso }}|{{ n|number }}|"
        "{{ big|compact }}|{{ day|weekday }}|{{ day|until:end }}"
    )
    context = Context({"at": MOMENT, "day": MOMENT.date(), "end": MOMENT.date() + dt.timedelta(days=6)})
    context.update({"n": 1234567, "big": 12345})
    with translation.override("fr"), timezone.override(dt.UTC):
        out = template.render(context)
    assert out == (
        '<time datetime="2026-12-07T15:30:00+00:00" title="lundi 7 décembre 2026, 15:30 temps universel'
        ' coordonné">7 déc. 2026, 15:30</time>|décembre 2026|2026-12-07|1\u202f234\u202f567|12,3\xa0k|lun.|'
        "7–13 déc. 2026"
    )


def test_event_spans_in_each_language():
    start = dt.datetime(2026, 12, 7, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    end = start + dt.timedelta(hours=2)
    assert when.event_span(start, end, False, language="en") == "Mon, Dec 7, 2026, 6:00\u2009–\u20098:00\u202fPM"
    assert when.event_span(start, end, False, language="fr") == "lun. 7 déc. 2026, 18:00\u2009–\u200920:00"
    assert when.event_span(start, end, False, language="ar") == "الاثنين، 7 ديسمبر 2026، 6:00–8:00 م"
    days = when.event_span(start, start + dt.timedelta(days=2), True, language="fr")
    assert days == "lun. 7\u2009–\u2009mer. 9 déc. 2026"


@pytest.mark.parametrize(
    ("language", "full", "short"),
    [("hi", "12,34,567", "12.3 हज़ार"), ("ar", "1,234,567", "12.3 ألف"), ("en", "1,234,567", "12.3K")],
)
def test_counts_in_the_readers_digits_and_compact_where_tight(language, full, short):
    with translation.override(language):
        assert when.number(1234567) == full
        assert when.compact(12345).replace("\xa0", " ") == short
        assert when.compact(9999) == when.number(9999)  # small counts stay whole


def test_locales_are_parsed_once_per_language():
    when.reader_locale("pa")
    before = when._locale.cache_info().hits
    for _ in range(50):
        when.when_text(MOMENT, "datetime", language="pa")
    assert when._locale.cache_info().hits >= before + 50
    assert when._locale.cache_info().currsize < 20


def _respond_with_time(request):
    return HttpResponse(when.when_text(MOMENT, "datetime", language="en"))


@pytest.mark.django_db
def test_a_members_own_time_zone_is_applied_and_visitors_get_the_sites():
    member = factories.UserFactory(username="Kolkata reader", timezone="Asia/Kolkata")
    middleware = ReaderMiddleware(_respond_with_time)
    request = RequestFactory().get("/")
    request.user = member
    assert middleware(request).content.decode() == "Dec 7, 2026, 9:00 PM"
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE  # put back after the request

    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert middleware(request).content.decode() == "Dec 7, 2026, 3:30 PM"
    member.timezone = "Not/AZone"
    request.user = member
    assert middleware(request).content.decode() == "Dec 7, 2026, 3:30 PM"


@pytest.mark.django_db
def test_a_topic_page_shows_post_times_in_the_members_zone(client, public_category):
    author = factories.UserFactory(username="Author")
    reader = factories.UserFactory(username="Reader", timezone="Asia/Kolkata", trust_level=1)
    topic = factories.make_topic(author, public_category, title="Times of day")
    client.force_login(reader)
    page = client.get(topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    created = timezone.localtime(topic.posts.get(number=1).created_at, zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert f'datetime="{created.isoformat(timespec="seconds")}"' in page
    assert "India Standard Time" in page


TEMPLATES = Path(settings.BASE_DIR) / "agora" / "templates"
# Django's own date filters format with Django's format files, not CLDR, and know no relative time in
# the reader's language: every date goes through {% load when %} so each kind reads the same everywhere.
OWN_DATE_FILTERS = re.compile(r"\|\s*(date|time|timesince|timeuntil|naturaltime|naturalday)\b")


def test_no_template_formats_a_date_with_djangos_filters():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt", ".xml"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OWN_DATE_FILTERS.search(line)
    ]
    assert offenders == []


def test_time_zone_pickers_name_city_and_country_in_the_readers_language():
    french = dict(when.zone_choices("fr"))
    assert french["Asia/Kolkata"] == "Calcutta (Inde) · Asia/Kolkata"
    assert french["UTC"] == "UTC"
    assert french["Etc/GMT+5"] == "Etc/GMT+5"
    assert dict(when.zone_choices("ar"))["Europe/Paris"] == "باريس (فرنسا) · Europe/Paris"
    assert [name for name, _label in when.zone_choices("en")] == sorted(french)
