"""The XSS corpus, put through topic titles, post bodies, bios and display names, renders inert
in a real browser: no vector runs (each would call `__xss(n)` or `alert(n)`), nothing trips the
Content-Security-Policy, no element carries an event handler or a script URL, and what people
typed reads back as the text they typed.

Vectors are batched many to a page to keep this fast: /latest lists every title and author,
one topic holds a post per vector by an author named with it, a few topics carry several
vectors in their title, a few profiles hold the rest in their bio, and the composer quotes a
post holding the whole corpus and previews it.
"""

from __future__ import annotations

import pytest

from agora.accounts.services import profile_update
from agora.discuss import services
from agora.discuss.models import Category
from tests import factories
from tests.e2e.helpers import log_in, verified_user
from tests.e2e.xss_vectors import VECTORS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Everything in the rendered page that could run script, listed for the failure message.
_DANGER = r"""() => {
  const found = [];
  const scriptUrl = /^(javascript|vbscript|data):/i;
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'background', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on') || name.includes('hx-on')) found.push(`<${el.localName} ${name}="${a.value}">`);
      if (urlAttributes.includes(name) && scriptUrl.test(a.value.replace(/[\u0000-\u0020]/g, ''))) {
        found.push(`<${el.localName} ${name}="${a.value}">`);
      }
    }
  }
  const forbidden = 'script, style, iframe, frame, object, embed, applet, svg, math, link, meta, base, form, input, '
    + 'button, textarea, select, video, audio, source, marquee, noscript, details, [hx-get], [hx-post], [data-hx-get]';
  const boxes = '.cooked, .bio, .title, h1, .author, .byline, .excerpt, .note, .preview';
  for (const box of document.querySelectorAll(boxes)) {
    for (const el of box.querySelectorAll(forbidden)) found.push(`<${el.localName}> in ${box.className}`);
  }
  for (const s of document.querySelectorAll('script')) {
    if (!s.src.startsWith(location.origin + '/static/')) found.push(`script ${s.src || s.textContent.slice(0, 40)}`);
  }
  for (const el of document.querySelectorAll('body meta, body base, body link')) found.push(`body <${el.localName}>`);
  return found;
}"""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _chunks(items: list[str], limit: int, sep: str) -> list[str]:
    chunks, current = [], ""
    for item in items:
        if current and len(current) + len(sep) + len(item) > limit:
            chunks.append(current)
            current = ""
        current = f"{current}{sep}{item}" if current else item
    return [*chunks, current]


def _corpus(member):
    """Titles, bodies, bios and display names, each carrying the vectors."""
    general = Category.objects.get(slug="general")
    corpus = factories.make_topic(member, general, title="XSS corpus", raw="Every vector follows, one a post.")
    authors = []
    for number, vector in enumerate(VECTORS):
        author = factories.UserFactory(username=f"Author {number}", display_name=_one_line(_one_line(vector)[:100]))
        authors.append(author)
        post = services.post_create(user=author, topic=corpus, raw=vector)
        services.bookmark_set(user=member, post=post, note=_one_line(vector)[:500])
        factories.make_topic(author, general, title=_one_line(vector), raw=f"Topic {number}.")
    everything = services.post_create(user=member, topic=corpus, raw="\n\n".join(VECTORS))
    titles = [
        factories.make_topic(member, general, title=chunk, raw="Several vectors in the title.")
        for chunk in _chunks([_one_line(v) for v in VECTORS], 255, " · ")
    ]
    bios = []
    for number, bio in enumerate(_chunks(VECTORS, 3000, "\n\n")):
        person = factories.UserFactory(username=f"Bio {number}")
        profile_update(user=person, data={"bio": bio, "display_name": _one_line(_one_line(VECTORS[-number - 1])[:100])})
        bios.append(person)
    return corpus, everything, authors, titles, bios


def test_xss_corpus_is_inert_in_the_browser(site, open_context, settings):
    settings.AGORA_TOPICS_PER_PAGE = settings.AGORA_POSTS_PER_PAGE = 1000
    member = verified_user(username="Member", trust_level=1)
    corpus, everything, authors, titles, bios = _corpus(member)

    fired: list[str] = []
    context = open_context()
    context.expose_function("__xss", lambda n: fired.append(f"__xss({n})"))
    # Images in posts point elsewhere; answer them here, offline, with nothing.
    context.route(lambda url: not url.startswith(site), lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.on("dialog", lambda dialog: (fired.append(f"{dialog.type}({dialog.message})"), dialog.dismiss()))
    log_in(page, site, "Member")

    pages = [
        "/latest",
        f"/t/{corpus.slug}/{corpus.pk}",
        "/bookmarks",
        member.get_absolute_url(),
        *(f"/t/{t.slug}/{t.pk}" for t in titles),
        *(p.get_absolute_url() for p in bios),
    ]
    dangers: dict[str, list[str]] = {}
    for path in pages:
        response = page.goto(site + path)
        assert response.ok, f"{path}: {response.status}"
        if found := page.evaluate(_DANGER):
            dangers[path] = found
        if path == "/latest":
            shown = {_one_line(t) for t in page.locator("a.title").all_inner_texts()}
            assert {_one_line(v) for v in VECTORS} <= shown, "titles do not read back as typed"
            bylines = {_one_line(a) for a in page.locator(".byline a").all_inner_texts()}
            assert {a.display_name for a in authors} <= bylines, "display names do not read back as typed"
        if path.startswith(f"/t/{corpus.slug}/"):
            names = {_one_line(a) for a in page.locator(".post-header .author").all_inner_texts()}
            assert {a.display_name for a in authors} <= names
            # Only [quote] syntax makes a quote box: typed <aside class="quote"> markup stays text.
            forged = [
                n
                for n, v in enumerate(VECTORS)
                if "[quote=" not in v and page.locator(f"#post-{n + 2} .cooked aside").count()
            ]
            assert not forged, f"vectors {forged} made quote boxes of their own"
            template = page.locator(f"#post-{len(VECTORS) + 1} .cooked").inner_text()  # the last vector
            assert "{{ 7 * 7 }} {% now 'Y' %} ${ 7 * 7 } <%= 7 * 7 %>" in template, template
        if path in {f"/t/{t.slug}/{t.pk}" for t in titles}:
            assert page.title().startswith(_one_line(page.inner_text("h1"))), "the <title> was broken out of"

    # The composer quoting the whole corpus: the textarea holds it intact, and the preview is inert.
    page.goto(f"{site}/t/{corpus.pk}/reply?quote={everything.number}")
    raw = page.input_value("textarea[name=raw]")
    assert raw.replace("\r\n", "\n") == (
        f'[quote="Member, post:{everything.number}, topic:{corpus.pk}"]\n{everything.raw}\n[/quote]\n\n'
    ), "the composer's textarea was broken out of"
    page.wait_for_function("window.htmx !== undefined")
    with page.expect_response(lambda r: r.url.endswith("/preview")):
        page.click("#composer button[name=preview]")
    page.wait_for_selector("#composer-preview aside.quote")
    if found := page.evaluate(_DANGER):
        dangers["reply composer preview"] = found

    page.wait_for_timeout(300)  # let late handlers (onfocus, ontoggle, animations) have their chance
    assert not fired, f"vectors ran: {fired}"
    assert not dangers, "\n".join(f"{path}: {found}" for path, found in dangers.items())
    # Broken images are expected here; script errors and CSP violations are not.
    context.probe.allow("Failed to load resource")
    context.probe.assert_clean()
    print(
        f"\n{len(VECTORS)} XSS vectors inert through titles, bodies, bios and display names on {len(pages) + 1} pages"
    )
