"""The sidebar on its own: long lists fill a screenful at a time, and never twice."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Tree
from textual.widgets._tree import _TreeLine
from textual.widgets.tree import TreeNode

from reader.core.models import PostSummary, Section, SectionKind
from reader.core.navigation import Shelf
from reader.ui import sidebar as sidebar_module
from reader.ui.sidebar import Entry, Sidebar
from reader.ui.themes import reader_variable_defaults
from tests.support.pilot_steps import until


class _Host(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        # The sidebar draws its marks in the reader's own colours, which ReaderApp defines.
        return reader_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        yield Sidebar()


def _posts(count: int, start: int = 0) -> list[PostSummary]:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        PostSummary(n, f"Post {n} [b]not markup[/b]", f"https://e.org/{n}/", when)
        for n in range(start, start + count)
    ]


def _known_exactly(sidebar: Sidebar) -> bool:
    """The tree knows each of its lines by id, and no line it does not hold."""
    held: set[int] = set()
    waiting = [sidebar.root]
    while waiting:
        node = waiting.pop()
        held.add(node.id)
        waiting.extend(node.children)
    return set(sidebar._tree_nodes) == held


async def test_a_long_list_fills_gradually_and_a_refill_cancels_the_rest() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 700, 700)], 0)
        sidebar.set_posts("news", _posts(700))
        assert 0 < len(sidebar.group_posts("news")) < 700  # a screenful first
        sidebar.set_posts("news", _posts(650, start=1000))  # a refill mid-way
        for _ in range(10):
            await pilot.pause()
        ids = [p.id for p in sidebar.group_posts("news")]
        assert ids == list(range(1000, 1650))
        # Labels are text, never markup.
        node = sidebar._groups["news"].children[0]
        assert "[b]not markup[/b]" in str(node.label)


async def test_cursor_leaving_the_screen_turns_a_page() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 100, 100)], 0)
        sidebar.set_posts("news", _posts(100))
        sidebar.open_group("news")
        sidebar.focus()
        await pilot.pause()
        height = sidebar.scrollable_content_region.height
        for _ in range(height):
            await pilot.press("j")
        await pilot.pause()
        # The line that stepped off the bottom is now near the top, not at the bottom.
        assert sidebar.scroll_y == sidebar.cursor_line - 1


async def test_a_long_list_joins_the_tree_in_two_rebuilds_of_its_lines() -> None:
    # Each addition to a Tree rebuilds every one of its lines on the next frame: a screenful
    # added per frame rebuilt a list of 11,000 posts fifty-five times, seconds in which every
    # key waited (bench/README.md, "Keys during a refresh").
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 5000, 5000)], 0)
        sidebar.open_group("news")
        await pilot.pause()
        builds = 0
        build = sidebar._build

        def counted() -> None:
            nonlocal builds
            builds += 1
            build()

        sidebar._build = counted  # type: ignore[method-assign]
        sidebar.set_posts("news", _posts(5000))
        await until(pilot, lambda: len(sidebar.group_posts("news")) == 5000)
        await pilot.pause()
        assert [p.id for p in sidebar.group_posts("news")] == list(range(5000))
        assert builds <= 3
        assert _known_exactly(sidebar)


async def test_a_refill_drops_the_old_lines_at_once() -> None:
    # Tree's remove_children looks each line up in its parent's list: 0.7 s for 11,000 posts
    # whenever a refresh changed the list.
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 300, 300)], 0)
        sidebar.set_posts("news", _posts(300))
        await pilot.pause()
        removed = 0
        remove = TreeNode._remove

        def counted(node: TreeNode[Entry]) -> None:
            nonlocal removed
            removed += 1
            remove(node)

        TreeNode._remove = counted  # type: ignore[method-assign]
        try:
            sidebar.set_posts("news", _posts(300, start=1))
        finally:
            TreeNode._remove = remove  # type: ignore[method-assign]
        await pilot.pause()
        assert removed == 0
        assert [p.id for p in sidebar.group_posts("news")] == list(range(1, 301))
        assert _known_exactly(sidebar)


async def test_a_stale_fill_leaves_no_lines_behind() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 5000, 5000)], 0)
        steps: list[int] = []
        make_rest = sidebar._make_rest_of_list

        def refilled_first(*args: object) -> None:
            if not steps:  # the rest of the list is being made: a refill overtakes it
                sidebar.set_posts("news", _posts(10, start=9000))
            steps.append(len(steps))
            make_rest(*args)  # type: ignore[arg-type]

        sidebar._make_rest_of_list = refilled_first  # type: ignore[method-assign,assignment]
        sidebar.set_posts("news", _posts(5000))
        await until(pilot, lambda: steps)
        await pilot.pause()
        assert [p.id for p in sidebar.group_posts("news")] == list(range(9000, 9010))
        assert _known_exactly(sidebar)


async def test_a_long_list_is_made_without_collector_walks_and_frozen_once_listed() -> None:
    # Once a refresh's thread had made objects by the thousand, the collector walked every
    # line made so far each time the heap grew by a quarter: 50-100 ms of the loop each.
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 5000, 5000)], 0)
        gc.unfreeze()
        enabled_while_made: list[bool] = []
        make_rest = sidebar._make_rest_of_list

        def noted(*args: object) -> None:
            enabled_while_made.append(gc.isenabled())
            make_rest(*args)  # type: ignore[arg-type]

        sidebar._make_rest_of_list = noted  # type: ignore[method-assign,assignment]
        sidebar.set_posts("news", _posts(5000))
        await until(pilot, lambda: len(sidebar.group_posts("news")) == 5000)
        assert enabled_while_made and not any(enabled_while_made)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 5000  # the lines, out of the collector's walks
        # A refill still frees the old lines: nothing of them is left among the objects.
        first = sidebar._groups["news"].children[0]
        label = weakref.ref(first.data.post) if first.data and first.data.post else None
        del first
        sidebar.set_posts("news", _posts(5000, start=10_000))
        assert label is not None and label() is None
    assert gc.get_freeze_count() == 0  # given back to the collector with the app


async def test_a_fill_that_will_not_finish_lets_the_collector_go() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)):
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 5000, 5000)], 0)
        sidebar._make_rest_of_list = lambda *args: None  # type: ignore[method-assign,assignment]
        sidebar.set_posts("news", _posts(5000))
        sidebar.set_posts("news", _posts(5000, start=9000))  # a refill meanwhile
        assert not gc.isenabled()
    assert gc.isenabled()


async def test_a_refill_makes_lines_only_for_the_posts_that_changed() -> None:
    # A refresh bringing a few posts to a list of 11,000 made all 11,000 lines again.
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 3000, 3000)], 0)
        sidebar.set_posts("news", _posts(3000))
        await until(pilot, lambda: len(sidebar.group_posts("news")) == 3000)
        old = {child.data.post.id: child for child in sidebar._groups["news"].children}  # type: ignore[union-attr]
        made = sidebar.made_lines
        posts = _posts(3000)
        read = replace(posts[10], read=True)
        newer = _posts(5, start=5000) + posts[:10] + [read] + posts[11:2990]  # 10 gone
        sidebar.set_posts("news", newer)
        assert sidebar.made_lines - made == 6  # five new posts, one marked read
        children = sidebar._groups["news"].children
        assert [c.data.post for c in children] == newer  # type: ignore[union-attr]
        assert children[5] is old[0] and children[-1] is old[2989]
        assert children[15] is not old[10]
        assert _known_exactly(sidebar)
        await pilot.pause()
        assert [p.id for p in sidebar.group_posts("news")] == [p.id for p in newer]


def _numbering(sidebar: Sidebar) -> list[tuple[tuple[int, ...], bool, int]]:
    """Each line's path (by node id), whether it is last in its group, and its number."""
    return [
        (tuple(node.id for node in line.path), line.last, line.node.line)
        for line in sidebar._tree_lines
    ]


async def test_numbering_the_lines_again_keeps_those_whose_place_is_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every change to a Tree makes all its lines again: at the end of a refresh 11,000 line
    # objects and as many titles measured, 40-60 ms of the loop.
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sections = [
            Section("news", "News", SectionKind.SECTION, 2000, 2000),
            Section("events", "Events", SectionKind.SECTION, 1000, 1000),
        ]
        sidebar.set_groups(sections, 0)
        sidebar.open_group("news")
        sidebar.open_group("events")
        sidebar.set_posts("news", _posts(2000))
        sidebar.set_posts("events", _posts(1000, start=5000))
        await until(pilot, lambda: len(sidebar.group_posts("news")) == 2000)
        await until(pilot, lambda: len(sidebar.group_posts("events")) == 1000)
        await pilot.pause()
        made: list[object] = []

        def counted(*args: Any) -> Any:
            made.append(args)
            return _TreeLine(*args)

        monkeypatch.setattr(sidebar_module, "_TreeLine", counted)
        longer = replace(_posts(1, start=9000)[0], title="A much longer title " * 5)
        sidebar.set_posts("news", [longer, *_posts(2000)[:-1]])
        ours = _numbering(sidebar)
        assert len(ours) > 3000
        assert len(made) <= 5  # the new post, and the lines whose "last" changed
        width = sidebar.virtual_size
        # The same lines, numbers and width as Tree's own numbering.
        sidebar._invalidate()
        Tree._build(sidebar)
        assert _numbering(sidebar) == ours
        assert sidebar.virtual_size == width


async def test_a_rebuilt_sidebar_shows_its_new_lines_not_the_old_ones_of_the_same_ids() -> None:
    # Tree.clear numbers new nodes from 0 again: a line kept by id alone drew a group the
    # rebuild had dropped (an empty store's "All posts 0" over the posts of its first sync).
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([], 0, all_posts=(0, 0))
        sidebar.open_group(Shelf.ALL_POSTS)
        await pilot.pause()
        sections = [Section("news", "News", SectionKind.SECTION, 3, 3)]
        sidebar.set_groups(sections, 0)
        lines = sidebar._tree_lines
        assert all(sidebar.get_node_by_id(line.node.id) is line.node for line in lines)
        assert "All posts" not in " ".join(str(line.node.label) for line in lines)


def _shown(sidebar: Sidebar) -> list[str]:
    """The sidebar's lines as drawn, without their trailing blanks."""
    return [sidebar.render_line(y).text.rstrip() for y in range(sidebar.size.height)]


@pytest.mark.parametrize("width", [30, 60])
async def test_a_title_cut_to_fit_ends_in_an_ellipsis(width: int) -> None:
    app = _Host()
    async with app.run_test(size=(width, 12)) as pilot:
        sidebar = app.query_one(Sidebar)
        when = datetime(2025, 1, 1, tzinfo=UTC)
        long = "A very long title about kidney organoids that grow their own blood vessels"
        posts = [PostSummary(1, long, "https://e.org/1/", when)]
        posts += [PostSummary(n, f"Post {n}", f"https://e.org/{n}/", when) for n in range(2, 30)]
        name = "Heart, Lung and Blood and every other organ we study here"
        sidebar.set_groups([Section("news", name, SectionKind.SECTION, 29, 29)], 0)
        sidebar.set_posts("news", posts)
        sidebar.open_group("news")
        await pilot.pause()
        shown = _shown(sidebar)
        room = sidebar.scrollable_content_region.width
        cut = [line for line in shown if line.startswith(("▼ Heart", "├ ● A very"))]
        assert len(cut) == 2, shown
        assert all(line.endswith("…") and len(line) == room for line in cut), (room, cut)
        assert "├ ● Post 2" in shown  # a title that fits is left whole, with no mark
