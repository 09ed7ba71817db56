"""render_markdown: quote boxes (nested, capped, never forged), tables, raw HTML, and a bound on the work
the worst posts we accept cost (32 KB of nested quotes, of sibling quotes, of @mentions)."""

import re
import sys

import pytest

from agora.core.markdown import MAX_QUOTE_DEPTH, render_markdown

LIMIT = 32 * 1024  # the longest post body we accept


def quote(level: int) -> str:
    return f'[quote="user{level}, post:{level}, topic:7"]\n'


def nested(levels: int) -> str:
    return "".join(quote(n) + f"level {n}\n\n" for n in range(1, levels + 1)) + "core\n" + "[/quote]\n" * levels


def test_a_quote_renders_as_a_box_that_links_to_the_quoted_post():
    html = render_markdown('[quote="Member, post:3, topic:12"]\nWhere is **the** button?\n[/quote]\n\nTop right.')
    assert html == (
        '<aside class="quote" data-username="Member" data-post="3" data-topic="12">'
        '<div class="quote-title"><a href="/t/-/12/3" rel="nofollow ugc noopener">Member</a>:</div>'
        "<blockquote><p>Where is <strong>the</strong> button?</p>\n</blockquote></aside>\n<p>Top right.</p>\n"
    )


def test_a_quote_without_a_post_reference_has_no_link():
    html = render_markdown('[quote="Member"]\nHi\n[/quote]')
    assert '<div class="quote-title">Member:</div>' in html and "<a " not in html


def test_nested_quotes_render_inside_one_another():
    html = render_markdown(nested(3) + "\nAfter.")
    assert html.count('<aside class="quote"') == 3 and html.count("</aside>") == 3
    # Each level holds its own text, then the next level, in order.
    order = [html.index(s) for s in ("user1", "level 1", "user2", "level 2", "user3", "level 3", "core")]
    assert order == sorted(order)
    assert re.search(
        r"<p>core</p>\n</blockquote></aside>\n</blockquote></aside>\n</blockquote></aside>\n<p>After", html
    )
    assert "[quote" not in html and "[/quote]" not in html and "AGORAQUOTE" not in html


def test_sibling_quotes_inside_a_quote():
    raw = quote(1) + quote(2) + "a\n[/quote]\n" + quote(3) + "b\n[/quote]\n[/quote]"
    html = render_markdown(raw)
    assert html.count('<aside class="quote"') == 3
    outer = re.fullmatch(r'<aside class="quote" data-username="user1".*</aside>\n', html, re.DOTALL)
    assert outer and html.index("user2") < html.index("<p>a</p>") < html.index("user3") < html.index("<p>b</p>")


def test_quotes_deeper_than_the_cap_stay_literal_text():
    html = render_markdown(nested(MAX_QUOTE_DEPTH + 2))
    assert MAX_QUOTE_DEPTH == 10
    assert html.count('<aside class="quote"') == MAX_QUOTE_DEPTH
    # The two innermost levels are text inside the tenth box, closing tags and all.
    assert '[quote="user11, post:11, topic:7"]' in html
    assert '[quote="user12, post:12, topic:7"]' in html
    assert html.count("[/quote]") == 2
    tenth = html[html.index('data-username="user10"') :]
    assert tenth.index("level 10") < tenth.index("user11") < tenth.index("core") < tenth.index("</aside>")


def test_unclosed_and_stray_quote_tags_stay_text():
    html = render_markdown('[quote="Member"]\nno end\n\n[/quote] [/quote]')
    assert html.count("<aside") == 1 and "[/quote]" in html
    html = render_markdown('[quote="Member"]\nnever closed')
    assert "<aside" not in html and '<p>[quote="Member"]' in html and "never closed" in html
    html = render_markdown("[quote=Member]\nnot our syntax\n[/quote]")
    assert "<aside" not in html and "[quote=Member]" in html


def test_typed_markup_never_becomes_a_quote_box():
    for raw in [
        '<aside class="quote" data-username="x"><blockquote>forged</blockquote></aside>',
        "AGORAQUOTE0X\n\nAGORAQUOTE00000000N0X",
        '[quote="a"]\nAGORAQUOTE0X\n[/quote]',
    ]:
        html = render_markdown(raw)
        assert html.count("<aside") == raw.count('[quote="'), raw
        assert "<blockquote>forged" not in html


def test_quote_usernames_are_escaped():
    html = render_markdown('[quote="<b>x</b>&amp, post:1, topic:1"]\nq\n[/quote]')
    assert 'data-username="&lt;b&gt;x&lt;/b&gt;&amp;amp"' in html and ">&lt;b&gt;x&lt;/b&gt;&amp;amp</a>" in html


def test_raw_html_is_escaped():
    html = render_markdown('<script>alert(1)</script> <b onclick="x()">bold</b>\n\n<img src=x onerror=alert(1)>')
    assert "<script" not in html and "<b" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_tables_align_by_class_not_style():
    html = render_markdown("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |")
    assert '<th class="align-left">a</th>' in html and '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html and "<td>4</td>" in html
    assert "style" not in html and '<table tabindex="0">' in html


def test_mentions_link_to_known_users_only():
    html = render_markdown("Hi @Member and @nobody, not `@Member`.", {"member": "/u/Member"})
    assert '<a class="mention" href="/u/Member" rel="nofollow ugc noopener">@Member</a>' in html
    assert "@nobody" in html and "<code>@Member</code>" in html


def worst_cases() -> dict[str, str]:
    opening, closing = quote(1), "\n[/quote]\n"
    depth = LIMIT // (len(opening) + len(closing) + 2)
    sibling = opening + "x\n[/quote]\n\n"
    return {
        "nested quotes": opening * depth + "x\n" * depth + closing * depth,
        "unclosed quotes": opening * (LIMIT // len(opening)),
        "sibling quotes": sibling * (LIMIT // len(sibling)),
        "mentions": "@Member " * (LIMIT // 8),
        "malformed quote tags": "[quote=" * (LIMIT // 7),
    }


# Function calls per character of input the renderer may make. Linear work measures 5 to 46 here; the
# quadratic quote rendering this guards against made hundreds. Calls, not seconds: a loaded machine
# cannot disturb them (bench/markdown.py prints the time).
MAX_CALLS_PER_CHARACTER = 100


def _calls(function, *args) -> int:
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("case", list(worst_cases()))
def test_the_worst_32kb_posts_render_in_linear_work(case):
    raw = worst_cases()[case][:LIMIT]
    assert LIMIT - 64 < len(raw) <= LIMIT
    assert render_markdown(raw, {"member": "/u/Member"})
    calls = _calls(render_markdown, raw, {"member": "/u/Member"})
    print(f"{case}: {len(raw)} chars, {calls} calls ({calls / len(raw):.0f} per character)")
    assert calls < MAX_CALLS_PER_CHARACTER * len(raw)
