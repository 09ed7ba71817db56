"""Screenshots of the main pages, on a desktop and a 375-pixel phone, and in a right-to-left
interface, saved for people to look at (AGORA_SHOTS_DIR, /tmp/agora-shots by default).

What a machine can judge is asserted: nothing is wider than the screen, so nobody has to
scroll sideways on a phone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agora.discuss import services
from tests.e2e.forum import build_forum
from tests.e2e.helpers import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("AGORA_SHOTS_DIR", "/tmp/agora-shots"))  # noqa: S108 - a place to look at, not a secret

# Elements that stick out past the right (or, right to left, the left) edge of the window.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1) && !el.closest('.visually-hidden, .skip-link')) {
      wide.push(`${el.localName}.${[...el.classList].join('.')} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
}"""

# What breaks layouts: long words and links, wide tables, long code lines, a title without spaces.
STRESS = (
    "See https://commons.example.org/wiki/Category:Photographs_taken_on_a_photo_walk_in_Lyon_in_2026_by_volunteers"
    " and Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt.\n\n"
    "| "
    + " | ".join(f"Column {n}" for n in range(1, 11))
    + " |\n|"
    + "---|" * 10
    + "\n| "
    + " | ".join(f"value {n}" for n in range(1, 11))
    + " |\n\n"
    "`" + "x" * 120 + "`\n\n"
    "```\n" + "long_line = " + "1 + " * 60 + "1\n```\n"
)

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.mark.parametrize("screen", SCREENS)
def test_main_pages_fit_the_screen(screen, site, open_context):
    forum = build_forum(replies=3)
    services.post_create(user=forum.karim, topic=forum.topic, raw=STRESS)
    services.topic_create(
        user=forum.karim, category=forum.general, title="Übersetzungswerkstatt" * 8, raw="A title without spaces."
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "latest": "/latest",
        "topic": forum.topic_url(),
        "topic-arabic": f"/t/{forum.arabic_topic.slug}/{forum.arabic_topic.pk}",
        "composer": "/new-topic",
        "profile": forum.member.get_absolute_url(),
    }
    member = open_context(viewport=SCREENS[screen]).new_page()
    log_in(member, site, "Member")
    visitor = open_context(viewport=SCREENS[screen]).new_page()
    rtl = open_context(viewport=SCREENS[screen], locale="ar").new_page()
    # Member's own languages (fr, en, ar) choose their interface over the browser's; Fatima has none set.
    log_in(rtl, site, forum.fatima.username)
    shots = [(member, name, path) for name, path in pages.items()]
    shots += [(visitor, "login", "/accounts/login/"), (rtl, "topic-rtl-interface", forum.topic_url())]

    too_wide = {}
    for page, name, path in shots:
        page.goto(site + path)
        page.screenshot(path=SHOTS / f"{name}-{screen}.png", full_page=True)
        layout = page.evaluate(_OVERFLOW)
        if layout["scroll"] > layout["width"]:
            too_wide[name] = layout
    assert rtl.get_attribute("html", "dir") == "rtl"
    print(f"\nscreenshots in {SHOTS}/*-{screen}.png")
    assert not too_wide, f"wider than the {screen} screen: {too_wide}"
