"""A WordPress that gives less: no REST API, a locked one, a theme without post navigation.
It still reads fully, says what it could not get, and loses nothing it had."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.core.models import Origin, SectionKind
from reader.core.navigation import Navigator, OpenPost
from reader.core.source import Source
from tests.support.reading import new_store, read_every_page, read_page, sync_site
from tests.support.sites import ReadSite
from tests.support.wordpress.harness import BLOCK, CLASSIC, WordPressSite
from tests.support.wordpress.seed_data import seed_data

POSTS = sum(1 for p in seed_data()["posts"] if p["type"] == "post")


def test_without_the_api_it_reads_everything_and_says_what_it_lacks(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    for rest, why in (("locked", "401"), ("missing", "404")):
        site = wordpress_sites(CLASSIC, rest=rest)
        store = new_store(tmp_path / rest)
        report = sync_site(store, site.url)
        assert report.ok, report.errors
        assert store.count_posts() == POSTS
        said = " ".join(report.notes)
        assert "REST API" in said and why in said, said
        assert "paged feeds" in said and "tags" in said, said


def test_without_post_navigation_n_and_p_go_by_date_and_say_so(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    for theme in (CLASSIC, BLOCK):
        site = wordpress_sites(theme, navigation="hidden")
        store = new_store(tmp_path / theme)
        assert sync_site(store, site.url).ok
        by_date = store.posts_in()
        post = store.post(by_date[5].id)
        assert post is not None
        post = read_page(store, post)
        navigator = Navigator(store, Source.site(site.url))
        newer = navigator.newer(post)
        assert isinstance(newer, OpenPost) and newer.post.id == by_date[4].id
        assert "no post navigation" in newer.note and "by date" in newer.note, newer.note


def test_a_poorer_source_later_loses_and_reclassifies_nothing(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    site = wordpress_sites(BLOCK)
    store = new_store(tmp_path / "data")
    assert sync_site(store, site.url).ok
    kinds = {s.slug: s.kind for s in store.sections(include_tags=True)}
    assert SectionKind.TAG in kinds.values()
    bodies = {p.id: (store.post(p.id) or p).content for p in store.posts_in()}  # type: ignore[union-attr]
    # The API is locked from now on; a post is added, and the pages are read.
    site.restart(rest="locked")
    ReadSite("block", site.url, wordpress=site).add_post("Added once the API was locked")
    report = sync_site(store, site.url)
    assert report.ok and report.new == 1 and report.updated == 0, report
    assert any("REST API" in note for note in report.notes), report.notes
    read_every_page(store)
    after = {s.slug: s.kind for s in store.sections(include_tags=True)}
    assert {slug: after[slug] for slug in kinds} == kinds
    for post_id, body in bodies.items():
        post = store.post(post_id)
        assert post is not None and post.content == body
    assert store._db.execute(
        "SELECT COUNT(*) FROM posts WHERE body_origin=?", (int(Origin.REST),)
    ).fetchone()[0] == len(bodies)
