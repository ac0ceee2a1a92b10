"""What a refresh finds on a real WordPress: every edit, and nothing that did not change
(defects 2 and 3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from selectolax.lexbor import LexborHTMLParser

from reader.core.store import Store
from tests.support.reading import new_store, read_page, sync_site
from tests.support.sites import ReadSite
from tests.support.wordpress.harness import WordPressSite


def _text(html: str) -> str:
    return " ".join(LexborHTMLParser(html).text(separator=" ").split())


def _bodies(store: Store) -> dict[str, str]:
    found = {}
    for summary in store.posts_in():
        post = store.post(summary.id)
        assert post is not None
        found[post.url] = post.content
    return found


def _rest_bodies(site: WordPressSite) -> dict[str, str]:
    url = f"{site.url}wp-json/wp/v2/posts?per_page=100&_fields=link,content"
    return {p["link"]: p["content"]["rendered"] for p in httpx.get(url, timeout=30).json()}


def _old_post(site: WordPressSite) -> int:
    """A post well past the feed's newest ten."""
    return ReadSite("classic", site.url, wordpress=site).post_ids()[30]


def test_a_new_post_is_one_new_and_the_rest_keep_their_api_text(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    site = wordpress_sites()
    store = new_store(tmp_path / "data")
    assert sync_site(store, site.url).ok
    before = _bodies(store)
    assert {url: _text(body) for url, body in before.items()} == {
        url: _text(body) for url, body in _rest_bodies(site).items()
    }
    ReadSite("classic", site.url, wordpress=site).add_post("Livers grown from a single cell")
    report = sync_site(store, site.url)
    assert (report.new, report.updated, report.errors) == (1, 0, [])
    after = _bodies(store)
    assert {url: after[url] for url in before} == before, "a feed copy replaced the API's"


def test_an_edit_to_an_old_post_is_seen_by_the_next_sync(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    site = wordpress_sites()
    store = new_store(tmp_path / "data")
    assert sync_site(store, site.url).ok
    old = _old_post(site)
    ReadSite("classic", site.url, wordpress=site).edit_post(
        old, title="Corrected: a headline fixed later", body="<p>The corrected text.</p>"
    )
    read = ReadSite("classic", site.url, wordpress=site)
    read.mark_requests()
    report = sync_site(store, site.url)
    assert (report.new, report.updated, report.errors) == (0, 1, [])
    post = next(
        p for p in map(store.post, (s.id for s in store.posts_in())) if p and p.wp_id == old
    )
    assert post.title == "Corrected: a headline fixed later"
    assert "The corrected text." in post.content
    asked = [target for _, target, _ in read.requests()]
    assert asked[0] == "/feed/"
    rest = [target for target in asked if "/wp-json/" in target]
    assert len(rest) == 1 and "modified_after=" in rest[0], asked
    # And once seen, it is not "updated" again.
    again = sync_site(store, site.url)
    assert (again.new, again.updated) == (0, 0) and again.unchanged


def test_a_page_read_after_an_edit_updates_the_stored_post(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    for rest in ("open", "missing"):
        site = wordpress_sites(rest=rest)
        store = new_store(tmp_path / rest)
        assert sync_site(store, site.url).ok
        old = _old_post(site)
        stored = next(
            p for p in map(store.post, (s.id for s in store.posts_in())) if p and p.wp_id == old
        )
        assert stored is not None
        read_page(store, stored)
        ReadSite("classic", site.url, wordpress=site).edit_post(
            old, body="<p>Rewritten by the quokkaphile editor after a first reading.</p>"
        )
        again = read_page(store, stored)
        assert "Rewritten by the quokkaphile editor after a first reading." in again.content, rest
        hits = store.search("quokkaphile")
        assert [hit.post.id for hit in hits] == [stored.id], rest
