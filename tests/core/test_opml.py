"""OPML lists: what other readers write reads cleanly, hostile files are read safely."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from reader.core.opml import MAX_SOURCES, OpmlProblem, read_opml, write_opml
from reader.core.source import Source

FIXTURES = Path(__file__).parent.parent / "fixtures" / "opml"


def _read(name: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    found = read_opml((FIXTURES / name).read_bytes())
    return [(s.url, s.name, s.group) for s in found.sources], found.skipped


def test_newsboat_export() -> None:
    # Made by Newsboat 2.21 itself ('newsboat -e'): OPML 1.0, names in title, empty htmlUrl;
    # a query feed and an exec: feed are left out by Newsboat, a file: one is written.
    sources, skipped = _read("newsboat.opml")
    assert sources == [
        ("https://blog.example/feed/", "Blog & Co", ""),
        ("https://news.example/rss.xml", "", ""),
        ("https://journal.example/atom.xml", "Ünïcode Journal", ""),
    ]
    assert skipped == ["outline 3 (unnamed): file: addresses are never read"]


def test_newsraft_export_with_a_bare_ampersand() -> None:
    # newsraft writes names as they are: "Lab Notes & Protocols" is not well-formed XML.
    sources, skipped = _read("newsraft.opml")
    assert sources == [
        ("https://lab.example/feed/", "Lab Notes & Protocols", ""),
        ("https://cells.example/rss.xml?lang=en&full=1", "", ""),
        ("https://digest.example/atom", "Weekly Digest", ""),
    ]
    assert skipped == []


def test_freshrss_export_with_categories_and_its_own_attributes() -> None:
    sources, skipped = _read("freshrss.opml")
    assert sources == [
        ("https://regen.example/feed/", "Regeneration Weekly", "Science"),
        ("https://organoids.example/index.xml", "Organoid Letters", "Science"),
        ("https://campus.example/rss", "Campus", "Uncategorized"),
    ]
    assert skipped == [
        "outline 5 (A page scraped with XPath): a 'html+xpath' outline, not a feed",
        "outline 7 (Shared lists): no feed address (xmlUrl)",
    ]


def test_miniflux_export() -> None:
    sources, skipped = _read("miniflux.opml")
    assert sources == [
        ("https://journal.example/feed.atom", "Stem Cell Journal", "All"),
        ("https://hospital.example/news/rss", "Hospital News", "All"),
        ("https://colleague.example/feed/", "A Colleague's Blog", "Blogs"),
    ]
    assert skipped == []


def test_our_export_reads_back_the_same_sources() -> None:
    sources = [
        Source.site("https://stemcell.example/", name="institute"),
        Source.feed("https://journal.example/feed.atom", name="journal", sections=("A, B",)),
        Source("https://colleague.example/feed/", False, "colleague", None, "Blogs & <friends>"),
    ]
    text = write_opml(sources, titles={sources[0].key: 'USC "Stem" Cell'})
    back = read_opml(text.encode())
    assert back.skipped == []
    assert back.sources == sources


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"this is not XML at all", "not XML"),
        (b"<opml><body><outline></body></opml>", "not XML"),
        (b"<html><body/></html>", "not OPML"),
        (b'<?xml version="1.0"?><opml version="2.0"><head/></opml>', "no <body>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
            b']><opml><body><outline text="&c;" xmlUrl="https://x.example/"/></body></opml>',
            "declares entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">'
            b']><opml><body><outline text="&secret;"/></body></opml>',
            "declares entities",
        ),
    ],
)
def test_files_that_are_not_opml_are_refused_with_one_line(data: bytes, problem: str) -> None:
    with pytest.raises(OpmlProblem, match=problem) as raised:
        read_opml(data)
    assert "\n" not in str(raised.value)


def test_an_external_document_type_is_never_fetched(tmp_path: Path) -> None:
    # expat never loads an external DTD; a file that names one is read like any other.
    data = (
        b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "file:///dev/zero">'
        b'<opml><body><outline text="x" xmlUrl="https://x.example/rss"/></body></opml>'
    )
    assert [s.url for s in read_opml(data).sources] == ["https://x.example/rss"]


def test_bad_outlines_are_skipped_one_line_each_and_the_rest_kept() -> None:
    data = b"""<opml version="2.0"><body>
      <outline text="ok" xmlUrl="https://ok.example/rss"/>
      <outline text="file" xmlUrl="file:///etc/shadow"/>
      <outline text="script" xmlUrl="javascript:alert(document.cookie)"/>
      <outline text="relative" xmlUrl="../feed.xml"/>
      <outline text="root-relative" xmlUrl="/feed.xml"/>
      <outline text="again" xmlUrl="http://www.OK.example/rss"/>
      <outline text="data" xmlUrl="data:text/xml,&lt;rss/&gt;"/>
      <outline text="&#x9b;31mred&#x202e; [@click=app.quit]" xmlUrl="https://esc.example/rss"/>
      <outline text="known" xmlUrl="https://known.example/rss"/>
    </body></opml>"""
    found = read_opml(data, known={Source.feed("https://known.example/rss").key})
    assert [s.url for s in found.sources] == ["https://ok.example/rss", "https://esc.example/rss"]
    name = found.sources[1].name
    assert "\x9b" not in name and "\u202e" not in name and "[@click=app.quit]" in name
    assert found.skipped == [
        "outline 2 (file): file: addresses are never read",
        "outline 3 (script): javascript: addresses are never read",
        "outline 4 (relative): '../feed.xml' is not a full http(s) address",
        "outline 5 (root-relative): '/feed.xml' is not a full http(s) address",
        "outline 6 (again): listed already, as outline 1",
        "outline 7 (data): data: addresses are never read",
        "outline 9 (known): already read",
    ]


def test_a_hundred_thousand_outlines_are_read_in_bounded_memory() -> None:
    outlines = b"".join(
        b'<outline type="rss" text="Feed %d" xmlUrl="https://h%d.example/rss"/>' % (n, n)
        for n in range(100_000)
    )
    data = b'<opml version="2.0"><body>' + outlines + b"</body></opml>"
    tracemalloc.start()
    try:
        found = read_opml(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(found.sources) == MAX_SOURCES
    assert found.skipped == [
        f"{100_000 - MAX_SOURCES} more outlines not read: one file adds at most "
        f"{MAX_SOURCES} sources"
    ]
    # The file is 7 MB; read as a stream, the outlines already read are let go.
    assert peak < 20 * 2**20, peak


def test_nesting_a_thousand_deep_is_read_and_far_deeper_is_refused() -> None:
    def nested(depth: int) -> bytes:
        inner = b'<outline text="deep" xmlUrl="https://deep.example/rss"/>'
        return (
            b'<opml version="2.0"><body>'
            + b'<outline text="folder">' * depth
            + inner
            + b"</outline>" * depth
            + b"</body></opml>"
        )

    found = read_opml(nested(1000))
    assert [s.url for s in found.sources] == ["https://deep.example/rss"]
    assert found.sources[0].group.startswith("folder / folder")
    assert len(found.sources[0].group) <= 200
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(OpmlProblem, match="levels deep"):
            read_opml(nested(500_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, peak
    assert time.monotonic() - started < 60
