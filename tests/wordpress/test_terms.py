"""Categories and tags on a real WordPress: what the site says a term is, it stays (defect 1)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from reader.core.models import SectionKind
from reader.core.page import extract_page
from tests.support.reading import new_store, read_every_page, sync_site
from tests.support.wordpress.harness import BLOCK, CLASSIC, WordPressSite


def _kinds_by_rest(site: WordPressSite) -> dict[str, str]:
    kinds = {}
    for taxonomy, kind in (("categories", "category"), ("tags", "tag")):
        for term in httpx.get(
            f"{site.url}wp-json/wp/v2/{taxonomy}?per_page=100", timeout=30
        ).json():
            if term["count"]:
                kinds[term["slug"]] = kind
    return kinds


def test_block_theme_category_links_are_categories(wordpress_block: WordPressSite) -> None:
    post = httpx.get(f"{wordpress_block.url}wp-json/wp/v2/posts?per_page=1", timeout=30).json()[0]
    page = extract_page(httpx.get(post["link"], timeout=30).content, post["link"])
    kinds = _kinds_by_rest(wordpress_block)
    assert page.topics, "the page's category and tag links"
    for topic in page.topics:
        assert topic.is_tag is (kinds[topic.slug] == "tag"), topic


def test_reading_every_page_keeps_what_the_api_said(
    wordpress_block: WordPressSite, tmp_path: Path
) -> None:
    store = new_store(tmp_path / "data")
    assert sync_site(store, wordpress_block.url).ok
    before = {s.slug: (s.kind, s.count) for s in store.sections(include_tags=True)}
    read_every_page(store)
    after = {s.slug: (s.kind, s.count) for s in store.sections(include_tags=True)}
    assert after == before
    kinds = _kinds_by_rest(wordpress_block)
    for slug, (kind, _) in after.items():
        assert (kind is SectionKind.TAG) is (kinds[slug] == "tag"), slug
    store.close()
    again = new_store(tmp_path / "data")
    assert [s.slug for s in again.sections() if s.kind is SectionKind.TOPIC]


def test_without_the_api_a_page_tells_tags_by_their_address(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    # The feed mixes categories and tags; the pages' /tag/ links say which are tags, and the
    # block theme's rel="tag" on category links says nothing.
    site = wordpress_sites(BLOCK, rest="missing")
    store = new_store(tmp_path / "data")
    assert sync_site(store, site.url).ok
    read_every_page(store)
    kinds = _kinds_by_rest_from_seed(site)
    for section in store.sections(include_tags=True):
        assert (section.kind is SectionKind.TAG) is (kinds[section.slug] == "tag"), section


def _kinds_by_rest_from_seed(site: WordPressSite) -> dict[str, str]:
    found = site.php(
        "return array_values(array_map(fn ($t) => [$t->slug, $t->taxonomy],"
        " get_terms(['taxonomy' => ['category', 'post_tag'], 'hide_empty' => true])));"
    )
    return {slug: "tag" if taxonomy == "post_tag" else "category" for slug, taxonomy in found}


def test_with_the_api_locked_the_sitemaps_tell_tags_from_categories(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    # A security plugin's 401 leaves the feeds, whose <category> names categories and tags
    # alike; WordPress's core sitemaps still list each taxonomy's terms. No page is read here.
    site = wordpress_sites(CLASSIC, rest="locked")
    store = new_store(tmp_path / "data")
    report = sync_site(store, site.url)
    assert report.ok, report.errors
    kinds = _kinds_by_rest_from_seed(site)
    sections = store.sections(include_tags=True)
    tags = {s.slug for s in sections if s.kind is SectionKind.TAG}
    assert tags == {slug for slug, kind in kinds.items() if kind == "tag"}
    for section in sections:
        if section.kind is not SectionKind.TAG:
            # A category, its name's slug as the site has it or our guess ("Eye & Vision").
            assert kinds.get(section.slug, "category") == "category", section
    assert {"alumni", "awards", "grants", "organoids"} <= tags
    assert "its sitemaps list 10 tags and 12 categories" in " ".join(report.notes)
    asked = [target for _, target, _ in site.requests() if "sitemap" in target]
    assert sorted(asked) == [
        "/wp-sitemap-taxonomies-category-1.xml",
        "/wp-sitemap-taxonomies-post_tag-1.xml",
    ]
    # The next sync asks no sitemap again, and keeps what they said.
    assert sync_site(store, site.url).ok
    assert [t for _, t, _ in site.requests() if "sitemap" in t] == asked
    assert {s.slug for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG} == tags
