"""``reader sources``, ``reader sync NAME`` and ``reader list --source`` as real processes, on
two sample sites served on 127.0.0.1."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.paths import config_file
from reader.core.store import Store
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from tests.support.commands import run_reader

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "opml"


def _listed() -> list[dict[str, object]]:
    return list(tomllib.loads(config_file().read_text(encoding="utf-8")).get("sources", []))


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[str, str]]:
    """Two sites: the sample site, and a generated one on another port."""
    with SampleServer() as first, SampleServer(generate_site(12, seed=4)) as second:
        yield first, second


def test_add_sync_list_and_remove_two_sites(sites: tuple[str, str], tmp_path: Path) -> None:
    first, second = sites
    data = tmp_path / "data"
    # With no list, the institute's site is the one source; adding one keeps it and adds.
    listed = run_reader("sources", "list", data_dir=data)
    assert listed.returncode == 0 and "stemcell.keck.usc.edu" in listed.stdout
    added = run_reader("sources", "add", first, "--name", "institute-copy", data_dir=data)
    assert added.returncode == 0, added.stderr
    assert "WordPress site" in added.stdout
    assert run_reader("sources", "add", second, data_dir=data).returncode == 0
    assert [e.get("site") for e in _listed()] == ["https://stemcell.keck.usc.edu/", first, second]
    # The institute cannot be reached from here: drop it, scripts are asked nothing.
    removed = run_reader("sources", "remove", "stemcell.keck.usc.edu", data_dir=data)
    assert removed.returncode == 0, removed.stderr

    synced = run_reader("sync", data_dir=data)
    assert synced.returncode == 0, synced.stderr
    second_name = second.removeprefix("http://").rstrip("/")
    assert "institute-copy: 48 new" in synced.stdout
    assert f"{second_name}: 12 new" in synced.stdout
    again = run_reader("sync", "institute-copy", data_dir=data)
    assert again.stdout.strip() == "institute-copy: up to date"
    # Said once: the progress lines (stderr, not a terminal) said it before the report too.
    assert (again.stdout + again.stderr).lower().count("up to date") == 1, again.stderr

    posts = json.loads(run_reader("list", "--json", data_dir=data).stdout)
    assert {p["source"] for p in posts} == {"institute-copy", second_name}
    assert len(posts) == 60
    mine = json.loads(run_reader("list", "--json", "--source", second_name, data_dir=data).stdout)
    assert len(mine) == 12 and all(p["url"].startswith(second) for p in mine)
    text = run_reader("list", "--source", "institute-copy", "--limit", "2", data_dir=data).stdout
    assert len(text.splitlines()) == 2 and "institute-copy" not in text  # one source: no column
    both = run_reader("list", "--limit", "60", data_dir=data).stdout
    assert "institute-copy" in both and second_name in both

    # Bookmark one post of each; removing a source keeps its bookmark (a snapshot).
    for post in (posts[0], mine[0]):
        assert run_reader("bookmarks", "add", str(post["id"]), data_dir=data).returncode == 0
    gone = run_reader("sources", "remove", second_name, data_dir=data)
    assert (
        gone.returncode == 0 and "12 posts" in gone.stdout and "1 bookmark is kept" in (gone.stdout)
    )
    store = Store.open_in(data)
    try:
        assert store.count_posts() == 48
        assert {b.url for b in store.bookmarks()} == {posts[0]["url"], mine[0]["url"]}
    finally:
        store.close()
    # It is off the list, but its bookmark still says whose it is; --with-bookmarks drops it.
    listing = run_reader("sources", "list", data_dir=data).stdout
    assert "Kept in the store" in listing and second_name in listing
    dropped = run_reader("sources", "remove", second_name, "--with-bookmarks", data_dir=data)
    assert dropped.returncode == 0, dropped.stderr
    store = Store.open_in(data)
    try:
        assert [b.url for b in store.bookmarks()] == [posts[0]["url"]]
    finally:
        store.close()


def test_a_dead_or_non_feed_address_is_not_added_unless_asked(
    sites: tuple[str, str], tmp_path: Path
) -> None:
    first, _ = sites
    data = tmp_path / "data"
    dead = run_reader("sources", "add", "http://127.0.0.1:9/", data_dir=data)
    assert dead.returncode == 1
    assert "127.0.0.1:9" in dead.stderr and "not added" in dead.stderr and "--anyway" in dead.stderr
    assert len(dead.stderr.strip().splitlines()) == 1 and "Traceback" not in dead.stderr
    # An upload: not a feed, names none, and no WordPress hangs from its address. (Not the
    # site's wp-json/: WordPress names its API in a Link header there, so that adds the site.)
    picture = first + "wp-content/uploads/2024/01/dish.png"
    not_feed = run_reader("sources", "add", picture, data_dir=data)
    assert not_feed.returncode == 1 and "not a feed" in not_feed.stderr
    assert not config_file().exists()
    anyway = run_reader("sources", "add", "http://127.0.0.1:9/", "--anyway", data_dir=data)
    assert anyway.returncode == 0, anyway.stderr
    assert [e.get("site") for e in _listed()][-1] == "http://127.0.0.1:9/"
    # A category feed of a WordPress site is a feed; a page that names its feed gives it.
    feed = run_reader("sources", "add", first + "category/news/feed/", data_dir=data)
    assert feed.returncode == 0 and "feed " in feed.stdout
    twice = run_reader("sources", "add", first + "category/news/feed", data_dir=data)
    assert twice.returncode == 1 and "already a source" in twice.stderr
    # Sync goes on when one source is dead: the dead one says what failed, the others sync.
    synced = run_reader("sync", data_dir=data)
    assert synced.returncode == 1
    assert "127.0.0.1:9" in synced.stderr
    assert "new" in synced.stdout


def test_a_wordpress_site_added_with_feed_is_read_as_a_plain_feed(
    sites: tuple[str, str], tmp_path: Path
) -> None:
    # --feed of "sources add" once shared its name with the top-level --feed URL, so the flag's
    # True became the address to read: "True: no such file, and not a web address".
    _, second = sites
    data = tmp_path / "data"
    for args in (("sources", "add", second, "--feed"), ("sources", "add", "--feed", second)):
        config_file().unlink(missing_ok=True)
        added = run_reader(*args, "--name", "plain", data_dir=data)
        assert added.returncode == 0, added.stderr
        assert "feed " in added.stdout and "WordPress site" not in added.stdout
        entry = _listed()[-1]
        assert entry.get("name") == "plain" and "feed" in entry and "site" not in entry
    synced = run_reader("sync", "plain", data_dir=data)
    assert synced.returncode == 0, synced.stderr
    assert "plain: 12 new" in synced.stdout


def test_rename_and_names_stay_apart(sites: tuple[str, str], tmp_path: Path) -> None:
    first, _ = sites
    data = tmp_path / "data"
    assert run_reader("sources", "add", first, data_dir=data).returncode == 0
    assert (
        run_reader("sources", "add", first + "category/news/feed/", data_dir=data).returncode == 0
    )
    names = [e.get("name") for e in _listed()]
    # Two sources on one host: the second is told apart by name, written down.
    assert names[1:] == [None, "127.0.0.1:" + first.rsplit(":", 1)[1].rstrip("/") + "-2"]
    taken = run_reader("sources", "rename", names[2] or "", "127.0.0.1", data_dir=data)
    assert taken.returncode == 0, taken.stderr
    clash = run_reader(
        "sources", "rename", "127.0.0.1", first.removeprefix("http://").rstrip("/"), data_dir=data
    )
    assert clash.returncode != 0
    assert _listed()[2]["name"] == "127.0.0.1"


def test_a_second_feed_on_a_host_is_named_by_its_title_once_known(
    sites: tuple[str, str], tmp_path: Path
) -> None:
    first, _ = sites
    data = tmp_path / "data"
    host = first.removeprefix("http://").rstrip("/")
    for path in ("category/news/feed/", "category/events/feed/", "category/videos/feed/"):
        added = run_reader("sources", "add", first + path, "--feed", data_dir=data)
        assert added.returncode == 0, added.stderr
    assert run_reader("sources", "remove", "stemcell.keck.usc.edu", data_dir=data).returncode == 0

    def names() -> list[str]:
        listed = run_reader("sources", "list", "--json", data_dir=data)
        return [str(row["name"]) for row in json.loads(listed.stdout)]

    # Before any sync only the host is known; the names the add made are what tell them apart.
    assert names() == [host, f"{host}-2", f"{host}-3"]
    synced = run_reader("sync", data_dir=data)
    assert synced.returncode == 0, synced.stderr
    titled = [host, "Events – USC Stem Cell (sample)", "Videos – USC Stem Cell (sample)"]
    assert names() == titled
    assert f"{titled[1]}: up to date" in run_reader("sync", titled[1], data_dir=data).stdout
    # The name the add printed ("'reader sync host-2' reads it") still reads it, for scripts.
    assert f"{titled[2]}: up to date" in run_reader("sync", f"{host}-3", data_dir=data).stdout
    posts = json.loads(run_reader("list", "--json", data_dir=data).stdout)
    assert {p["source"] for p in posts} == set(titled)
    # A fourth is not given a name a title replaced.
    run_reader("sources", "add", first + "category/brain/feed/", "--feed", data_dir=data)
    assert names()[3] == f"{host}-4"


def test_import_opml_from_other_readers_and_export_reads_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config_file().parent.mkdir(parents=True)
    config_file().write_text('# my own comment\ntheme = "ansi"\n', encoding="utf-8")
    results = {
        name: run_reader("sources", "import", str(FIXTURES / name), data_dir=data)
        for name in ("newsboat.opml", "newsraft.opml", "freshrss.opml", "miniflux.opml")
    }
    for name, result in results.items():
        assert result.returncode == 0, (name, result.stderr)
        assert "Traceback" not in result.stderr
    assert "outline 3 (unnamed): file: addresses are never read" in results["newsboat.opml"].stderr
    text = config_file().read_text(encoding="utf-8")
    assert text.startswith('# my own comment\ntheme = "ansi"\n')  # the user's lines kept
    feeds = [e.get("feed") for e in _listed() if "feed" in e]
    assert len(feeds) == 3 + 3 + 3 + 3
    assert _listed()[0] == {"site": "https://stemcell.keck.usc.edu/"}
    groups = {e.get("group") for e in _listed()}
    assert {"Science", "Uncategorized", "All", "Blogs"} <= groups
    # Importing the same file again adds nothing and says why, one line each.
    again = run_reader("sources", "import", str(FIXTURES / "miniflux.opml"), data_dir=data)
    assert "Imported 0 sources" in again.stdout
    assert again.stderr.count("already read") == 3
    # Export, then import into another config: the same sources.
    exported = tmp_path / "mine.opml"
    assert run_reader("sources", "export", "-o", str(exported), data_dir=data).returncode == 0
    before = _listed()
    config_file().unlink()
    back = run_reader("sources", "import", str(exported), data_dir=data)
    assert back.returncode == 0, back.stderr
    # The institute is listed by default and in the export: read as "already read".
    assert _listed() == before


def test_hostile_opml_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bomb = tmp_path / "bomb.opml"
    bomb.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<opml><body><outline text="&b;" xmlUrl="https://x.example/rss"/></body></opml>'
    )
    result = run_reader("sources", "import", str(bomb), data_dir=data)
    assert result.returncode == 1 and "nothing was imported" in result.stderr
    assert "entities" in result.stderr and not config_file().exists()
    not_xml = tmp_path / "nope.opml"
    not_xml.write_bytes(b"\x00\xff garbage")
    result = run_reader("sources", "import", str(not_xml), data_dir=data)
    assert result.returncode == 1 and "not XML" in result.stderr
    assert not config_file().exists()


def test_a_broken_config_is_never_rewritten(tmp_path: Path) -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_text("theme = ansi\n", encoding="utf-8")
    result = run_reader("sources", "add", "http://127.0.0.1:9/", "--anyway", data_dir=tmp_path)
    assert result.returncode == 1 and "not valid TOML" in result.stderr
    assert config_file().read_text(encoding="utf-8") == "theme = ansi\n"


def test_a_failed_one_off_read_leaves_no_source_behind(
    sites: tuple[str, str], tmp_path: Path
) -> None:
    # Each failed 'reader --site/--feed URL sync' stayed under "Kept in the store", empty,
    # and 'reader list' gained a source column for them.
    first, _ = sites
    data = tmp_path / "data"
    synced = run_reader("--site", first, "sync", data_dir=data)
    assert synced.returncode == 0, synced.stderr
    for what in (
        ("--site", "http://127.0.0.1:9/"),
        ("--feed", first + "no-such-feed/"),
        ("--feed", first + "about/"),
    ):
        failed = run_reader(*what, "sync", data_dir=data)
        assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    listed = run_reader("sources", "list", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("Kept in the store") == 1, listed.stdout
    kept = listed.stdout.split("Kept in the store", 1)[1]
    assert "127.0.0.1:9" not in kept and "no-such-feed" not in kept and "about" not in kept
    posts = run_reader("--site", first, "list", data_dir=data)
    assert posts.returncode == 0 and posts.stdout.strip(), posts.stderr
    store = Store.open_in(data)
    try:
        assert [s.url for s in store.sources()] == [first]
    finally:
        store.close()
