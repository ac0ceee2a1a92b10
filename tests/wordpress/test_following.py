"""Following a real WordPress's links: tags, the site's other addresses, fragments, videos
(defects 5, 6, 7 and 13)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from reader.core.models import LinkKind
from reader.core.navigation import (
    FetchThenOpen,
    Navigator,
    OpenGroup,
    OpenOutside,
    OpenPost,
)
from reader.core.source import Source
from reader.render.article import render_text
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import workers_done
from tests.support.reading import new_store, read_page, reader, sync_site
from tests.support.relay import relay
from tests.support.sites import ReadSite
from tests.support.wordpress.harness import WordPressSite


def test_tags_open_as_lists(wordpress_classic: WordPressSite, tmp_path: Path) -> None:
    store = new_store(tmp_path / "data")
    assert sync_site(store, wordpress_classic.url).ok
    tag = store.section("organoids")
    assert tag is not None and tag.count >= 5
    navigator = Navigator(store, Source.site(wordpress_classic.url))
    assert navigator.follow(wordpress_classic.url + "tag/organoids/") == OpenGroup(
        "organoids", "organoids", tag.count
    )
    post = store.post(store.posts_in("organoids")[0].id)
    assert post is not None and "organoids" in post.tags
    targets = {topic.name: topic.target for topic in navigator.topics(post)}
    assert navigator.go_to(targets["organoids"]) == OpenGroup("organoids", "organoids", tag.count)
    assert len(navigator.posts_of("organoids")) == tag.count
    store.close()
    for name in ("organoids", "Organoids"):
        listed = reader(
            "list", "--section", name, "--site", wordpress_classic.url, data_dir=tmp_path / "data"
        )
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == tag.count


async def test_a_tag_chosen_in_the_app_lists_its_posts(
    wordpress_classic: WordPressSite, tmp_path: Path
) -> None:
    store = new_store(tmp_path / "data")
    # The sync runs its own event loop, which cannot nest in the test's.
    assert (await asyncio.to_thread(sync_site, store, wordpress_classic.url)).ok
    wanted = [p.id for p in store.posts_in("organoids")]
    app = make_app(store, wordpress_classic.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        # Chosen from a post's topics ('t'), as a reader does.
        screen.open_post_id(wanted[0])
        await workers_done(app)
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        choices = [str(c.prompt) for c in app.screen.query_one(OptionList).options]
        # Each line is its kind, then its name.
        await pilot.press(*["down"] * choices.index("Tag      organoids"), "enter")
        await workers_done(app)
        await pilot.pause()
        sidebar = screen.sidebar
        assert sidebar.current_group == "organoids"
        # The tag's line is in view, although it was added below everything else.
        top = int(sidebar.scroll_y)
        assert top <= sidebar.cursor_line < top + sidebar.scrollable_content_region.height
        assert [p.id for p in screen.sidebar.group_posts("organoids")] == wanted
        screen.follow(wordpress_classic.url + "tag/crispr/")
        await workers_done(app)
        await pilot.pause()
        assert screen.sidebar.current_group == "crispr"


def test_the_site_reached_through_another_address_is_one_site(
    wordpress_classic: WordPressSite, tmp_path: Path
) -> None:
    # Another port in front of the site (what a proxy does): the site names itself by its own
    # address in every link, the REST index and the feed.
    with relay(wordpress_classic.port) as typed:
        store = new_store(tmp_path / "data")
        assert sync_site(store, typed).ok
        navigator = Navigator(store, Source.site(typed))
        home = wordpress_classic.url
        post = store.post(store.posts_in()[0].id)
        assert post is not None and post.url.startswith(home)
        assert isinstance(navigator.follow(post.url), OpenPost)
        assert isinstance(navigator.follow(home + "category/brain/"), OpenGroup)
        assert isinstance(navigator.follow(home + "tag/organoids/"), OpenGroup)
        assert navigator.follow(home + "contact/") == FetchThenOpen(home + "contact/")
        assert navigator.follow("http://elsewhere.example/x/") == OpenOutside(
            "http://elsewhere.example/x/"
        )
        # Read through the typed address, its pages' links are the site's too.
        read = read_page(store, post)
        topic = read.link(LinkKind.TOPIC)
        assert topic is not None and isinstance(navigator.follow(topic.url), OpenGroup)


def _long_post(site: WordPressSite) -> tuple[str, str]:
    filler = "".join(
        f"<p>Paragraph {n} of the year in review, told at length.</p>" for n in range(80)
    )
    body = (
        '<p>Contents: <a href="#training">Training the next generation</a></p>'
        f'{filler}<h2 id="training">Training the next generation</h2>'
        "<p>Forty students finished the course.</p>" + filler
    )
    read = ReadSite("classic", site.url, wordpress=site)
    long_url = read.add_post("Annual impact report with contents", body)
    short_url = read.add_post(
        "A note pointing into the report",
        f'<p>See <a href="{long_url}#training">the training section</a>.</p>',
    )
    return long_url, short_url


async def test_a_link_with_a_fragment_opens_at_its_element(
    wordpress_sites: Callable[..., WordPressSite], tmp_path: Path
) -> None:
    site = wordpress_sites()
    long_url, short_url = _long_post(site)
    store = new_store(tmp_path / "data")
    assert (await asyncio.to_thread(sync_site, store, site.url)).ok
    navigator = Navigator(store, Source.site(site.url))
    move = navigator.follow(long_url + "#training")
    assert isinstance(move, OpenPost) and move.anchor == "training"
    app = make_app(store, site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        short = store.find_post(short_url)
        assert short is not None
        screen.open_post_id(short.id)
        await workers_done(app)
        await pilot.pause()
        into = next(lk for lk in screen.article.links if "#training" in lk.url)
        screen.article.follow_number(into.number)
        await _page_read(app, pilot, screen)
        assert screen.post is not None and screen.post.url.rstrip("/") == long_url.rstrip("/")
        # Still at the heading once the page (with its post navigation above) is read.
        top = int(screen.article.scroll_y)
        assert top > 40 and top == screen.article.anchor_line("training")
        assert "Training the next generation" in screen.article.render_line(0).text
        # Back at the top, the contents link scrolls within the article.
        screen.article.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        inside = next(lk for lk in screen.article.links if lk.url.endswith("#training"))
        screen.article.follow_number(inside.number)
        await pilot.pause()
        # The heading's line, wherever the layout has it now (a picture drawn meanwhile, or
        # the scrollbar's column, may have moved it by a line or two).
        assert int(screen.article.scroll_y) == screen.article.anchor_line("training")
        assert "Training the next generation" in screen.article.render_line(0).text


async def _page_read(app: ReaderApp, pilot: Pilot[None], screen: MainScreen) -> None:
    """Wait (with a deadline) until the open post's page is read and shown."""
    deadline = time.monotonic() + 30
    while screen.post is None or not screen.post.page_fetched:
        assert time.monotonic() < deadline, "the page was never read"
        await workers_done(app)
        await pilot.pause()
    await pilot.pause()


def test_videos_link_to_their_watch_page(wordpress_classic: WordPressSite, tmp_path: Path) -> None:
    store = new_store(tmp_path / "data")
    assert sync_site(store, wordpress_classic.url).ok
    videos = [store.post(p.id) for p in store.posts_in("videos")]
    assert videos
    for post in videos:
        assert post is not None and "youtube.com/embed/" in post.content
        text = render_text(post)
        assert "youtube.com/watch?v=" in text, post.url
        assert "youtube.com/embed/" not in text
