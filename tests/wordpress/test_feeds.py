"""A real WordPress read as a single feed: every page of it, emoji as text, an empty feed said
plainly (defects 11 and 4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from reader.render.article import render_text
from tests.support.reading import new_store, read_page, reader, sync_site
from tests.support.relay import serve_folder
from tests.support.sites import ReadSite
from tests.support.wordpress.harness import WordPressSite
from tests.support.wordpress.seed_data import seed_data

POSTS = sum(1 for p in seed_data()["posts"] if p["type"] == "post")


def test_a_paged_wordpress_feed_is_read_to_its_end(
    wordpress_classic: WordPressSite, tmp_path: Path
) -> None:
    for name in ("feed/atom/", "feed/", "category/news/feed/"):
        store = new_store(tmp_path / name.replace("/", "-"))
        report = sync_site(store, wordpress_classic.url + name, feed=True)
        assert report.ok, (name, report.errors)
        wanted = POSTS
        if name.startswith("category/"):
            wanted = sum(1 for p in seed_data()["posts"] if "news" in p["categories"])
        assert store.count_posts() == wanted, name
        # Once read to its end, a later sync reads the first page only.
        again = sync_site(store, wordpress_classic.url + name, feed=True)
        assert again.ok and again.new == 0, name


def test_rfc5005_next_links_are_followed(wordpress_classic: WordPressSite, tmp_path: Path) -> None:
    # Two archive documents of one feed, the first naming the second with rel="next".
    first = httpx.get(wordpress_classic.url + "feed/atom/", timeout=30).text
    second = httpx.get(wordpress_classic.url + "feed/atom/?paged=2", timeout=30).text
    folder = tmp_path / "site"
    folder.mkdir()
    with serve_folder(folder) as url:
        link = f'<link rel="next" href="{url}older.xml" />'
        (folder / "feed.xml").write_text(first.replace("<updated>", link + "<updated>", 1))
        (folder / "older.xml").write_text(second)
        store = new_store(tmp_path / "data")
        report = sync_site(store, url + "feed.xml", feed=True)
    assert report.ok, report.errors
    assert store.count_posts() == first.count("<entry>") + second.count("<entry>") == 20


def test_an_empty_feed_says_so(wordpress_classic: WordPressSite, tmp_path: Path) -> None:
    url = wordpress_classic.url + "category/uncategorized/feed/"
    assert "<item>" not in httpx.get(url, timeout=30).text
    store = new_store(tmp_path / "data")
    report = sync_site(store, url, feed=True)
    assert report.ok and store.count_posts() == 0
    assert any("has no posts" in note for note in report.notes), report.notes
    store.close()
    done = reader("--feed", url, "sync", data_dir=tmp_path / "data")
    assert done.returncode == 0
    assert "has no posts" in done.stdout + done.stderr


def test_feed_emoji_read_as_characters(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    site = wordpress_sites(rest="missing")
    url = ReadSite("classic", site.url, wordpress=site).add_post(
        "Coffee with the editors", "<p>Join us for coffee ☕ and cake 🍰 on Friday.</p>"
    )
    feed = httpx.get(site.url + "feed/", timeout=30).text
    assert 'class="wp-smiley"' in feed and 'alt="☕"' in feed
    store = new_store(tmp_path / "data")
    assert sync_site(store, site.url).ok
    post = store.find_post(url)
    assert post is not None
    for shown in (post, read_page(store, post)):
        text = render_text(shown)
        assert "coffee ☕ and cake 🍰" in text and "[image" not in text
    # Searched as words too (the sample's café scientifique mentions coffee as well).
    assert [hit.post.id for hit in store.search("cake")] == [post.id]
