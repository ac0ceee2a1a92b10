"""The sidebar with several sources of one title (three WordPress sites all called "USC Stem
Cell (sample)"): a tag chosen from the article is shown in its own source's tree, open, in
view and on its first post, whatever pane had the screen."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets.tree import TreeNode

from reader.core.navigation import Category
from reader.core.runner import run_sync_all
from reader.core.source import Source
from reader.core.store import Store
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from reader.ui.sidebar import Entry
from tests.support.app_fixtures import SECTIONS
from tests.support.pilot_steps import main_screen, settle, status_message, until


@pytest.fixture(scope="module")
def same_title_sites() -> Iterator[tuple[str, str]]:
    """The sample site twice, on two ports: two sources with the same site title."""
    with SampleServer() as first, SampleServer() as second:
        yield first, second


@pytest.fixture(scope="module")
def same_title_template(
    same_title_sites: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("same-title") / "reader.sqlite3"
    sources = [Source.site(url) for url in same_title_sites]  # no names: their titles show
    reports = run_sync_all(path, sources, section_names=SECTIONS)
    assert all(r.ok for r in reports), [r.errors for r in reports]
    return path


@pytest.fixture
def same_title(same_title_template: Path, tmp_path: Path) -> Iterator[Store]:
    folder = tmp_path / "same-title"
    shutil.copytree(same_title_template.parent, folder)  # the store and its sync marks
    store = Store(folder / same_title_template.name, section_names=SECTIONS)
    yield store
    store.close()


def _app(store: Store, urls: tuple[str, str]) -> ReaderApp:
    sources = tuple(Source.site(url) for url in urls)
    return ReaderApp(
        store, sources[0], sources=sources, section_names=SECTIONS, refresh_on_start=False
    )


def _path_to(node: TreeNode[Entry]) -> list[TreeNode[Entry]]:
    path = []
    parent = node.parent
    while parent is not None:
        path.append(parent)
        parent = parent.parent
    return path


@pytest.mark.parametrize(("size", "hidden"), [((80, 24), False), ((120, 40), True)])
async def test_a_tag_chosen_from_the_article_shows_its_list_on_its_first_post(
    same_title: Store, same_title_sites: tuple[str, str], size: tuple[int, int], hidden: bool
) -> None:
    """80x24 (the article has the screen) and 120x40 with the list hidden (s): the list
    comes back, the tag's list open under its own source, in view, the cursor on its first
    post (so enter reads it). Before, the list came back at its top, the cursor out of
    sight on the tag's heading (and in a wide terminal the list stayed hidden)."""
    app = _app(same_title, same_title_sites)
    async with app.run_test(size=size) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        sidebar = screen.sidebar
        post = next(p for p in sidebar.group_posts(sidebar.current_group or "") if p.id)
        await pilot.press("enter")
        await until(pilot, lambda: screen.post is not None and screen.post.id == post.id)
        if hidden:
            await pilot.press("s")
            await pilot.pause()
            assert not sidebar.display or screen.has_class("-no-sidebar")
        shown = screen.post
        assert shown is not None and shown.tags
        choices = [topic.name for topic in screen.navigator.topics(shown)]
        tag = next(name for name in choices if name in shown.tags)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*["j"] * choices.index(tag), "enter")
        await settle(app, pilot)
        await pilot.pause()
        assert screen.focused is sidebar
        assert not screen.has_class("-reading") and not screen.has_class("-no-sidebar")
        group = sidebar.current_group
        assert isinstance(group, Category)
        assert sidebar.group_name(group) == tag
        listed = sidebar.group_posts(group)
        current = sidebar.current_post
        assert current is not None and current.id == listed[0].id
        top = int(sidebar.scroll_y)
        assert top <= sidebar.cursor_line < top + sidebar.scrollable_content_region.height
        # The tag's heading is open and sits in its own source's tree (after its topics).
        node = sidebar._groups[group]
        assert node.is_expanded
        stored = same_title.stored_source(group.source_id)
        assert stored is not None
        assert sidebar._headings[stored.key] in _path_to(node)
        await pilot.press("enter")
        await until(pilot, lambda: screen.post is not None and screen.post.id == listed[0].id)


async def test_enter_on_a_source_opens_and_closes_it(
    same_title: Store, same_title_sites: tuple[str, str]
) -> None:
    """Enter on a source's row opens or closes it, as space does (and as it does a group):
    before, enter on "▶ USC Stem Cell (sample) 48" did nothing."""
    app = _app(same_title, same_title_sites)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        sidebar = screen.sidebar
        first, second = sidebar.root.children[:2]
        assert first.is_expanded and not second.is_expanded
        sidebar.move_cursor(second)
        await pilot.press("enter")
        await until(pilot, lambda: second.is_expanded and bool(second.children), deadline=5)
        assert screen.post is None  # nothing opened
        await pilot.press("enter")
        await pilot.pause()
        assert not second.is_expanded
        sidebar.move_cursor(first)
        await pilot.press("enter")
        await pilot.pause()
        assert not first.is_expanded
        await pilot.press("enter")
        await pilot.pause()
        assert first.is_expanded


async def test_updated_follows_the_last_refresh_while_a_source_fails(
    same_title: Store, same_title_sites: tuple[str, str]
) -> None:
    """With a source that keeps failing, "updated N ago" is the refresh just ended, and the
    failure is counted beside it. Before, it stood at the oldest source's last sync (and did
    not move at all after a refresh in which any source failed): "updated 2 h ago"."""
    dead = Source.site("http://127.0.0.1:9/")
    sources = (*(Source.site(url) for url in same_title_sites), dead)
    two_hours_ago = time.time() - 2 * 3600
    for source in sources[:2]:
        same_title.mark_synced(two_hours_ago, source=source)
    app = ReaderApp(
        same_title,
        sources[0],
        sources=sources,
        section_names=SECTIONS,
        refresh_on_start=False,
        fetcher_options={"deadline": 5.0},
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        state = screen.status.query_one("#state", Static)
        assert str(state.content) == "updated 2 h ago"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: not screen.status.syncing and bool(screen._problems))
        await pilot.pause()
        assert str(state.content) == "updated just now · 1 source failed"
        assert "1 of 3 sources failed" in status_message(screen)


async def test_sources_of_one_title_are_told_apart(
    same_title: Store, same_title_sites: tuple[str, str]
) -> None:
    """Two sites both titled "USC Stem Cell (sample)": each row (and each bookmark's or
    search hit's source) says its host beside the title, and a row cut to the sidebar's width
    loses the title's end, never the host or the counts. Before, two rows read the same."""
    app = _app(same_title, same_title_sites)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        sidebar = screen.sidebar
        sources = [Source.site(url) for url in same_title_sites]
        ids = [same_title.source_id(source) for source in sources]
        hosts = [source.label for source in sources]
        assert hosts[0] != hosts[1]
        title = same_title.source_title(sources[0])
        assert title and title == same_title.source_title(sources[1])
        for index, (heading, host) in enumerate(zip(sidebar.root.children, hosts, strict=False)):
            assert str(heading.label).startswith(f"{title} · {host} ")
            drawn = sidebar.render_line(heading.line - int(sidebar.scroll_y)).text
            count = same_title.count_posts(source=sources[index])
            assert f" · {host} " in drawn and f"/{count}" in drawn, drawn
        assert [screen.source_name(i) for i in ids if i] == [f"{title} · {h}" for h in hosts]
