"""A page that is not one post (home page, archive, search, 404) never becomes or changes a
stored post.

``reader open http://SITE/category/brain/``, with the site read second of two sources, read the
archive as an article: its first ``<article id="post-535">`` made it post 535, whose stored
address became the archive's. On a plain-permalink site a pretty permalink answered with the
home page was stored as a new post, a copy of the home page's first.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from reader.core.navigation import FetchThenOpen, Navigator, OpenGroup
from reader.core.page import extract_page
from reader.core.source import Source
from reader.core.store import Store
from reader.core.sync import NotAnArticle
from tests.support.pty_screen import PtyApp
from tests.support.reading import SECTIONS, follow, new_store, reader, sync_site
from tests.support.wordpress.harness import BLOCK, CLASSIC, WordPressSite

pytestmark = pytest.mark.timeout(300)

Posts = dict[int, tuple[str, str, str, str]]


def _posts(data: Path) -> Posts:
    """Every stored post: its address, title, excerpt and body, by id."""
    store = Store.open_in(data, section_names=SECTIONS)
    try:
        found: Posts = {}
        for summary in store.posts_in():
            post = store.post(summary.id)
            assert post is not None
            found[post.id] = (post.url, post.title, post.excerpt, post.content)
        return found
    finally:
        store.close()


def test_reader_open_of_a_category_or_tag_opens_its_list_and_changes_no_post(
    wordpress_classic: WordPressSite, sample_site: str, tmp_path: Path
) -> None:
    # Two sources, the WordPress second: 'reader open' took only the first's addresses for
    # the site's own, and fetched the others as posts.
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(
        f'[[sources]]\nsite = "{sample_site}"\n\n[[sources]]\nsite = "{wordpress_classic.url}"\n'
    )
    data = tmp_path / "data"
    synced = reader("sync", data_dir=data)
    assert synced.returncode == 0, synced.stderr
    before = _posts(data)
    assert any(url.startswith(wordpress_classic.url) for url, *_ in before.values())
    argv = [sys.executable, "-m", "reader", "--data-dir", str(data), "open"]
    env = {"READER_CONFIG_DIR": str(config)}
    for address, said in (("category/brain/", "Brain: "), ("tag/community/", "community: ")):
        with PtyApp([*argv, wordpress_classic.url + address, "--no-refresh"], env=env) as app:
            app.wait_for(said, timeout=60)
            app.send("q")
            assert app.wait_for_exit() == 0
    assert _posts(data) == before


def test_a_plain_permalink_site_s_home_page_is_not_stored_as_a_post(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    from tests.wordpress.test_plain_permalinks import _plain

    site = wordpress_sites(CLASSIC)
    pretty = httpx.get(f"{site.url}?rest_route=/wp/v2/posts&per_page=1", timeout=30).json()[0]
    _plain(site)
    store = new_store(tmp_path / "data")
    assert sync_site(store, site.url).ok
    store.close()
    before = _posts(tmp_path / "data")
    # The old pretty address: WordPress answers it 200, with the home page.
    answer = httpx.get(pretty["link"], timeout=30)
    assert answer.status_code == 200 and "home" in answer.text.split("<body", 1)[1][:200]
    store = new_store(tmp_path / "data")
    navigator = Navigator(store, Source.site(site.url))
    assert navigator.follow(pretty["link"]) == FetchThenOpen(pretty["link"])
    with pytest.raises(NotAnArticle, match=r"Not an article: .* the site.s home page"):
        follow(store, site.url, pretty["link"])
    # The archives the plain site links by query open their lists, and are never stored.
    brain = httpx.get(f"{site.url}?rest_route=/wp/v2/categories&slug=brain", timeout=30)
    for address, slug in ((f"?cat={brain.json()[0]['id']}", "brain"), ("?tag=alumni", "alumni")):
        move = navigator.post_at(site.url + address)
        assert isinstance(move, OpenGroup) and move.slug == slug, move
        with pytest.raises(NotAnArticle, match="archive"):
            follow(store, site.url, site.url + address)
    store.close()
    assert _posts(tmp_path / "data") == before


@pytest.mark.parametrize("theme", [CLASSIC, BLOCK])
def test_the_real_wordpress_s_pages_are_told_apart(
    theme: str, wordpress_classic: WordPressSite, wordpress_block: WordPressSite
) -> None:
    site = wordpress_classic if theme == CLASSIC else wordpress_block
    post = httpx.get(f"{site.url}wp-json/wp/v2/posts?per_page=1&_fields=id,link", timeout=30)
    page = httpx.get(f"{site.url}wp-json/wp/v2/pages?per_page=1&_fields=id,link", timeout=30)
    for item, is_page in ((post.json()[0], False), (page.json()[0], True)):
        read = extract_page(httpx.get(item["link"], timeout=30).content, item["link"])
        assert read.listing == "" and read.wp_id == item["id"] and read.is_page is is_page
    lists = {
        "": "the site's home page",
        "page/2/": "a page of the site's list of posts",
        "category/brain/": "a category archive",
        "category/brain/page/2/": "a category archive",
        "tag/community/": "a tag archive",
        "author/admin/": "an author's archive",
        "2026/": "a date archive",
        "?s=brain": "a page of search results",
        "no-such-address/": "a “page not found” page",
    }
    for address, what in lists.items():
        answer = httpx.get(site.url + address, timeout=30)
        read = extract_page(answer.content, site.url + address)
        assert (read.listing, read.wp_id) == (what, None), address
