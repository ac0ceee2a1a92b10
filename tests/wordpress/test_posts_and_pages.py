"""Which things on a real WordPress are posts, told apart how, dated when (defects 8, 9, 12)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from reader.render.article import render_text
from tests.support.reading import follow, new_store, read_page, reader, sync_site
from tests.support.sites import ReadSite
from tests.support.wordpress.harness import BLOCK, WordPressSite


def test_a_wordpress_page_reads_but_is_not_a_post(
    wordpress_classic: WordPressSite, tmp_path: Path
) -> None:
    store = new_store(tmp_path / "data")
    assert sync_site(store, wordpress_classic.url).ok
    count, sections = store.count_posts(), store.sections(include_tags=True)
    page = follow(store, wordpress_classic.url, wordpress_classic.url + "contact/")
    assert page.title == "Contact" and "communications office" in page.content
    # Cached: it opens again from the store, without the network.
    again = store.find_post(wordpress_classic.url + "contact")
    assert again is not None and again.id == page.id and again.content == page.content
    # Not a post: no count, no section, no list, no neighbour of a post.
    assert store.count_posts() == count
    assert store.sections(include_tags=True) == sections
    assert page.id not in {p.id for p in store.posts_in()}
    newest = store.posts_in()[0]
    assert store.neighbour(newest.id, newer=True) is None
    assert page.id not in {hit.post.id for hit in store.search("communications office")}


def test_posts_sharing_a_guid_stay_apart(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    # An import left two posts with one guid: the feed gives both items the same <guid>.
    site = wordpress_sites(rest="missing")
    ids = ReadSite("classic", site.url, wordpress=site).post_ids()
    site.sql(
        "UPDATE {p}posts SET guid=(SELECT guid FROM (SELECT guid FROM {p}posts"
        f" WHERE ID={ids[1]}) g) WHERE ID={ids[2]}"
    )
    feed = httpx.get(site.url + "feed/", timeout=30).text
    assert feed.count(f"?p={ids[1]}</guid>") == 2
    store = new_store(tmp_path / "data")
    assert sync_site(store, site.url).ok
    titles = {p.title for p in store.posts_in()}
    assert len(titles) == store.count_posts() == len(ids)


def test_an_item_without_a_link_never_replaces_a_post_with_one(
    wordpress_classic: WordPressSite, tmp_path: Path
) -> None:
    feed = httpx.get(wordpress_classic.url + "feed/", timeout=30).text
    first = feed.index("<item>")
    item_end = feed.index("</item>", first) + len("</item>")
    item = feed[first:item_end]
    guid = item[item.index("<guid") : item.index("</guid>") + len("</guid>")]
    # The same feed, then with one more item: no link, the first item's guid, another title.
    linkless = (
        f"<item><title>A note without a link</title>{guid}"
        "<description>Only a note.</description></item>"
    )
    path = tmp_path / "feed.xml"
    path.write_text(feed, encoding="utf-8")
    store = new_store(tmp_path / "data")
    assert sync_site(store, str(path), feed=True).ok
    before = {(p.title, p.url) for p in store.posts_in()}
    path.write_text(feed.replace("<item>", linkless + "<item>", 1), encoding="utf-8")
    report = sync_site(store, str(path), feed=True)
    assert report.ok and report.new == 1
    after = {(p.title, p.url) for p in store.posts_in()}
    assert after == before | {("A note without a link", "")}


def test_dates_are_the_ones_the_site_shows(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    # 23:06 in Los Angeles on June 10 is 06:06 UTC on June 11.
    late = datetime(2025, 6, 11, 6, 6, tzinfo=UTC)
    for theme, rest in (("twentytwentyone", "open"), (BLOCK, "missing")):
        site = wordpress_sites(theme, rest=rest)
        url = ReadSite("classic", site.url, wordpress=site).add_post(
            "A late-evening seminar", published=late
        )
        page = httpx.get(url, timeout=30).text
        assert "June 10, 2025" in page, "the site shows June 10"
        data = tmp_path / f"{theme}-{rest}"
        store = new_store(data)
        assert sync_site(store, site.url).ok
        post = store.find_post(url)
        assert post is not None
        if rest == "missing":
            post = read_page(store, post)  # the feed says GMT; the page says the site's time
        assert post.published is not None and post.published.date() == date(2025, 6, 10), theme
        assert "Jun 10, 2025" in render_text(post)
        summary = next(p for p in store.posts_in() if p.id == post.id)
        assert summary.published.date() == date(2025, 6, 10)
        store.close()
        listed = reader("list", "--site", site.url, "--limit", "60", data_dir=data)
        line = next(line for line in listed.stdout.splitlines() if "late-evening" in line)
        assert "2025-06-10" in line, line
