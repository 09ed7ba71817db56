"""The interface in Arabic in a real browser: the layout mirrors (brand on the right, the navigation read
right to left, arrows turned), titles in Latin script keep their order; and on a phone the header folds
into a menu that opens, and switches language, without JavaScript. Screenshots go to var/screenshots
(AGORA_SHOTS_DIR) for people to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.forum import build_forum
from tests.e2e.helpers import run_axe
from tests.e2e.test_screenshots import _OVERFLOW, SCREENS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("AGORA_SHOTS_DIR", Path(settings.BASE_DIR) / "var" / "screenshots"))

_BOX = """(el) => {
  const r = el.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height};
}"""

# Where two words of an element's text are drawn: in a left-to-right title the first is left of the last.
_WORDS = """(el, [first, last]) => {
  const text = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.includes(first));
  const at = (word) => {
    const range = document.createRange();
    const start = text.textContent.indexOf(word);
    range.setStart(text, start);
    range.setEnd(text, start + word.length);
    return range.getBoundingClientRect().left;
  };
  return {first: at(first), last: at(last), direction: getComputedStyle(el).direction};
}"""


def box(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(_BOX)


def test_the_arabic_interface_is_mirrored(site, open_context):
    forum = build_forum()
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = open_context(viewport=SCREENS["desktop"], locale="ar")
    page = context.new_page()
    for name, path in (("home", "/"), ("topic", forum.topic_url())):
        page.goto(site + path)
        assert page.get_attribute("html", "lang") == "ar"
        assert page.get_attribute("html", "dir") == "rtl"
        brand, user_menu = box(page, ".brand"), box(page, ".user-nav")
        assert brand["left"] >= user_menu["right"], f"{path}: the brand is not right of the user menu"
        lefts = [link.evaluate(_BOX)["left"] for link in page.locator(".site-nav a").all()]
        assert lefts == sorted(lefts, reverse=True), f"{path}: the navigation does not read right to left"
        layout = page.evaluate(_OVERFLOW)
        assert layout["scroll"] <= layout["width"], f"{path} is wider than the screen: {layout}"
        page.screenshot(path=SHOTS / f"arabic-{name}.png", full_page=True)

    # A title in Latin script inside the Arabic page keeps its left-to-right order.
    words = page.locator(".topic-header h1").evaluate(_WORDS, ["Planning", "forms"])
    assert words["direction"] == "ltr" and words["first"] < words["last"], words
    # The Arabic author's name beside it stays right to left, whatever the page.
    assert page.locator(".post-header .author", has_text="فاطمة").count() >= 1

    # Arrows that point along the line turn round.
    page.goto(site + "/events?view=month")
    arrow = page.locator(".period-nav .arrow").first
    assert arrow.evaluate("(el) => getComputedStyle(el).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    context.probe.assert_clean()


def test_an_english_page_is_not_mirrored(site, open_context):
    build_forum()
    page = open_context(viewport=SCREENS["desktop"], locale="en-GB").new_page()
    page.goto(site + "/")
    assert page.get_attribute("html", "dir") == "ltr"
    assert box(page, ".brand")["right"] <= box(page, ".user-nav")["left"]


def test_on_a_phone_the_header_folds_into_a_menu_that_opens_without_javascript(site, open_context):
    forum = build_forum()
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = open_context(viewport=SCREENS["phone"], locale="en-GB", javascript=False)
    page = context.new_page()
    page.goto(site + forum.topic_url())
    # One row: the brand, the primary action and the menu button; the links wait behind the button.
    brand, action, button = box(page, ".brand"), box(page, ".header-action"), box(page, ".menu-button")
    assert abs(brand["top"] - action["top"]) < 20 and abs(action["top"] - button["top"]) < 20
    assert box(page, ".site-header")["height"] < 70
    assert not page.locator(".site-nav a[href='/latest']").is_visible()
    page.screenshot(path=SHOTS / "phone-menu-closed.png")

    page.click(".menu-button")
    assert page.locator(".site-nav a[href='/latest']").is_visible()
    assert page.locator(".user-nav a[href='/accounts/login/']").is_visible()
    page.screenshot(path=SHOTS / "phone-menu-open.png")

    # The language switcher is in the menu, and works without JavaScript too.
    page.click(".site-header .language-link")
    assert page.locator("#languages a[hreflang='ar']").is_visible()
    with page.expect_navigation():
        page.click("#languages a[hreflang='ar']")
    assert page.url == forum.topic_url(site)
    assert page.get_attribute("html", "dir") == "rtl"
    assert box(page, ".menu-button")["left"] < box(page, ".brand")["left"]  # mirrored on the phone too
    layout = page.evaluate(_OVERFLOW)
    assert layout["scroll"] <= layout["width"], layout
    page.click(".menu-button")
    page.screenshot(path=SHOTS / "phone-menu-open-arabic.png")
    context.probe.assert_clean()


def test_the_phone_menu_passes_axe(site, open_context):
    build_forum()
    page = open_context(viewport=SCREENS["phone"], locale="en-GB").new_page()  # axe needs JavaScript
    page.goto(site + "/latest")
    page.click(".menu-button")
    assert page.locator(".site-nav a[href='/latest']").is_visible()
    serious = [v for v in run_axe(page) if v["impact"] in {"serious", "critical"}]
    assert not serious, serious  # the menu's switch is named by its visible label
