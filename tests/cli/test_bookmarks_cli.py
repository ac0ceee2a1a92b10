"""``reader bookmarks`` as a real process: add, list, remove, export, import, and two processes
bookmarking the same store at once."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from reader.core.models import Bookmark, LinkKind
from reader.core.source import Source
from reader.core.store import STORE_FILE, Store
from reader.render.article import render_body
from reader.sample.server import SampleServer
from tests.support.app_fixtures import SECTIONS, synced_store
from tests.support.commands import run_reader
from tests.support.exports import EXPORT_TAGS

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_TITLE = "<script>alert('boo')</script> Fish & chips <b>for</b> the lab"


def _bookmarks(folder: Path) -> list[Bookmark]:
    store = Store.open_in(folder, section_names=SECTIONS)
    try:
        return store.bookmarks()
    finally:
        store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleServer]:
    """Our own sample site, with one post whose title is hostile HTML."""
    server = SampleServer()
    server.site.add_post(
        HOSTILE_TITLE,
        '<p>Plain words about <a href="/category/brain/">the brain</a> and &lt;script&gt; as '
        "text.</p><p>A second paragraph names zebrafish.</p>",
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def bookmarked(site: SampleServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synced data folder with three bookmarks, each added by ``reader bookmarks add``."""
    folder = tmp_path_factory.mktemp("bookmarked")
    synced_store(site.url, folder)
    store = Store.open_in(folder, section_names=SECTIONS)
    hostile = next(p for p in store.posts_in() if p.title.startswith("<script>"))
    news = [store.post(summary.id) for summary in store.posts_in("news")]
    with_links = [
        post.url
        for post in news
        if post is not None and "<a " in post.content and post.url != hostile.url
    ]
    store.close()
    for spec in (hostile.url, with_links[0], with_links[1]):
        added = run_reader("--site", site.url, "bookmarks", "add", spec, data_dir=folder)
        assert added.returncode == 0, added.stderr
        assert added.stdout.startswith("Bookmarked: ")
    return folder


@pytest.fixture
def mine(bookmarked: Path, tmp_path: Path) -> Path:
    """A private copy of the bookmarked folder, for tests that change it."""
    folder = tmp_path / "mine"
    shutil.copytree(bookmarked, folder)
    return folder


def test_add_list_and_remove(mine: Path, site: SampleServer) -> None:
    listed = run_reader("bookmarks", "list", "--json", data_dir=mine)
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert len(entries) == 3
    assert any(e["title"].startswith("<script>alert(") for e in entries)
    # Every snapshot is whole: the page was read, so navigation and topics came with it.
    for bookmark in _bookmarks(mine):
        assert bookmark.post.page_fetched and bookmark.post.content
        assert bookmark.post.link(LinkKind.OLDER) or bookmark.post.link(LinkKind.NEWER)
    gone = entries[1]["url"]
    removed = run_reader("bookmarks", "remove", gone, data_dir=mine)
    assert removed.returncode == 0, removed.stderr
    assert gone not in {b.url for b in _bookmarks(mine)}
    again = run_reader("bookmarks", "remove", gone, data_dir=mine)
    assert again.returncode == 1 and "is not bookmarked" in again.stderr
    plain = run_reader("bookmarks", "list", data_dir=mine)
    assert plain.returncode == 0 and gone not in plain.stdout


def _same(mine: list[Bookmark], theirs: list[Bookmark]) -> None:
    assert [(b.url, b.title, b.created) for b in mine] == [
        (b.url, b.title, b.created) for b in theirs
    ]
    # The whole article came across; only the id is the importing store's own.
    for a, b in zip(mine, theirs, strict=True):
        assert replace(a.post, id=0) == replace(b.post, id=0)


def test_json_export_imports_into_a_fresh_folder_once(bookmarked: Path, tmp_path: Path) -> None:
    export = tmp_path / "bookmarks.json"
    written = run_reader(
        "bookmarks", "export", "--format", "json", "-o", str(export), data_dir=bookmarked
    )
    assert written.returncode == 0, written.stderr
    assert json.loads(export.read_text(encoding="utf-8"))["format"] == "stemcell-reader-bookmarks"
    fresh = tmp_path / "fresh"
    first = run_reader("bookmarks", "import", str(export), data_dir=fresh)
    assert first.returncode == 0, first.stderr
    assert "Imported 3 new bookmarks" in first.stdout
    _same(_bookmarks(fresh), _bookmarks(bookmarked))
    second = run_reader("bookmarks", "import", str(export), data_dir=fresh)
    assert second.returncode == 0, second.stderr
    assert "Imported 0 new bookmarks (3 already there)" in second.stdout
    assert len(_bookmarks(fresh)) == 3
    # The imported copies read offline like the originals, with no post stored to back them.
    for bookmark in _bookmarks(fresh):
        shown = run_reader("show", bookmark.url, data_dir=fresh)
        assert shown.returncode == 0, shown.stderr
        assert bookmark.post.title in shown.stdout


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def _article_words(content: str) -> set[str]:
    """The words of an article's text, as a reader would read them (no markup, no scripts)."""
    tree = HTMLParser(content)
    words: set[str] = set()
    for node in tree.css("p, li, h1, h2, h3, h4, h5, h6, blockquote, figcaption, td, th"):
        words |= _words(node.text())
    return words


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_readable_exports_hold_every_article_whole(bookmarked: Path, fmt: str) -> None:
    result = run_reader("bookmarks", "export", "--format", fmt, data_dir=bookmarked)
    assert result.returncode == 0, result.stderr
    # Markdown escapes punctuation with backslashes; HTML with entities. Undo either.
    text = re.sub(r"\\(.)", r"\1", result.stdout) if fmt == "md" else html.unescape(result.stdout)
    exported = _words(text)
    for bookmark in _bookmarks(bookmarked):
        post = bookmark.post
        assert post.title in text
        missing = _article_words(post.content) - exported
        assert not missing, (post.url, sorted(missing))
        for link in render_body(post.content, post.url).links:
            assert link.url in text, (post.url, link.url)
        for kind in (LinkKind.OLDER, LinkKind.NEWER, LinkKind.READ_NEXT):
            place = post.link(kind)
            if place is not None:
                assert place.url in text, (post.url, kind)


def test_markdown_export_keeps_hostile_text_as_text(bookmarked: Path) -> None:
    result = run_reader("bookmarks", "export", "--format", "md", data_dir=bookmarked)
    assert result.returncode == 0, result.stderr
    # Titles, article text and link text are escaped: no "<" reaches a viewer as markup.
    assert "## \\<script\\>" in result.stdout
    for line in result.stdout.splitlines():
        assert re.search(r"(?<!\\)<script", line) is None, line


def test_html_export_keeps_hostile_text_as_text(bookmarked: Path) -> None:
    result = run_reader("bookmarks", "export", "--format", "html", data_dir=bookmarked)
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert "<script" not in page.lower()
    assert "<b>for</b>" not in page
    assert "&lt;script&gt;alert(" in page
    assert "Fish &amp; chips &lt;b&gt;for&lt;/b&gt; the lab" in page
    # The export is a well-formed page whose only elements are the exporter's own.
    tags = {node.tag for node in HTMLParser(page).css("*")}
    assert tags <= EXPORT_TAGS | {"-text"}, tags - EXPORT_TAGS
    # Pictures are the exporter's own re-encoded pixels, never an address to load.
    for image in HTMLParser(page).css("img"):
        source = image.attributes.get("src") or ""
        assert source.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")), source


@pytest.mark.parametrize(
    ("name", "starts"),
    [("saved.html", "<!doctype html>"), ("saved.HTM", "<!doctype html>"), ("saved.json", "{")],
)
def test_without_a_format_the_file_name_chooses_it(
    bookmarked: Path, tmp_path: Path, name: str, starts: str
) -> None:
    target = tmp_path / name
    result = run_reader("bookmarks", "export", "-o", str(target), data_dir=bookmarked)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").lstrip().startswith(starts)
    # An explicit --format still wins over the name, and any other name is Markdown.
    run_reader("bookmarks", "export", "--format", "md", "-o", str(target), data_dir=bookmarked)
    assert target.read_text(encoding="utf-8").startswith("# Bookmarks")
    other = tmp_path / "saved.txt"
    run_reader("bookmarks", "export", "-o", str(other), data_dir=bookmarked)
    assert other.read_text(encoding="utf-8").startswith("# Bookmarks")


def test_export_into_a_missing_folder_says_so(bookmarked: Path, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "bookmarks.md"
    result = run_reader("bookmarks", "export", "-o", str(target), data_dir=bookmarked)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"reader: cannot write {target}: the folder {target.parent} does not exist"
    )
    assert "Traceback" not in result.stderr
    assert not target.parent.exists()


def _export_with(bookmarks: object) -> str:
    return json.dumps({"format": "stemcell-reader-bookmarks", "version": 1, "bookmarks": bookmarks})


def _good_entry(url: str) -> dict[str, object]:
    return {
        "url": url,
        "title": "A good one",
        "created": "2025-03-01T10:00:00+00:00",
        "post": {"id": 5, "url": url, "title": "A good one", "content": "<p>Fine.</p>"},
    }


MALFORMED = {
    "bad JSON": ('{"format": "stemcell-reader-bookmarks", "bookmarks": [', "not valid JSON"),
    "wrong format": (
        json.dumps({"format": "someone-elses-links", "items": []}),
        "not a bookmarks export",
    ),
    "no url": (
        _export_with([_good_entry("https://example.org/fine/"), {"title": "x", "post": {}}]),
        'bookmark 2 has no "url"',
    ),
    "javascript url": (
        _export_with([{**_good_entry("https://example.org/ok/"), "url": "javascript:alert(1)"}]),
        "bad address 'javascript:alert(1)'",
    ),
    "text that is not text": (
        _export_with(
            [
                {
                    **_good_entry("https://example.org/typed/"),
                    "post": {"url": "x", "sections": [{"a": 1}]},
                }
            ]
        ),
        '"sections" is not a list of names',
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_import_names_the_problem_and_changes_nothing(
    mine: Path, tmp_path: Path, case: str
) -> None:
    content, problem = MALFORMED[case]
    source = tmp_path / "broken.json"
    source.write_text(content, encoding="utf-8")
    before = [(b.url, b.created) for b in _bookmarks(mine)]
    result = run_reader("bookmarks", "import", str(source), data_dir=mine)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(source) in result.stderr and problem in result.stderr, result.stderr
    assert "nothing was imported" in result.stderr
    assert [(b.url, b.created) for b in _bookmarks(mine)] == before


# -- two processes at once -------------------------------------------------------------------

_WORKER = textwrap.dedent(
    """
    import json, sys, time
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from reader.core.models import IncomingPost
    from reader.core.source import Source
    from reader.core.store import Store

    folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    # Wait until both workers are ready, so their writes really interleave.
    (folder.parent / f"ready-{name}").touch()
    while len(list(folder.parent.glob("ready-*"))) < 2:
        time.sleep(0.005)
    store = Store.open_in(folder)
    kept = []
    for n in range(count):
        url = f"https://example.org/{name}/{n}/"
        store.upsert_posts([IncomingPost(
            url=url, title=f"{name} {n}", content=f"<p>{name} says {n}</p>",
            published=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=n),
        )], source=Source.site("https://example.org/"))
        post = store.find_post(url)
        store.add_bookmark(post)
        kept.append(url)
        if n % 3 == 2:
            # Take back an earlier one now and then: removes interleave with the adds.
            dropped = f"https://example.org/{name}/{n - 1}/"
            assert store.remove_bookmark(dropped)
            kept.remove(dropped)
    store.close()
    print(json.dumps(kept))
    """
)


def test_two_processes_bookmarking_at_once_lose_nothing(tmp_path: Path) -> None:
    # No store yet: both processes also race to create it.
    folder = tmp_path / "shared" / "data"
    folder.mkdir(parents=True)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(folder), name, "50"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for name in ("ada", "grace")
    ]
    expected: set[str] = set()
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        expected |= set(json.loads(out))
    assert len(expected) == 2 * (50 - 16)
    assert {b.url for b in _bookmarks(folder)} == expected
    assert (folder / STORE_FILE).exists()
    db_check = run_reader("bookmarks", "list", "--json", data_dir=folder)
    assert db_check.returncode == 0
    assert {e["url"] for e in json.loads(db_check.stdout)} == expected


def test_two_cli_processes_adding_at_once_lose_nothing(mine: Path, site: SampleServer) -> None:
    store = Store.open_in(mine, section_names=SECTIONS)
    already = {b.url for b in store.bookmarks()}
    candidates = [p.url for p in store.posts_in() if p.url not in already][:8]
    store.close()
    shell = " ; ".join(
        f"{sys.executable} -m reader --site {site.url} --data-dir {mine} bookmarks add {url}"
        for url in candidates[:4]
    )
    other = " ; ".join(
        f"{sys.executable} -m reader --site {site.url} --data-dir {mine} bookmarks add {url}"
        for url in candidates[4:]
    )
    runs = [
        subprocess.Popen(
            ["sh", "-c", f"set -e; {line}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in (shell, other)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert out.count("Bookmarked: ") == 4
    assert {b.url for b in _bookmarks(mine)} == already | set(candidates)


def test_a_post_of_another_site_goes_under_its_own_source_or_one_kept_for_its_host(
    mine: Path, site: SampleServer
) -> None:
    # A trial's 'bookmarks add' of a post of the sample site, the store's default source being
    # the institute, filed it under the institute: in News, in Topics, and in 'reader list'.
    store = Store.open_in(mine, section_names=SECTIONS)
    ours = store.post(store.posts_in("news")[4].id)
    assert ours is not None
    store.remove_post(ours.id)  # a post of the site read, not stored yet
    store.close()
    elsewhere = "http://127.0.0.1:9/"  # the default source: not the site either post is on
    added = run_reader("--site", elsewhere, "bookmarks", "add", ours.url, data_dir=mine)
    assert added.returncode == 0, added.stderr
    listed = json.loads(run_reader("--site", site.url, "list", "--json", data_dir=mine).stdout)
    assert [p["source"] for p in listed if p["url"] == ours.url] == [
        site.url.removeprefix("http://").rstrip("/")
    ]
    # A post of a site the store holds nothing of: stored under a source kept for its host
    # alone (as 'reader open' does), in no list of the sites read. Kept only as the bookmark's
    # snapshot, it was no post of the store: opened, it said 'no longer in the store'.
    with SampleServer() as other_url:
        store = Store.open_in(mine, section_names=SECTIONS)
        sample = next(p for p in store.posts_in("news") if "script" not in p.url)
        theirs = sample.url.replace(site.url, other_url)
        store.close()
        added = run_reader("--site", site.url, "bookmarks", "add", theirs, data_dir=mine)
        assert added.returncode == 0, added.stderr
    listed = json.loads(run_reader("--site", site.url, "list", "--json", data_dir=mine).stdout)
    assert theirs not in {p["url"] for p in listed}
    store = Store.open_in(mine, section_names=SECTIONS)
    try:
        bookmark = store.bookmark(theirs)
        assert bookmark is not None and bookmark.post.content
        stored = store.find_post(theirs)
        assert stored is not None and stored.content
        assert stored.source_id == bookmark.post.source_id
        assert stored.source_id in store.bookmark_only_sources()
        assert store.source_id(Source.site(site.url)) != bookmark.post.source_id
        # Kept under its site's address, not the post's (a user reads it in 'sources list').
        kept = {s.url for s in store.sources() if s.id == bookmark.post.source_id}
        assert kept == {other_url.rstrip("/") + "/"}, kept
    finally:
        store.close()


def test_reader_list_marks_bookmarks_and_its_help_says_what_the_marks_mean(
    mine: Path, site: SampleServer
) -> None:
    # A trial found '*' with no legend, and no mark for a bookmark.
    posts = json.loads(run_reader("--site", site.url, "list", "--json", data_dir=mine).stdout)
    marks = {p["id"]: ("" if p["read"] else "*") + ("b" if p["bookmarked"] else "") for p in posts}
    assert sum(1 for p in posts if p["bookmarked"]) == 3
    listed = run_reader("--site", site.url, "list", data_dir=mine).stdout.splitlines()
    shown = {int(line.split()[0]): line.split()[1] for line in listed}
    assert {i: m for i, m in shown.items() if not m[0].isdigit()} == {
        i: m for i, m in marks.items() if m
    }
    legend = " ".join(run_reader("list", "--help", data_dir=mine).stdout.split())
    assert "* when unread, b when bookmarked" in legend, legend


def test_an_export_onto_a_full_disk_leaves_the_last_export_whole(bookmarked: Path) -> None:
    # write_text emptied the old export first: a new one bigger than the room left was cut
    # off midway, and neither was whole.
    from tests.support.mounts import fill, small_tmpfs

    with small_tmpfs(4096) as disk:
        target = disk / "saved.json"
        before = '{"format": "an older, shorter export"}\n'
        target.write_text(before, encoding="utf-8")
        fill(disk)
        result = run_reader("bookmarks", "export", "-o", str(target), data_dir=bookmarked)
        assert result.returncode == 1
        assert result.stderr.strip() == f"reader: cannot write {target}: No space left on device"
        assert target.read_text(encoding="utf-8") == before
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "saved.json"]
