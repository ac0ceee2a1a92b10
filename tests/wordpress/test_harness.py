"""The test WordPress itself: it is the real thing, seeded with the sample site's posts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.support.wordpress.harness import BLOCK, WordPressSite
from tests.support.wordpress.seed_data import seed_data


def test_seeded_with_every_sample_post(wordpress_classic: WordPressSite) -> None:
    expected = [p for p in seed_data()["posts"] if p["type"] == "post"]
    answer = httpx.get(wordpress_classic.url + "wp-json/wp/v2/posts?per_page=1", timeout=30)
    assert answer.status_code == 200
    assert int(answer.headers["x-wp-total"]) == len(expected)
    newest = max(expected, key=lambda p: p["date_gmt"])
    assert answer.json()[0]["id"] == newest["id"]
    assert answer.json()[0]["date_gmt"] == newest["date_gmt"].replace(" ", "T")


def test_pretty_permalinks_feeds_and_uploads(wordpress_classic: WordPressSite) -> None:
    post = httpx.get(wordpress_classic.url + "wp-json/wp/v2/posts?per_page=1&_embed", timeout=30)
    link = post.json()[0]["link"]
    assert link.startswith(wordpress_classic.url) and link.endswith("/")
    page = httpx.get(link, timeout=30)
    assert page.status_code == 200 and 'rel="prev"' in page.text
    feed = httpx.get(wordpress_classic.url + "feed/", timeout=30)
    assert feed.status_code == 200 and feed.text.count("<item>") == 10
    assert httpx.get(wordpress_classic.url + "feed/?paged=99", timeout=30).status_code == 404
    media = httpx.get(wordpress_classic.url + "wp-json/wp/v2/media?per_page=1", timeout=30).json()
    image = httpx.get(media[0]["source_url"], timeout=30)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_block_theme_marks_categories_rel_tag(wordpress_block: WordPressSite) -> None:
    link = httpx.get(wordpress_block.url + "wp-json/wp/v2/posts?per_page=1", timeout=30).json()
    page = httpx.get(link[0]["link"], timeout=30).text
    assert "wp-block-post-terms" in page
    assert "/category/" in page and 'rel="category' not in page
    assert 'rel="prev"' not in page  # Twenty Twenty-Three (6.1) has no post navigation


def test_locked_missing_and_navigation_variants(
    wordpress_sites: Callable[..., WordPressSite],
) -> None:
    locked = wordpress_sites(rest="locked")
    assert httpx.get(locked.url + "wp-json/wp/v2/posts", timeout=30).status_code == 401
    missing = wordpress_sites(BLOCK, rest="missing", navigation="blocks")
    assert httpx.get(missing.url + "wp-json/wp/v2/posts", timeout=30).status_code == 404
    assert httpx.get(missing.url + "?rest_route=/wp/v2/posts", timeout=30).status_code == 404
    newest = missing.php("return get_permalink(get_posts(['numberposts' => 2])[1]);")
    page = httpx.get(newest, timeout=30).text
    assert "https://api.w.org/" not in page
    assert "post-navigation-link-previous" in page and 'rel="next"' in page
    hidden = wordpress_sites(navigation="hidden")
    page = httpx.get(hidden.url + newest.removeprefix(missing.url), timeout=30).text
    assert 'rel="prev"' not in page and "entry-content" in page


def test_without_wordpress_the_tests_skip_or_fail(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.support.wordpress import fixtures, harness

    monkeypatch.setattr(harness, "CONFIG_DIR", tmp_path / "no-such-folder")
    monkeypatch.delenv(fixtures.REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no WordPress to test against"):
        fixtures.require_wordpress()
    monkeypatch.setenv(fixtures.REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="READER_REQUIRE_WORDPRESS=1"):
        fixtures.require_wordpress()
