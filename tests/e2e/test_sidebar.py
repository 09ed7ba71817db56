"""The Discuss sidebar in a real browser: beside the list on a wide screen (on the left in a right-to-left
interface), below it on a phone, never wider than the screen, and the same without JavaScript."""

from __future__ import annotations

import pytest
from django.conf import settings

from agora.blog import services as blog
from agora.groups.models import Group, Membership
from tests.e2e.forum import build_forum
from tests.e2e.test_screenshots import _OVERFLOW, SCREENS, SHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLES = (
    "Wiki Loves Monuments calls for national organisers",
    "Ein Bericht über das Fotowochenende: Donaudampfschifffahrtsgesellschaftskapitänswitwen",
    "ورشة تحرير للطالبات في عمّان",
)

# Where the main column and the sidebar are, in CSS pixels.
_BOXES = """() => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  return {main: box(document.querySelector('.main-column')), side: box(document.querySelector('aside.sidebar'))};
}"""


def publish_stories(forum) -> None:
    editor = forum.ada
    Membership.objects.create(group=Group.objects.get(name=settings.AGORA_EDITORIAL_GROUP), user=editor)
    for title in TITLES:
        story = blog.story_create(user=forum.karim, data={"title": title, "lead": "A lead.", "body": "Words."})
        story = blog.story_claim(user=editor, story=blog.story_submit(user=forum.karim, story=story))
        blog.story_publish(user=editor, story=story)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_the_sidebar_sits_beside_the_list_on_a_wide_screen_and_below_it_on_a_phone(
    screen, direction, site, open_context
):
    forum = build_forum()
    publish_stories(forum)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = open_context(viewport=SCREENS[screen], locale="ar" if direction == "rtl" else "en-GB", javascript=False)
    page = context.new_page()
    for name, path in (("latest", "/latest"), ("topic", forum.topic_url())):
        page.goto(site + path)
        assert page.get_attribute("html", "dir") == direction
        news = page.locator("aside.sidebar .latest-news li")
        assert news.count() == 3
        assert page.locator("aside.sidebar").inner_text().count(TITLES[0]) == 1
        boxes = page.evaluate(_BOXES)
        main, side = boxes["main"], boxes["side"]
        if screen == "phone":
            assert side["top"] >= main["bottom"], f"{path}: the sidebar is not below the main column: {boxes}"
        elif direction == "ltr":
            assert side["left"] >= main["right"] and side["top"] < main["bottom"], f"{path}: {boxes}"
        else:
            assert side["right"] <= main["left"] and side["top"] < main["bottom"], f"{path}: {boxes}"
        layout = page.evaluate(_OVERFLOW)
        assert layout["scroll"] <= layout["width"], f"{path} is wider than the {screen} screen: {layout}"
        page.screenshot(path=SHOTS / f"sidebar-{name}-{direction}-{screen}.png", full_page=True)
    context.probe.assert_clean()
