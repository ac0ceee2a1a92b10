"""feedparser's own test corpus through our parser (and renderer): no crash, hang or escape.

The corpus (2,106 feeds: every RSS and Atom flavour, broken XML, odd encodings, hostile HTML)
lives beside the checkout in ``../shared/corpus/feedparser``; without it these tests skip.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from reader.core.feed import ParsedFeed, parse_feed
from reader.core.text import UNSAFE_PATTERN, is_safe
from tests.support import hostile_server as hostile
from tests.support.values import strings

CORPUS = Path(__file__).parents[3] / "shared" / "corpus" / "feedparser"
FEED_URL = "http://example.org/corpus/feed.xml"

# "Header:      Content-type: text/xml" lines in the comment that opens each corpus file.
_HEADER_LINE = re.compile(rb"^Header:\s*([A-Za-z-]+):\s*(.*?)\s*$", re.M)
# What a terminal may receive from the renderer: SGR colours and OSC 8 hyperlinks, whose URL
# part may hold no control character (the pattern stops at ESC and BEL).
_ALLOWED_ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x07\x1b]*(?:\x1b\\|\x07)")

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def corpus_files() -> list[Path]:
    return sorted(path for path in CORPUS.rglob("*.xml") if path.is_file())


def headers_of(content: bytes) -> dict[str, str]:
    """The HTTP headers a corpus file asks for in its leading comment."""
    end = content.find(b"-->", 0, 4096)
    if end < 0:
        return {}
    return {
        name.decode("ascii").lower(): value.decode("latin-1")
        for name, value in _HEADER_LINE.findall(content[:end])
    }


@cache
def parsed_corpus() -> tuple[tuple[Path, ParsedFeed], ...]:
    """Every corpus file parsed once, shared by the tests below."""
    results = []
    for path in corpus_files():
        content = path.read_bytes()
        results.append((path, parse_feed(content, url=FEED_URL, headers=headers_of(content))))
    return tuple(results)


def bodies(parsed: ParsedFeed) -> Iterator[tuple[str, str]]:
    for entry in parsed.entries:
        base = entry.url or FEED_URL
        if entry.content_html:
            yield entry.content_html, base
        if entry.summary_html:
            yield entry.summary_html, base


def test_headers_are_read_from_the_leading_comment() -> None:
    content = b'<?xml version="1.0"?>\n<!--\nHeader:   Content-type: text/xml; charset=utf-8\n-->'
    assert headers_of(content) == {"content-type": "text/xml; charset=utf-8"}


@needs_corpus
@pytest.mark.timeout(120)
def test_every_corpus_feed_parses_to_safe_text() -> None:
    results = parsed_corpus()
    assert len(results) > 2000
    unsafe = [
        (path.relative_to(CORPUS), text)
        for path, parsed in results
        for text in strings(parsed)
        if not is_safe(text)
    ]
    assert unsafe == []
    # Sanity: the corpus is mostly real feeds, and they came through as feeds.
    assert sum(parsed.is_feed for _, parsed in results) > 1500


@needs_corpus
@pytest.mark.timeout(120)
def test_every_corpus_body_renders_without_stray_escapes() -> None:
    article = pytest.importorskip("reader.render.article")
    console_module = pytest.importorskip("rich.console")
    hostile_parsed = parse_feed(hostile.hostile_feed(), url=FEED_URL)
    sources = [*parsed_corpus(), (Path("hostile-feed"), hostile_parsed)]
    failures = []
    rendered = 0
    styled = linked = 0
    for path, parsed in sources:
        for html, base in bodies(parsed):
            # force_terminal: a StringIO is no terminal, and Rich would otherwise leave out the
            # very escapes (colours, OSC 8 links) this test inspects.
            console = console_module.Console(
                width=80,
                color_system="truecolor",
                record=False,
                file=io.StringIO(),
                force_terminal=True,
            )
            body = article.render_body(html, base)
            console.print(console_module.Group(*body.renderables))
            output = console.file.getvalue()
            rest = _ALLOWED_ESCAPES.sub("", output)
            if "\x1b" in rest or UNSAFE_PATTERN.search(rest):
                failures.append((str(path), repr(rest[:200])))
            rendered += 1
            styled += "\x1b[" in output
            linked += "\x1b]8;" in output
    assert failures == []
    # Sanity: the corpus's 745 sanitizer cases carry bodies, and the escapes really were emitted.
    assert rendered > 700
    assert styled > 100
    assert linked > 10
