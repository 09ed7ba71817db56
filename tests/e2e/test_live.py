"""Live updates in a real browser against a real uvicorn (the tests' live server is WSGI, one request at a
time, where /live only answers what there is and closes): a reply posted in one page appears in another
without a reload, and a list's reply count moves."""

from __future__ import annotations

import pytest

from tests.live.sites import migrate_site, server, site


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    migrated = migrate_site(tmp_path_factory)
    with site(migrated, tmp_path_factory) as (env, var_dir, console, ids), server(env, var_dir) as base:
        yield {"base": base, "console": console, **ids}


def signed_in(open_context, base: str, session: str):
    context = open_context()
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context


def test_a_reply_in_one_page_appears_in_another_without_reload(open_context, live_site, tmp_path):
    base, topic_url = live_site["base"], f"{live_site['base']}/t/{live_site['slug']}/{live_site['topic']}"
    writer = signed_in(open_context, base, live_site["member_session"]).new_page()
    reader = signed_in(open_context, base, live_site["other_session"]).new_page()
    visitor = open_context().new_page()
    reader.goto(topic_url)
    visitor.goto(base + "/latest")
    for page in (reader, visitor):
        page.wait_for_selector("html[data-live=open]")
    row = visitor.locator(f"tr[data-live-topic='{live_site['topic']}'] [data-live-replies]")
    before = int(row.inner_text())
    reader.evaluate("window.__sameDocument = true")  # gone if the page reloads

    writer.goto(topic_url)
    writer.fill("#reply-form textarea[name=raw]", "Heard live in the other window, without reloading it.")
    writer.click("#reply-submit")

    reply = reader.locator(".post", has_text="Heard live in the other window")
    reply.wait_for(timeout=10_000)
    assert reader.evaluate("window.__sameDocument") is True
    shown = reader.locator("#posts > [id^='post-']").evaluate_all("els => els.map(e => e.id)")
    assert len(shown) == len(set(shown)) == 2  # the reply once
    count = f"tr[data-live-topic='{live_site['topic']}'] [data-live-replies]"
    visitor.wait_for_function(f"document.querySelector(\"{count}\").textContent == '{before + 1}'")
    reader.screenshot(path=str(tmp_path / "live-reader.png"), full_page=True)
