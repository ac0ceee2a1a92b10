"""Properties of the article renderer over arbitrary, hostile input."""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console, Group

from reader.core.text import UNSAFE_PATTERN
from reader.render.article import FALLBACK_NOTE, RenderedArticle, render_body

BASE = "https://stemcell.keck.usc.edu/2025/09/post/"

# The escape sequences Rich itself writes: SGR colours and OSC 8 hyperlinks (ended by ST).
_RICH_ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*\x1b\\")

_TRICKY_CHARACTERS = st.sampled_from(
    [
        "\x00", "\x07", "\x08", "\x1b", "\x1b[2J", "\x1b]8;;http://evil\x07", "\x7f", "\x85",
        "\x9b", "\r", "\r\n", "\t", "\f", "\u200e", "\u202e", "\u2066", "\u061c", "\xa0",
        "[", "]", "[/]", "[@click=app.quit]", "[bold]", ":smile:", "&amp;", "&#x1b;", "&#0;",
        "&#x9b;", "&lt;script&gt;", "&", "\ufeff", "\U0001f9ec", "漢字", "e\u0301",
    ]
)  # fmt: skip
_TAGS = st.sampled_from(
    [
        "<p>", "</p>", "<br>", "<b>", "</b>", "<em>", "</em>", "<h2>", "</h2>", "<h4>",
        "<ul>", "<ol start='3'>", "<li>", "</li>", "</ul>", "<blockquote>", "</blockquote>",
        "<cite>", "<pre>", "</pre>", "<code>", "<table>", "<tr>", "<th>", "<td colspan=2>",
        "</td>", "</table>", "<figure>", "<figcaption>", "<img alt='cell'>", "<hr>",
        "<dl>", "<dt>", "<dd>", "<sup>", "<sub>", "<q>", "<div>", "</div>", "<span>",
        "<unknown-tag>", "<a>", "</a>", "<caption>",
    ]
)  # fmt: skip
# Markup that can swallow what follows it (raw text elements, comments, open attributes)
# is left to the first property, so every link generated for the second one is really there.
_DANGEROUS = st.sampled_from(
    [
        "<script>", "<style>", "<!--", "<textarea>", "<iframe src='https://e.org/v'>",
        "<a href='javascript:x'>", "<a href=\"", "<video>", "<svg>", "<nav>", "<", ">",
        "<a href='data:text/html,x'>", "</", "<!DOCTYPE html>", "<![CDATA[",
    ]
)  # fmt: skip
_WORDS = st.text(alphabet=st.characters(exclude_characters="<&"), max_size=12)
_LINKS = st.builds(
    lambda path, text: f'<a href="http://example.com/{path}">{text}</a>',
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/-_", max_size=12),
    _WORDS,
)

_HTML_ISH = st.lists(
    st.one_of(_WORDS, _TRICKY_CHARACTERS, _TAGS, _LINKS, _DANGEROUS, st.text(max_size=8)),
    max_size=30,
).map("".join)
_WELL_FORMED_ENOUGH = st.lists(
    st.one_of(_WORDS, _TRICKY_CHARACTERS, _TAGS, _LINKS), max_size=30
).map("".join)

_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain(article: RenderedArticle) -> str:
    console = Console(width=60, record=True, color_system=None, file=io.StringIO())
    console.print(Group(*article.renderables))
    return console.export_text()


def _ansi(article: RenderedArticle) -> str:
    output = io.StringIO()
    console = Console(width=60, file=output, force_terminal=True, color_system="truecolor")
    console.print(Group(*article.renderables))
    return output.getvalue()


@_SETTINGS
@given(_HTML_ISH)
def test_any_input_renders_to_safe_text(html: str) -> None:
    article = render_body(html, BASE)
    plain = _plain(article)
    assert UNSAFE_PATTERN.search(plain) is None
    # The safety net in render_body was not needed: the walker itself coped.
    assert FALLBACK_NOTE not in plain
    for link in article.links:
        assert UNSAFE_PATTERN.search(link.url) is None
        assert UNSAFE_PATTERN.search(link.text) is None
        if link.followable:
            assert link.url.startswith(("http://", "https://"))


@_SETTINGS
@given(_HTML_ISH)
def test_colour_output_holds_no_escape_but_sgr_and_osc8(html: str) -> None:
    output = _ansi(render_body(html, BASE))
    rest = _RICH_ESCAPES.sub("", output)
    assert "\x1b" not in rest
    assert UNSAFE_PATTERN.search(rest) is None
    for url in re.findall(r"\x1b\]8;[^;\x1b]*;([^\x1b]*)\x1b\\", output):
        assert UNSAFE_PATTERN.search(url) is None


@_SETTINGS
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    article = render_body(text, BASE)
    plain = _plain(article)
    assert UNSAFE_PATTERN.search(plain) is None
    assert FALLBACK_NOTE not in plain


@_SETTINGS
@given(_WELL_FORMED_ENOUGH)
def test_every_http_link_is_in_the_link_table(html: str) -> None:
    article = render_body(html, BASE)
    expected = re.findall(r'<a href="(http://example\.com/[^"]*)">', html)
    urls = [link.url for link in article.links]
    remaining = list(urls)
    for url in expected:
        assert url in remaining
        remaining.remove(url)
    assert [link.number for link in article.links] == list(range(1, len(urls) + 1))
