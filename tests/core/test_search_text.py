"""The search text of a body is exactly what the first way of making it gave.

:func:`plain_text` finds the line tags of ASCII markup by a pattern whose names start with a
class of both cases, and folds whitespace without a string per word; :func:`_as_before` below is
the code it replaced (a regex with IGNORECASE, ``strip_controls`` of the whole text, then
``" ".join(text.split())``). They must agree on the sample site's bodies, on every whitespace
and control character, and on generated HTML.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.search_text import plain_text
from reader.core.text import strip_controls
from reader.sample.generate import generate_site

_LINE_NAMES = re.findall(
    r"\w+",
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote figure figcaption table caption tr"
    " td th pre hr img section article header footer aside main iframe video audio",
)
_LINE_TAG = re.compile(
    r"<(?=/?(?:p|div|br|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|figure|figcaption|table|caption|tr|"
    r"td|th|pre|hr|img|section|article|header|footer|aside|main|iframe|video|audio)[\s/>])",
    re.IGNORECASE,
)
_PICTURE_TAG = re.compile(r"<im(?:g|age)", re.IGNORECASE)


def _as_before(html: str) -> str:
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_LINE_TAG.sub(" <", html))
    if _PICTURE_TAG.search(html):
        for emoji in tree.css("img.wp-smiley, img.emoji"):
            emoji.replace_with(emoji.attributes.get("alt") or "")
    return " ".join(strip_controls(tree.text(separator="")).split())


def test_the_sample_sites_bodies_read_as_before() -> None:
    posts = generate_site(400).posts()
    bodies = [post.body for post in posts] + [post.excerpt for post in posts]
    for body in bodies:
        assert plain_text(body) == _as_before(body)


def test_every_whitespace_and_control_character_reads_as_before() -> None:
    # Each character alone, between words, in ASCII markup and in markup that is not (the
    # regex's own way), and as a character reference the parser decodes.
    for code in range(0x3100):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        for html in (
            f"<p>a{char}b</p>\n<p> c {char}{char} d</p>",
            f"<p>’{char} x</p><P>y\t</P>",
            f"<div>a&#{code};b</div>",
            f"{char}<br>{char}",
        ):
            assert plain_text(html) == _as_before(html), (hex(code), html)


def test_line_tags_of_any_case_and_their_look_alikes_read_as_before() -> None:
    for name in [*_LINE_NAMES, "pr", "prex", "h7", "hx", "im", "image", "span", "em", "tbody"]:
        for spelled in (name, name.upper(), name.title()):
            for html in (
                f"one<{spelled}>two</{spelled}>three",
                f"one<{spelled}/>two<{spelled}\tclass=x>three</{spelled} >",
                f"a<{spelled}x>b<{spelled}",
                f"é<{spelled}>ſ</{spelled}>",
            ):
                assert plain_text(html) == _as_before(html), html


def test_emoji_pictures_of_any_spelling_read_as_before() -> None:
    # In ASCII markup (the alt text a character reference) and in markup that is not.
    for html in (
        '<p>Tea <IMG CLASS="wp-smiley" alt="&#9749;"> time</p>',
        '<p>A <image class="emoji" alt="&#x1F9EA;"></p>',
        '<p>Tea <IMG CLASS="wp-smiley" alt="☕"> time</p>',
        '<p>A <image class="emoji" alt="🧪"></p>',
        '<p>A <ImAgE class="emoji" alt="x">é</p>',
        "<p>no <imgx> picture</p>",
    ):
        assert plain_text(html) == _as_before(html), html


_PIECES = st.sampled_from(
    [
        *(f"<{name}>" for name in _LINE_NAMES[::3]),
        *(f"</{name}>" for name in _LINE_NAMES[1::3]),
        "<P>",
        "</LI >",
        "<Br/>",
        "<em>",
        "</em>",
        "<a href='x'>",
        "</a>",
        '<img class="wp-smiley" alt=" ☕ ">',
        '<IMAGE class="emoji" alt="&#9749;">',
        "<pre>",
        "<script>x  y</script>",
        "<!-- a  comment -->",
        "&nbsp;",
        "&#8217;",
        "&#27;",
        "&lrm;",
        "&#x202e;",
        "&amp;",
        "&#10;",
        "&#9;",
        " ",
        "  ",
        "\n",
        "\t",
        "\r\n",
        "\xa0",
        "\u2003",
        "\u3000",
        "\x0b",
        "\x1c",
        "\x85",
        "\u00ad",
        "\u200b",
        "word",
        "Stem",
        "’",
        "é",
        "ſ",
        "\u212a",
        "🧪",
        ".",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_generated_markup_reads_as_before(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert plain_text(html) == _as_before(html)
