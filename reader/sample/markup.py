"""How WordPress turns what an editor typed into what it serves.

Titles and bodies on a WordPress site go through ``wptexturize`` (straight quotes become curly
quote entities, a bare ``&`` becomes ``&#038;``), excerpts are the first 55 words of the body,
and feeds write dates in RFC 822. The sample site does the same, so the reader meets the same
entities and shapes it meets on the live site.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from email.utils import format_datetime

EXCERPT_WORDS = 55
"""WordPress's default length of an automatic excerpt, in words."""

WORDS_PER_MINUTE = 200
"""The reading speed behind "Reading Time N minutes"."""

_TAG = re.compile(r"(<[^>]*>)")
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")
_OPEN_DOUBLE = re.compile(r'(^|[\s(\[{\u2013\u2014])"(?=\w|$)')
_OPEN_SINGLE = re.compile(r"(^|[\s(\[{\u2013\u2014])'(?=\w)")
_SPACED_HYPHEN = re.compile(r"(?<=\s)-(?=\s)")
# Text inside these elements is code or not text at all, so WordPress leaves it alone.
_VERBATIM = frozenset({"code", "pre", "script", "style", "iframe", "kbd", "textarea"})
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_FIGURE = re.compile(r"<figure\b.*?</figure>", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
# Month names spelled out here, not by strftime, so the locale never changes the markup.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def texturize(text: str) -> str:
    """Curl the quotes, dashes and ellipses of plain text the way ``wptexturize`` does."""
    text = _BARE_AMPERSAND.sub("&#038;", text)
    text = text.replace("...", "&#8230;").replace(" -- ", " &#8212; ")
    text = _SPACED_HYPHEN.sub("&#8211;", text)
    text = _OPEN_DOUBLE.sub(r"\1&#8220;", text).replace('"', "&#8221;")
    return _OPEN_SINGLE.sub(r"\1&#8216;", text).replace("'", "&#8217;")


def render_title(typed: str) -> str:
    """A post or page title as WordPress prints it: escaped, then texturized."""
    return texturize(typed.replace("<", "&lt;").replace(">", "&gt;"))


def texturize_html(body: str) -> str:
    """Texturize the text of an HTML fragment, leaving tags, attributes and code untouched."""
    parts = _TAG.split(body)
    verbatim_depth = 0
    for index, part in enumerate(parts):
        if index % 2:
            name = _TAG_NAME.match(part)
            if name and name.group(1).lower() in _VERBATIM:
                verbatim_depth += -1 if part.startswith("</") else 1
        elif part and verbatim_depth <= 0:
            parts[index] = texturize(part)
    return "".join(parts)


def plain_text(body: str) -> str:
    """The words of an HTML fragment, tags removed and entities decoded."""
    return html.unescape(_TAG.sub(" ", body))


def word_count(body: str) -> int:
    """How many words a reader sees in an HTML fragment."""
    return sum(1 for token in plain_text(body).split() if any(c.isalnum() for c in token))


def reading_minutes(body: str) -> int:
    """Reading time in whole minutes, rounded up, never below one."""
    return max(1, -(-word_count(body) // WORDS_PER_MINUTE))


def excerpt_words(body: str) -> tuple[list[str], bool]:
    """The first words of a body for an automatic excerpt, and whether it was cut short.

    WordPress drops image, embed and table blocks before it counts words, so captions and
    video titles never open an excerpt, and strips tags without leaving a space; entities
    stay encoded, as in the served HTML.
    """
    words = _TAG.sub("", _FIGURE.sub(" ", body)).split()
    return words[:EXCERPT_WORDS], len(words) > EXCERPT_WORDS


def feed_excerpt(body: str) -> str:
    """The RSS ``description`` WordPress writes for a post: its excerpt and ``[&#8230;]``."""
    words, cut = excerpt_words(body)
    return " ".join(words) + (" [&#8230;]" if cut else "")


def rest_excerpt(body: str) -> str:
    """``excerpt.rendered`` as the REST API gives it: one paragraph ending in ``[&hellip;]``."""
    words, cut = excerpt_words(body)
    return "<p>" + " ".join(words) + (" [&hellip;]" if cut else "") + "</p>\n"


def teaser(body: str, limit: int = 28) -> str:
    """The first sentence of a body's excerpt, for the "read this next" caption."""
    words, _ = excerpt_words(body)
    first = _SENTENCE_END.split(" ".join(words[:limit]), maxsplit=1)[0]
    return first if first.endswith((".", "!", "?")) else first + "&#8230;"


def cdata(text: str) -> str:
    """Wrap text in a CDATA section, splitting any ``]]>`` inside it."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rfc822(moment: datetime) -> str:
    """A UTC moment as RSS writes it: ``Wed, 03 Sep 2025 10:00:00 +0000``."""
    return format_datetime(moment.astimezone(UTC))


def http_date(moment: datetime) -> str:
    """A UTC moment as an HTTP header writes it: ``Wed, 03 Sep 2025 10:00:00 GMT``."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def wp_date(moment: datetime) -> str:
    """A moment as the REST API writes ``date``: ISO 8601 without an offset."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def iso_date(moment: datetime) -> str:
    """A UTC moment for a ``<time datetime>`` attribute."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def long_date(moment: datetime) -> str:
    """A date as the theme prints it: ``September 3, 2025``."""
    return f"{_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"
